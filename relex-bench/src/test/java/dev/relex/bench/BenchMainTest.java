package dev.relex.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The cheap parts of the benchmark driver: result lines, statistics, argument parsing. */
class BenchMainTest {

    @Test
    void resultLineRoundTrips() {
        var r = new EncoderBench.Result("bge-small-en-v1.5", 64, 8, 2, 12.5, 10.0, 11.0, 9.5, 13.0, 20.0, 3e-6);
        var back = EncoderBench.Result.parse(r.toLine());
        assertEquals(r, back);
        assertEquals(1.25, back.ratio(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> EncoderBench.Result.parse("EXTRACT\tx"));
    }

    @Test
    void medianAndMinimumInMilliseconds() {
        assertEquals(2.0, EncoderBench.median(new long[] {3_000_000, 1_000_000, 2_000_000}), 1e-12);
        assertEquals(2.5, EncoderBench.median(new long[] {4_000_000, 1_000_000, 2_000_000, 3_000_000}), 1e-12);
        assertEquals(1.0, EncoderBench.min(new long[] {4_000_000, 1_000_000}), 1e-12);
    }

    @Test
    void modelNamesParse() {
        assertSame(PretrainedModel.BGE_SMALL, PretrainedModel.parse("bge-small"));
        assertSame(PretrainedModel.BGE_SMALL, PretrainedModel.parse("BGE_SMALL"));
        assertSame(PretrainedModel.ALL_MINILM_L6, PretrainedModel.parse("all-MiniLM-L6-v2"));
        assertSame(PretrainedModel.ALL_MINILM_L6, PretrainedModel.parse("minilm"));
        var e = assertThrows(IllegalArgumentException.class, () -> PretrainedModel.parse("gpt2"));
        assertTrue(e.getMessage().contains("gpt2"));
    }

    @Test
    void encoderConfigsAreBertSmallShapes() {
        var c = PretrainedModel.BGE_SMALL.encoderConfig();
        assertTrue(c.isBert());
        assertEquals(12, c.numHiddenLayers());
        assertEquals(384, c.hiddenSize());
        assertEquals(12, c.numAttentionHeads());
        assertEquals(1536, c.intermediateSize());
        assertEquals(1e-12, c.layerNormEps());
        assertEquals(2, c.typeVocabSize());
        assertEquals(6, PretrainedModel.ALL_MINILM_L6.encoderConfig().numHiddenLayers());
    }

    @Test
    void sampleTextsAreLongEnough() {
        assertTrue(SampleTexts.longText().split(" ").length > 400);
        assertEquals(3, SampleTexts.sentences(3).split("\\. ").length);
    }
}
