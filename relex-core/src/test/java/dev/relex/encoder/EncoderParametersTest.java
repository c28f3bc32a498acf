package dev.relex.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.engine.Parameter;
import dev.relex.golden.RelexGolden;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The encoder's parameter list against the real checkpoints and the reference's gradient files, the
 * in-place update contract (values are what the encoder computes with; refreshDerived rebuilds the
 * derived tables), accumulation, determinism and the rejection of unsupported training settings.
 */
class EncoderParametersTest {
    static final String[] TRAINING_CASES = {"relex-span-gcn", "relex-span-dot-rnn0", "relex-span-none-rnn2",
            "relex-token-gcn", "relex-bert-span-gcn"};

    @Test
    void parametersAreExactlyTheTrainedCheckpointTensors() throws IOException {
        int checked = 0;
        for (String name : TRAINING_CASES) {
            Path model = RelexGolden.golden().resolve(name).resolve("model");
            Path training = RelexGolden.golden().resolve("training").resolve(name);
            if (!Files.isDirectory(model) || !Files.isDirectory(training)) continue;
            checked++;
            JsonNode expected = RelexGolden.JSON.readTree(training.resolve("expected.json").toFile());
            Set<String> withoutGrad = new TreeSet<>();
            expected.get("params_without_grad").forEach(n -> withoutGrad.add(n.asText()));
            try (Checkpoint ckpt = Checkpoint.open(model);
                 SafeTensors grads = SafeTensors.open(training.resolve("grads.safetensors"))) {
                TrainableEncoder enc = Encoders.createTrainable(ckpt.config().encoder(), ckpt.weights(),
                        Encoders.GLINER_PREFIX);
                Set<String> names = new HashSet<>();
                for (Parameter p : enc.parameters()) {
                    assertTrue(names.add(p.name()), name + ": duplicate parameter " + p.name());
                    assertTrue(ckpt.weights().contains(p.name()), name + ": " + p.name() + " is not a checkpoint key");
                    assertArrayEquals(ckpt.weights().info(p.name()).intShape(), p.shape(), name + ": shape of " + p.name());
                    assertArrayEquals(ckpt.weights().floats(p.name()), p.copyValue(), name + ": value of " + p.name());
                    assertTrue(grads.contains(p.name()) || grads.contains(p.name() + "::rows"),
                            name + ": the reference has no gradient for " + p.name());
                    assertFalse(withoutGrad.contains(p.name()), name + ": the reference gives " + p.name() + " no gradient");
                }
                Set<String> encoderKeys = new TreeSet<>();
                for (String k : ckpt.weights().names()) if (k.startsWith(Encoders.GLINER_PREFIX)) encoderKeys.add(k);
                Set<String> untrained = new TreeSet<>(Encoders.untrainedKeys(ckpt.weights(), Encoders.GLINER_PREFIX, enc));
                Set<String> union = new TreeSet<>(names);
                union.addAll(untrained);
                assertEquals(encoderKeys, union, name + ": parameters + untrained keys = every encoder key");
                // Exactly the tensors the reference leaves without gradient (BERT's pooler).
                assertEquals(withoutGrad, untrained, name + ": untrained keys");
                if (ckpt.config().encoder().isBert()) assertEquals(2, untrained.size(), "BERT pooler weight and bias");
            }
        }
        assumeTrue(checked > 0, "golden training data not present");
    }

    /** On the golden training batches: the training forward is the inference forward, bit for bit. */
    @Test
    void trainingForwardEqualsInferenceOnGoldenBatches() throws IOException {
        int checked = 0;
        for (String name : TRAINING_CASES) {
            Path model = RelexGolden.golden().resolve(name).resolve("model");
            Path batchFile = RelexGolden.golden().resolve("training").resolve(name).resolve("batch.safetensors");
            if (!Files.isRegularFile(batchFile)) continue;
            checked++;
            try (Checkpoint ckpt = Checkpoint.open(model); SafeTensors batchT = SafeTensors.open(batchFile)) {
                TrainableEncoder enc = Encoders.createTrainable(ckpt.config().encoder(), ckpt.weights(),
                        Encoders.GLINER_PREFIX);
                int[] shape = batchT.info("input_ids").intShape();
                int[] ids = GoldenData.ints(batchT, "input_ids"), mask = GoldenData.ints(batchT, "attention_mask");
                float[] a = new float[shape[0] * shape[1] * enc.hiddenSize()], b = a.clone();
                enc.forward(ids, mask, shape[0], shape[1], a);
                EncoderActivations st = new EncoderActivations();
                enc.forward(ids, mask, shape[0], shape[1], b, st);
                assertArrayEquals(a, b, name);
                // A second step with the same (warm) state allocates nothing new and gives the same output.
                long bytes = st.bytes();
                enc.forward(ids, mask, shape[0], shape[1], b, st);
                assertArrayEquals(a, b, name);
                assertEquals(bytes, st.bytes(), "grow-only state reallocated");
            }
        }
        assumeTrue(checked > 0, "golden training data not present");
    }

