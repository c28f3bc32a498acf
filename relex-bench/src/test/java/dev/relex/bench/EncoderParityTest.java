package dev.relex.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.relex.encoder.Encoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our BERT encoder against ONNX Runtime on the same real pretrained weights and the same tokens:
 * the last hidden states of every real (unpadded) token must agree within {@link #TOLERANCE}.
 * Subclasses pick the model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EncoderParityTest {
    /** Max abs difference allowed on last hidden states (fp32 vs fp32, different summation orders). */
    static final double TOLERANCE = 1e-4;

    private final PretrainedModel model;
    private Encoder ours;
    private OrtEncoder ort;
    private HuggingFaceTokenizer tokenizer;

    EncoderParityTest(PretrainedModel model) {
        this.model = model;
    }

    @BeforeAll
    void load() {
        ours = model.createEncoder();
        ort = model.createOrtEncoder(0);
        tokenizer = TokenBatch.tokenizer(model.tokenizerPath(), 512);
    }

    @AfterAll
    void close() {
        if (ort != null) ort.close();
        if (tokenizer != null) tokenizer.close();
    }

    @Test
    void graphTakesTheUsualBertInputs() {
        assertEquals(java.util.Set.of("input_ids", "attention_mask", "token_type_ids"), ort.inputNames());
        assertEquals("last_hidden_state", ort.outputName());
    }

    @Test
    void shortSentence() {
        TokenBatch b = TokenBatch.of(tokenizer, List.of(SampleTexts.SHORT));
        assertTrue(b.seqLen() > 10 && b.seqLen() < 40, "unexpected token count " + b.seqLen());
        compare("short sentence", b);
    }

    @Test
    void fullLength512Tokens() {
        TokenBatch b = TokenBatch.of(tokenizer, List.of(SampleTexts.longText()));
        assertEquals(512, b.seqLen(), "the long text must fill the 512 position embeddings");
        compare("512 tokens", b);
    }

    @Test
    void paddedBatchOfDifferentLengths() {
        TokenBatch b = TokenBatch.of(tokenizer, SampleTexts.MIXED);
        int min = java.util.Arrays.stream(b.lengths()).min().orElseThrow();
        assertTrue(min < b.seqLen() / 3, "batch must mix short and long texts: " + java.util.Arrays.toString(b.lengths()));
        compare("padded batch " + java.util.Arrays.toString(b.lengths()), b);

        // Padding must not leak into real tokens: each text alone gives the same states as in the batch.
        float[] batched = run(ours, b);
        for (int i = 0; i < SampleTexts.MIXED.size(); i++) {
            TokenBatch alone = TokenBatch.of(tokenizer, List.of(SampleTexts.MIXED.get(i)));
            float[] single = run(ours, alone);
            double d = maxDiff(batched, i * b.seqLen() * ours.hiddenSize(), single, 0, alone.lengths()[0], ours.hiddenSize());
            assertTrue(d <= TOLERANCE, "text " + i + " alone vs in padded batch differs by " + d);
        }
    }

    private void compare(String what, TokenBatch b) {
        float[] expected = run(ort, b);
        float[] actual = run(ours, b);
        int h = ours.hiddenSize();
        assertEquals(384, h);
        double worst = 0, scale = 0;
        for (int s = 0; s < b.batch(); s++) {
            int off = s * b.seqLen() * h;
            worst = Math.max(worst, maxDiff(expected, off, actual, off, b.lengths()[s], h));
            for (int i = 0; i < b.lengths()[s] * h; i++) scale = Math.max(scale, Math.abs(expected[off + i]));
        }
        System.out.printf("[parity] %s %s: max |ours - ORT| = %.3g over real tokens (max |ORT| = %.3g)%n",
                model.displayName(), what, worst, scale);
        assertTrue(scale > 0.1, "ORT output looks degenerate (max |value| " + scale + ")");
        assertTrue(worst <= TOLERANCE, model.displayName() + " " + what + ": max abs diff " + worst + " > " + TOLERANCE);
    }

    private static float[] run(Encoder e, TokenBatch b) {
        float[] out = new float[b.batch() * b.seqLen() * e.hiddenSize()];
        e.forward(b.ids(), b.mask(), b.batch(), b.seqLen(), out);
        return out;
    }

    /** Max abs difference over {@code tokens} rows of width {@code h} starting at the given element offsets. */
    static double maxDiff(float[] a, int aOff, float[] b, int bOff, int tokens, int h) {
        double m = 0;
        for (int i = 0; i < tokens * h; i++) {
            float x = a[aOff + i], y = b[bOff + i];
            if (Float.isNaN(x) || Float.isNaN(y)) return Double.POSITIVE_INFINITY;
            m = Math.max(m, Math.abs(x - y));
        }
        return m;
    }
}
