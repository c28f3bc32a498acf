package dev.relex.encoder;

import dev.relex.checkpoint.EncoderConfig;
import dev.relex.engine.Parameter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * LoRA adapters on the encoder: identity at initialisation, W_eff = W + (alpha/r)·B·A against an
 * encoder built from W_eff computed in double, merge = unmerged bit for bit, adapter gradients
 * against the chain rule applied (in double) to the full weight gradient of the merged encoder, and a
 * float32 finite-difference spot check of A and B.
 */
class EncoderLoraTest {
    static final LoraConfig ALL = new LoraConfig(2, 4.0, EnumSet.allOf(LoraConfig.Target.class));

    record Setup(EncoderGradientTest.Case c, MapTensorSource src, EncoderConfig cfg, int[] ids, int[] mask, int batch,
                 int seqLen) {
        TrainableEncoder encoder() {
            return Encoders.createTrainable(cfg, src, c.prefix());
        }

        float[] forward(TrainableEncoder enc) {
            float[] out = new float[batch * seqLen * enc.hiddenSize()];
            enc.forward(ids, mask, batch, seqLen, out);
            return out;
        }
    }

    static Setup setup(EncoderGradientTest.Case c) {
        MapTensorSource src = NaiveReferenceTest.randomWeights(c.s(), c.prefix(), 61);
        int[][] in = EncoderGradientTest.inputs(c);
        return new Setup(c, src, EncoderConfig.fromJson(c.cfg()), in[0], in[1], c.lengths().length, c.seqLen());
    }

    /** Sets every lora_B to random values (as after some training) and refreshes. */
    static void randomB(TrainableEncoder enc, long seed) {
        Random rnd = new Random(seed);
        for (Parameter p : enc.loraParameters()) {
            if (!p.name().endsWith("lora_B.weight")) continue;
            for (int i = 0; i < p.size(); i++) p.data()[p.offset() + i] = (float) (0.2 * rnd.nextGaussian());
        }
        enc.refreshDerived();
    }

    @Test
    void adaptersStartAsIdentityComputeWEffAndMergeExactly() {
        for (EncoderGradientTest.Case c : List.of(EncoderGradientTest.debertaV3(), EncoderGradientTest.bert())) {
            Setup s = setup(c);
            TrainableEncoder enc = s.encoder();
            float[] plain = s.forward(enc);
            List<Parameter> lora = enc.enableLora(ALL, 7);
            assertEquals(2 * 6 * c.s().layers(), lora.size());
            assertArrayEquals(plain, s.forward(enc), "B = 0: adapters must not change the output");
            String q = c.prefix() + "encoder.layer.1.attention.self." + (c.s().bert() ? "query" : "query_proj");
            Map<String, Parameter> byName = new HashMap<>();
            for (Parameter p : enc.parameters()) assertNull(byName.put(p.name(), p), "duplicate " + p.name());
            int a = c.s().heads() * c.s().headSize(), h = c.s().hidden();
            assertArrayEquals(new int[] {2, h}, byName.get(q + ".lora_A.weight").shape());
            assertArrayEquals(new int[] {a, 2}, byName.get(q + ".lora_B.weight").shape());
            assertArrayEquals(s.src().data.get(q + ".weight"), byName.get(q + ".weight").copyValue(), "frozen base");

            randomB(enc, 3);
            float[] adapted = s.forward(enc);
            assertFalse(Arrays.equals(plain, adapted));
            // Independent W_eff = W + (alpha/r)·B·A in double, in a fresh encoder.
            MapTensorSource eff = new MapTensorSource(0);
            s.src().data.forEach((k, v) -> eff.put(k, v.clone(), s.src().shapes.get(k)));
            for (Parameter p : enc.parameters()) {
                if (!p.name().endsWith(".lora_A.weight")) continue;
                String module = p.name().substring(0, p.name().length() - ".lora_A.weight".length());
                float[] w = eff.data.get(module + ".weight"), av = byName.get(module + ".lora_A.weight").copyValue(),
                        bv = byName.get(module + ".lora_B.weight").copyValue();
                int out = byName.get(module + ".lora_B.weight").shape()[0], in = p.shape()[1];
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        double d = 0;
                        for (int r = 0; r < 2; r++) d += (double) bv[o * 2 + r] * av[r * in + i];
                        w[o * in + i] = (float) (w[o * in + i] + 2.0 * d);
                    }
                }
            }
            float[] expected = s.forward(Encoders.createTrainable(s.cfg(), eff, c.prefix()));
            for (int i = 0; i < expected.length; i++) assertEquals(expected[i], adapted[i], 1e-4, "output " + i);

