package dev.relex.bench;

/** all-MiniLM-L6-v2 (6 layers): our encoder vs ONNX Runtime. */
class MiniLmParityTest extends EncoderParityTest {
    MiniLmParityTest() {
        super(PretrainedModel.ALL_MINILM_L6);
    }
}