    /**
     * An optimizer-style in-place update of every parameter, then refreshDerived: the encoder computes
     * exactly what an encoder freshly built from the updated tensors computes.
     */
    @Test
    void inPlaceUpdatesWithRefreshEqualAFreshEncoder() {
        for (EncoderGradientTest.Case c : List.of(EncoderGradientTest.debertaV3(), EncoderGradientTest.bert(),
                EncoderGradientTest.deberta(NaiveReferenceTest.deb(-1, 6, List.of("c2p", "p2c"), false, false, true, 2,
                        12, 8, true, false), new int[] {8, 5}, 8, -1))) {
            MapTensorSource src = NaiveReferenceTest.randomWeights(c.s(), c.prefix(), 31);
            EncoderConfig cfg = EncoderConfig.fromJson(c.cfg());
            TrainableEncoder enc = Encoders.createTrainable(cfg, src, c.prefix());
            int[][] in = EncoderGradientTest.inputs(c);
            int batch = c.lengths().length, seqLen = c.seqLen();
            float[] before = new float[batch * seqLen * enc.hiddenSize()];
            enc.forward(in[0], in[1], batch, seqLen, before);

            Random rnd = new Random(3);
            MapTensorSource updated = new MapTensorSource(0);
            src.data.forEach((k, v) -> updated.put(k, v.clone(), src.shapes.get(k)));
            for (Parameter p : enc.parameters()) {
                for (int i = 0; i < p.size(); i++) p.data()[p.offset() + i] += (float) (0.05 * rnd.nextGaussian());
                updated.put(p.name(), p.copyValue(), Arrays.stream(p.shape()).asLongStream().toArray());
            }
            enc.refreshDerived();
            float[] after = new float[before.length], fresh = new float[before.length];
            enc.forward(in[0], in[1], batch, seqLen, after);
            Encoders.create(cfg, updated, c.prefix()).forward(in[0], in[1], batch, seqLen, fresh);
            assertArrayEquals(fresh, after, "updated in place vs fresh: " + c.s());
            assertFalse(Arrays.equals(before, after), "the update must change the output");
        }
    }

    @Test
    void gradientsAccumulateAndAreBitwiseReproducible() {
        EncoderGradientTest.Case c = EncoderGradientTest.debertaV3();
        MapTensorSource src = NaiveReferenceTest.randomWeights(c.s(), c.prefix(), 41);
        TrainableEncoder enc = Encoders.createTrainable(EncoderConfig.fromJson(c.cfg()), src, c.prefix());
        int[][] in = EncoderGradientTest.inputs(c);
        int batch = c.lengths().length, seqLen = c.seqLen(), h = enc.hiddenSize();
        float[] out = new float[batch * seqLen * h];
        float[] w = new float[out.length];
        Random rnd = new Random(1);
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        EncoderActivations st = new EncoderActivations();

        enc.forward(in[0], in[1], batch, seqLen, out, st);
        enc.backward(st, w);
        List<float[]> first = snapshot(enc);
        for (Parameter p : enc.parameters()) p.zeroGrad();
        enc.forward(in[0], in[1], batch, seqLen, out, st);
        enc.backward(st, w);
        List<float[]> again = snapshot(enc);
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), again.get(i), enc.parameters().get(i).name() + " not reproducible");
        }
        enc.backward(st, w); // a second backward of the same forward accumulates
        List<float[]> twice = snapshot(enc);
        for (int i = 0; i < first.size(); i++) {
            float[] g = first.get(i), g2 = twice.get(i);
            for (int j = 0; j < g.length; j++) {
                assertEquals(2 * g[j], g2[j], 1e-6 * (1 + Math.abs(g[j])), enc.parameters().get(i).name() + "[" + j + "]");
            }
        }
    }

    private static List<float[]> snapshot(TrainableEncoder enc) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : enc.parameters()) {
            out.add(Arrays.copyOfRange(p.grad(), p.offset(), p.offset() + p.size()));
        }
        return out;
    }

    @Test
    void configuredDropoutIsRejectedInTrainingUnlessIgnored() {
        EncoderGradientTest.Case c = EncoderGradientTest.bert();
        ObjectNode cfg = c.cfg().deepCopy();
        cfg.remove("hidden_dropout_prob"); // transformers' default 0.1 applies
        MapTensorSource src = NaiveReferenceTest.randomWeights(c.s(), c.prefix(), 5);
        TrainableEncoder enc = Encoders.createTrainable(EncoderConfig.fromJson(cfg), src, c.prefix());
        int[][] in = EncoderGradientTest.inputs(c);
        int batch = c.lengths().length, seqLen = c.seqLen();
        float[] out = new float[batch * seqLen * enc.hiddenSize()];
        enc.forward(in[0], in[1], batch, seqLen, out); // inference ignores dropout
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> enc.forward(in[0], in[1], batch, seqLen, out, new EncoderActivations()));
        assertTrue(e.getMessage().contains("hidden_dropout_prob 0.1"), e.getMessage());
        EncoderActivations st = new EncoderActivations().ignoreConfiguredDropout(true);
        enc.forward(in[0], in[1], batch, seqLen, out, st);
        enc.backward(st, new float[out.length]);
    }

    @Test
    void backwardNeedsACompletedForwardOfTheSameEncoder() {
        EncoderGradientTest.Case c = EncoderGradientTest.bert();
        MapTensorSource src = NaiveReferenceTest.randomWeights(c.s(), c.prefix(), 5);
        EncoderConfig cfg = EncoderConfig.fromJson(c.cfg());
        TrainableEncoder enc = Encoders.createTrainable(cfg, src, c.prefix());
        TrainableEncoder other = Encoders.createTrainable(cfg, src, c.prefix());
        int[][] in = EncoderGradientTest.inputs(c);
        int batch = c.lengths().length, seqLen = c.seqLen();
        float[] out = new float[batch * seqLen * enc.hiddenSize()];
        EncoderActivations st = new EncoderActivations();
        assertThrows(IllegalStateException.class, () -> enc.backward(st, out));
        enc.forward(in[0], in[1], batch, seqLen, out, st);
        assertThrows(IllegalStateException.class, () -> other.backward(st, out));
        assertThrows(IllegalArgumentException.class, () -> enc.backward(st, new float[3]));
    }
}