            enc.mergeLora();
            assertTrue(enc.loraParameters().isEmpty());
            for (Parameter p : enc.parameters()) assertFalse(p.name().contains("lora_"), p.name());
            assertArrayEquals(adapted, s.forward(enc), "merged must compute exactly what the adapters computed");
            // Exported merged weights rebuild the same encoder.
            MapTensorSource merged = new MapTensorSource(0);
            for (Parameter p : enc.parameters()) {
                merged.put(p.name(), p.copyValue(), Arrays.stream(p.shape()).asLongStream().toArray());
            }
            assertArrayEquals(adapted, s.forward(Encoders.createTrainable(s.cfg(), merged, c.prefix())));
        }
    }

    @Test
    void adapterGradientsFollowFromTheMergedWeightGradient() {
        for (EncoderGradientTest.Case c : List.of(EncoderGradientTest.debertaV3(), EncoderGradientTest.bert())) {
            Setup s = setup(c);
            TrainableEncoder withLora = s.encoder();
            withLora.enableLora(ALL, 7);
            randomB(withLora, 3);
            TrainableEncoder merged = s.encoder(); // the same adapters, folded: a plain encoder on W_eff
            merged.enableLora(ALL, 7);
            randomB(merged, 3);
            merged.mergeLora();

            float[] w = new float[s.batch() * s.seqLen() * withLora.hiddenSize()];
            Random rnd = new Random(11);
            for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
            for (TrainableEncoder e : List.of(withLora, merged)) {
                EncoderActivations st = new EncoderActivations();
                float[] out = new float[w.length];
                e.forward(s.ids(), s.mask(), s.batch(), s.seqLen(), out, st);
                e.backward(st, w);
            }
            Map<String, Parameter> m = new HashMap<>();
            for (Parameter p : merged.parameters()) m.put(p.name(), p);
            Map<String, Parameter> l = new HashMap<>();
            for (Parameter p : withLora.parameters()) l.put(p.name(), p);
            for (Parameter p : withLora.parameters()) {
                String name = p.name();
                if (name.endsWith(".lora_A.weight") || name.endsWith(".lora_B.weight")) continue;
                if (l.containsKey(name.substring(0, name.length() - ".weight".length()) + ".lora_A.weight")) {
                    assertFalse(p.hasGrad(), "frozen base " + name + " got a gradient");
                    continue;
                }
                // Not adapted: identical computation, identical gradient.
                assertArrayEquals(slice(m.get(name)), slice(p), name);
            }
            for (Parameter p : withLora.loraParameters()) {
                if (!p.name().endsWith(".lora_A.weight")) continue;
                String module = p.name().substring(0, p.name().length() - ".lora_A.weight".length());
                Parameter bp = l.get(module + ".lora_B.weight");
                float[] g = slice(m.get(module + ".weight")); // dW_eff
                float[] av = p.copyValue(), bv = bp.copyValue();
                int in = p.shape()[1], out = bp.shape()[0], r = 2;
                double[] dA = new double[r * in], dB = new double[out * r];
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        for (int k = 0; k < r; k++) {
                            dA[k * in + i] += 2.0 * bv[o * r + k] * g[o * in + i];
                            dB[o * r + k] += 2.0 * g[o * in + i] * av[k * in + i];
                        }
                    }
                }
                compare(dA, slice(p), p.name());
                compare(dB, slice(bp), bp.name());
            }
        }
    }

    private static void compare(double[] expected, float[] actual, String name) {
        double max = 0;
        for (double v : expected) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * max + 1e-7, name + "[" + i + "]");
        }
    }

    private static float[] slice(Parameter p) {
        return Arrays.copyOfRange(p.grad(), p.offset(), p.offset() + p.size());
    }

    /** Float32 central differences of L = Σ w ⊙ out on a few A and B elements (step 1e-2, tolerance 3e-2·max|g_T| + 3e-3). */
    @Test
    void adapterGradientsMatchFiniteDifferences() {
        Setup s = setup(EncoderGradientTest.debertaV3());
        TrainableEncoder enc = s.encoder();
        enc.enableLora(new LoraConfig(2, 8.0, EnumSet.of(LoraConfig.Target.KEY, LoraConfig.Target.VALUE,
                LoraConfig.Target.OUTPUT)), 5);
        randomB(enc, 9);
        float[] w = new float[s.batch() * s.seqLen() * enc.hiddenSize()];
        Random rnd = new Random(13);
        for (int i = 0; i < w.length; i++) w[i] = s.mask()[i / enc.hiddenSize()] != 0 ? (float) rnd.nextGaussian() : 0f;
        EncoderActivations st = new EncoderActivations();
        float[] out = new float[w.length];
        enc.forward(s.ids(), s.mask(), s.batch(), s.seqLen(), out, st);
        enc.backward(st, w);
        for (Parameter p : enc.loraParameters()) {
            double maxG = 0;
            for (float v : slice(p)) maxG = Math.max(maxG, Math.abs(v));
            for (int i = 0; i < p.size(); i += Math.max(1, p.size() / 4)) {
                float v0 = p.data()[p.offset() + i];
                double step = 1e-2;
                p.data()[p.offset() + i] = (float) (v0 + step);
                enc.refreshDerived();
                double lp = loss(s.forward(enc), w);
                p.data()[p.offset() + i] = (float) (v0 - step);
                enc.refreshDerived();
                double lm = loss(s.forward(enc), w);
                p.data()[p.offset() + i] = v0;
                enc.refreshDerived();
                double fd = (lp - lm) / ((double) (float) (v0 + step) - (double) (float) (v0 - step));
                assertEquals(fd, p.grad()[p.offset() + i], 3e-2 * maxG + 3e-3, p.name() + "[" + i + "]");
            }
        }
    }

    private static double loss(float[] out, float[] w) {
        double l = 0;
        for (int i = 0; i < out.length; i++) l += (double) out[i] * w[i];
        return l;
    }

    @Test
    void invalidConfigurationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(0, 1, EnumSet.of(LoraConfig.Target.QUERY)));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(2, 0, EnumSet.of(LoraConfig.Target.QUERY)));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(2, 1, EnumSet.noneOf(LoraConfig.Target.class)));
        TrainableEncoder enc = setup(EncoderGradientTest.bert()).encoder();
        enc.enableLora(ALL, 1);
        assertThrows(IllegalStateException.class, () -> enc.enableLora(ALL, 1));
        enc.mergeLora();
        enc.mergeLora(); // no-op
        enc.enableLora(ALL, 2); // allowed again after merging
    }
}
