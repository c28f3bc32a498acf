package dev.relex.encoder;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.engine.Parameter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Finite-difference checks of the encoder backward on tiny random BERT and DeBERTa configurations.
 *
 * <p>Loss L = Σ w ⊙ out over real (mask ≠ 0) positions, w random. The analytic float32 gradient of
 * {@link TrainableEncoder#backward} is compared with central differences of L evaluated in double
 * precision by the independent {@link NaiveTransformer} (the literal transformers re-implementation),
 * perturbing the float32 weights it reads (step h = 1e-4, 1e-5 with ReLU, divided by the perturbation
 * actually representable in float32). Tolerance per sampled element: |g − fd| ≤ 2e-3·max|g_T| + 2e-4 where
 * max|g_T| is the largest analytic gradient of that tensor (the float32 backward is accurate to ~1e-5
 * relative; a wrong term or index gives errors of the order of the gradient itself). Every parameter
 * tensor is probed on up to 8 elements that the batch can influence, and elements it cannot influence
 * (unused word rows, token type row 1, position rows past the longest sequence) must get exactly 0.
 */
class EncoderGradientTest {
    static final int VOCAB = NaiveReferenceTest.VOCAB;

    record Case(NaiveTransformer.Settings s, ObjectNode cfg, String prefix, int[] lengths, int seqLen, int holeAt) {}

    static ObjectNode noDropout(ObjectNode n) {
        n.put("hidden_dropout_prob", 0.0);
        n.put("attention_probs_dropout_prob", 0.0);
        return n;
    }

    static Case bert() {
        var s = new NaiveTransformer.Settings(true, 8, 2, 4, 16, 2, 1e-12, 8, true, 2, false, -1, -1,
                List.of(), false, false, false);
        ObjectNode n = NaiveReferenceTest.JSON.createObjectNode();
        n.put("model_type", "bert");
        n.put("hidden_size", 8);
        n.put("num_hidden_layers", 2);
        n.put("num_attention_heads", 2);
        n.put("intermediate_size", 16);
        n.put("hidden_act", "gelu");
        n.put("max_position_embeddings", 64);
        n.put("vocab_size", VOCAB);
        return new Case(s, noDropout(n), Encoders.GLINER_PREFIX, new int[] {6, 3}, 6, -1);
    }

    static Case deberta(NaiveTransformer.Settings s, int[] lengths, int seqLen, int holeAt) {
        return new Case(s, noDropout(NaiveReferenceTest.deberta(s)), Encoders.GLINER_PREFIX, lengths, seqLen, holeAt);
    }

    /** v3 style: shared keys, rel LayerNorm, log buckets (mid 2) reached by distances up to 8. */
    static Case debertaV3() {
        return deberta(NaiveReferenceTest.deb(4, 8, List.of("p2c", "c2p"), true, true, false, 0, 16, 8, true, false),
                new int[] {9, 5}, 9, -1);
    }

    @Test
    void bertGradientsMatchFiniteDifferences() {
        check(bert());
    }

    @Test
    void bertWithMaskHoleGradientsMatchFiniteDifferences() {
        Case c = bert();
        check(new Case(c.s(), c.cfg(), c.prefix(), c.lengths(), c.seqLen(), 2));
    }

    @Test
    void debertaV3GradientsMatchFiniteDifferences() {
        check(debertaV3());
    }

    @Test
    void debertaSeparatePositionProjectionsEmbeddingProjectionAndHole() {
        // Plain clamped distances (±6), pos_key_proj / pos_query_proj, no rel LayerNorm, embed_proj 12 → 16,
        // absolute positions and token types, a mask hole inside the first sequence.
        check(deberta(NaiveReferenceTest.deb(-1, 6, List.of("c2p", "p2c"), false, false, true, 2, 12, 8, true, false),
                new int[] {8, 5}, 8, 2));
    }

    @Test
    void debertaWithRelu() {
        check(deberta(NaiveReferenceTest.deb(8, 16, List.of("c2p", "p2c"), true, true, false, 0, 16, 8, true, true),
                new int[] {8, 5}, 8, -1));
    }

    @Test
    void debertaC2pOnlyWithHeadSizeNotHiddenOverHeads() {
        check(deberta(NaiveReferenceTest.deb(8, 16, List.of("c2p"), true, true, false, 0, 16, 6, true, false),
                new int[] {7, 4}, 7, -1));
    }

    @Test
    void debertaP2cOnly() {
        check(deberta(NaiveReferenceTest.deb(4, 8, List.of("p2c"), true, true, false, 0, 16, 8, true, false),
                new int[] {6, 9}, 9, -1));
    }

    @Test
    void debertaWithoutRelativeAttention() {
        check(deberta(NaiveReferenceTest.deb(-1, -1, List.of("c2p", "p2c"), true, false, true, 0, 16, 8, false, false),
                new int[] {5, 7}, 7, -1));
    }

    static int[][] inputs(Case c) {
        int batch = c.lengths().length, seqLen = c.seqLen();
        int[] ids = new int[batch * seqLen];
        int[] mask = new int[batch * seqLen];
        Random rnd = new Random(5);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seqLen; t++) {
                // Ids from the lower half of the vocabulary only, with repeats, so the upper half must get 0.
                ids[b * seqLen + t] = t < c.lengths()[b] ? 1 + rnd.nextInt(VOCAB / 2 - 1) : 0;
                mask[b * seqLen + t] = t < c.lengths()[b] ? 1 : 0;
            }
        }
        ids[1] = ids[0]; // a repeated id: its row gradient is a sum
        if (c.holeAt() >= 0) mask[c.holeAt()] = 0;
        return new int[][] {ids, mask};
    }

    static double naiveLoss(NaiveTransformer naive, int[] ids, int[] mask, int batch, int seqLen, int h, float[] w) {
        double[][][] out = naive.forward(ids, mask, batch, seqLen);
        double loss = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seqLen; t++) {
                if (mask[b * seqLen + t] == 0) continue;
                for (int c = 0; c < h; c++) loss += w[(b * seqLen + t) * h + c] * out[b][t][c];
            }
        }
        return loss;
    }

    private static void check(Case c) {
        MapTensorSource src = NaiveReferenceTest.randomWeights(c.s(), c.prefix(), 23 + c.s().hashCode());
        Map<String, float[]> plain = new HashMap<>();
        src.data.forEach((k, v) -> plain.put(k.substring(c.prefix().length()), v));
        NaiveTransformer naive = new NaiveTransformer(c.s(), plain);
        TrainableEncoder enc = Encoders.createTrainable(EncoderConfig.fromJson(c.cfg()), src, c.prefix());
        int batch = c.lengths().length, seqLen = c.seqLen(), h = enc.hiddenSize();
        int[][] in = inputs(c);
        int[] ids = in[0], mask = in[1];

        float[] inference = new float[batch * seqLen * h];
        enc.forward(ids, mask, batch, seqLen, inference);
        EncoderActivations state = new EncoderActivations();
        float[] out = new float[batch * seqLen * h];
        enc.forward(ids, mask, batch, seqLen, out, state);
        assertArrayEquals(inference, out, "training forward must equal the inference forward bit for bit");

        Random rnd = new Random(99);
        float[] w = new float[out.length];
        for (int i = 0; i < w.length; i++) w[i] = mask[i / h] != 0 ? (float) rnd.nextGaussian() : 0f;
        enc.backward(state, w);

        int longest = 0;
        for (int len : c.lengths()) longest = Math.max(longest, len);
        java.util.Set<Integer> usedIds = new java.util.TreeSet<>();
        for (int b = 0; b < batch; b++) for (int t = 0; t < c.lengths()[b]; t++) usedIds.add(ids[b * seqLen + t]);

        // ReLU: a step must rarely carry a pre-activation across 0 (the kink), so it is much smaller.
        double stepSize = c.s().relu() ? 1e-5 : 1e-4;
        List<String> failures = new ArrayList<>();
        int probed = 0;
        double worst = 0;
        Random pick = new Random(7);
        for (Parameter p : enc.parameters()) {
            String key = p.name().substring(c.prefix().length());
            float[] values = plain.get(key);
            assertNotNull(values, "parameter " + p.name() + " is not a checkpoint tensor");
            assertEquals(values.length, p.size(), p.name());
            float[] g = p.grad();
            int[] shape = p.shape();
            int rowWidth = shape.length == 2 ? shape[1] : p.size();
            // Elements the batch can influence.
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                int row = i / rowWidth;
                boolean reachable = switch (key) {
                    case "embeddings.word_embeddings.weight" -> usedIds.contains(row);
                    case "embeddings.token_type_embeddings.weight" -> row == 0;
                    case "embeddings.position_embeddings.weight" -> row < longest;
                    default -> true;
                };
                if (reachable) candidates.add(i);
                else if (g[p.offset() + i] != 0f) failures.add(p.name() + "[" + i + "] unreachable but gradient " + g[p.offset() + i]);
            }
            double maxG = 0;
            for (int i : candidates) maxG = Math.max(maxG, Math.abs(g[p.offset() + i]));
            java.util.Collections.shuffle(candidates, pick);
            for (int i : candidates.subList(0, Math.min(8, candidates.size()))) {
                float v0 = values[i];
                float up = (float) (v0 + stepSize), down = (float) (v0 - stepSize);
                values[i] = up;
                double lp = naiveLoss(naive, ids, mask, batch, seqLen, h, w);
                values[i] = down;
                double lm = naiveLoss(naive, ids, mask, batch, seqLen, h, w);
                values[i] = v0;
                double fd = (lp - lm) / ((double) up - (double) down);
                double an = g[p.offset() + i];
                double tol = 2e-3 * maxG + 2e-4;
                worst = Math.max(worst, Math.abs(an - fd) / tol);
                probed++;
                if (!(Math.abs(an - fd) <= tol)) {
                    failures.add(String.format("%s[%d]: analytic %.6g, finite difference %.6g (tensor max |g| %.3g)",
                            p.name(), i, an, fd, maxG));
                }
            }
        }
        System.out.printf("%s: %d elements probed, worst |g - fd| / tolerance = %.3g%n", c.s(), probed, worst);
        assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n" + String.join("\n", failures));
    }
}
