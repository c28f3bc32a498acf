package dev.relex.encoder;

import dev.relex.golden.RelexGolden;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.checkpoint.SafeTensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The 2-layer DeBERTa-v3 encoder of golden/deberta-v3-tiny-encoder (reference: microsoft/DeBERTa on
 * PyTorch): every layer's output on real tokens within 1e-4, in the padded batch and row by row.
 */
class DebertaTinyEncoderGoldenTest {
    static final double TOL = 1e-4;
    static Path dir;
    static SafeTensors model;
    static SafeTensors expected;
    static TransformerEncoder encoder;
    static int batch;
    static int seqLen;
    static int[] ids;
    static int[] mask;

    @BeforeAll
    static void load() throws IOException {
        dir = RelexGolden.golden().resolve("deberta-v3-tiny-encoder");
        assumeTrue(Files.isDirectory(dir), "golden data not present: " + dir);
        EncoderConfig cfg = EncoderConfig.fromJson(new ObjectMapper().readTree(dir.resolve("config.json").toFile()));
        model = SafeTensors.open(dir.resolve("model.safetensors"));
        expected = SafeTensors.open(dir.resolve("expected.safetensors"));
        encoder = (TransformerEncoder) Encoders.create(cfg, model, "");
        int[] shape = expected.info("input_ids").intShape();
        batch = shape[0];
        seqLen = shape[1];
        ids = GoldenData.ints(expected, "input_ids");
        mask = GoldenData.ints(expected, "attention_mask");
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
        if (expected != null) expected.close();
    }

    @Test
    void everyLayerMatchesReferenceInPaddedBatch() {
        assertEquals(2, encoder.numLayers());
        assertEquals(32, encoder.hiddenSize());
        int h = encoder.hiddenSize();
        float[] out = new float[batch * seqLen * h];
        for (int l = 0; l <= encoder.numLayers(); l++) {
            encoder.forward(ids, mask, batch, seqLen, out, l);
            float[] want = expected.floats("layer_" + l + "_output");
            double err = GoldenData.maxAbsDiffOnRealTokens(out, want, mask, h);
            System.out.printf("deberta-v3-tiny-encoder layer_%d_output max abs err %.3g%n", l, err);
            assertTrue(err <= TOL, "layer_" + l + "_output max abs error " + err);
        }
        encoder.forward(ids, mask, batch, seqLen, out);
        double err = GoldenData.maxAbsDiffOnRealTokens(out, expected.floats("last_hidden_state"), mask, h);
        System.out.printf("deberta-v3-tiny-encoder last_hidden_state max abs err %.3g%n", err);
        assertTrue(err <= TOL, "last_hidden_state max abs error " + err);
    }

    @Test
    void longRowUsesLogBuckets() {
        // Guard that the case really exercises distances above 128 (log buckets).
        int longest = 0;
        for (int b = 0; b < batch; b++) {
            int n = 0;
            for (int t = 0; t < seqLen; t++) n += mask[b * seqLen + t];
            longest = Math.max(longest, n);
        }
        assertTrue(longest > 129, "longest row has only " + longest + " tokens");
    }

    @Test
    void eachRowAloneMatchesReference() {
        int h = encoder.hiddenSize();
        float[] want = expected.floats("last_hidden_state");
        for (int b = 0; b < batch; b++) {
            int len = 0;
            for (int t = 0; t < seqLen; t++) if (mask[b * seqLen + t] != 0) len = t + 1;
            int[] rowIds = Arrays.copyOfRange(ids, b * seqLen, b * seqLen + len);
            int[] rowMask = Arrays.copyOfRange(mask, b * seqLen, b * seqLen + len);
            float[] out = new float[len * h];
            encoder.forward(rowIds, rowMask, 1, len, out);
            float[] rowWant = Arrays.copyOfRange(want, b * seqLen * h, (b * seqLen + len) * h);
            double err = GoldenData.maxAbsDiffOnRealTokens(out, rowWant, rowMask, h);
            System.out.printf("deberta-v3-tiny-encoder row %d alone (%d tokens) max abs err %.3g%n", b, len, err);
            assertTrue(err <= TOL, "row " + b + " alone: max abs error " + err);
        }
    }

    @Test
    void paddingPositionsAreZeroAndDoNotLeak() {
        int h = encoder.hiddenSize();
        // Row 0 padded to the full width vs. the same row with extra padding appended: identical states.
        int len = 0;
        for (int t = 0; t < seqLen; t++) if (mask[t] != 0) len = t + 1;
        int wider = seqLen + 7;
        int[] id2 = new int[wider];
        int[] m2 = new int[wider];
        System.arraycopy(ids, 0, id2, 0, len);
        System.arraycopy(mask, 0, m2, 0, len);
        Arrays.fill(id2, len, wider, 5); // arbitrary ids under padding must not matter
        float[] a = new float[seqLen * h];
        float[] b = new float[wider * h];
        encoder.forward(ids, mask, 1, seqLen, a);
        encoder.forward(id2, m2, 1, wider, b);
        assertArrayEquals(Arrays.copyOf(a, len * h), Arrays.copyOf(b, len * h), 0f);
        for (int i = len * h; i < wider * h; i++) assertEquals(0f, b[i], "padded output must be zero");
    }
}
