package dev.relex.bench;

/** bge-small-en-v1.5 (12 layers): our encoder vs ONNX Runtime. */
class BgeSmallParityTest extends EncoderParityTest {
    BgeSmallParityTest() {
        super(PretrainedModel.BGE_SMALL);
    }
}
