package dev.relex.train.loss;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.train.golden.TrainingGolden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.relex.train.golden.TrainingGolden.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reproduces the reference's loss components and totals ({@code expected.json} loss_A, loss_B and every
 * loss_extra setting) from the tensors the reference's loss functions received ({@code forward.safetensors}),
 * example by example through {@link ComponentLosses}, with the batch-level "mean" denominators of golden
 * README difference 7. Also pins the per-example validity rules against the reference's masks.
 */
public class LossGoldenTest {
    /** Achieved: every component and total within 1.7e-7 relative of the reference float32 values (all 25 settings). */
    static final double REL_TOL = 1e-6;

    @TestFactory
    List<DynamicTest> lossesMatchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : TrainingGolden.cases()) {
            JsonNode expected = TrainingGolden.json(dir.resolve("expected.json"));
            List<Map.Entry<String, JsonNode>> settings = new ArrayList<>();
            settings.add(Map.entry("loss_A", expected.get("loss_A")));
            settings.add(Map.entry("loss_B", expected.get("loss_B")));
            expected.get("loss_extra").fields().forEachRemaining(e -> settings.add(Map.entry("loss_extra." + e.getKey(), e.getValue())));
            for (Map.Entry<String, JsonNode> s : settings) {
                tests.add(DynamicTest.dynamicTest(dir.getFileName() + " " + s.getKey(), () -> check(dir, s.getKey(), s.getValue())));
            }
        }
        assertFalse(tests.isEmpty(), "no golden training cases under " + TrainingGolden.root());
        return tests;
    }

    public static LossSettings settings(JsonNode kw) {
        return LossSettings.builder()
                .focalLossAlpha(kw.get("alpha").asDouble()).focalLossGamma(kw.get("gamma").asDouble())
                .relFocalLossAlpha(kw.get("rel_alpha").asDouble()).relFocalLossGamma(kw.get("rel_gamma").asDouble())
                .focalLossProbMargin(kw.get("prob_margin").asDouble()).labelSmoothing(kw.get("label_smoothing").asDouble())
                .reduction(Reduction.parse(kw.get("reduction").asText())).negatives(kw.get("negatives").asDouble())
                .masking(Masking.parse(kw.get("masking").asText())).build();
    }

    /** Per-example components (sums) and the batch denominators, from forward.safetensors + batch.safetensors. */
    record Components(double entitySum, double adjacencySum, double relationSum, double entityDenominator,
                      double adjacencyDenominator, double relationDenominator, boolean hasAdjacency) {}

    static Components compute(Path dir, LossSettings ls) {
        try (SafeTensors fw = SafeTensors.open(dir.resolve("forward.safetensors"));
             SafeTensors batch = SafeTensors.open(dir.resolve("batch.safetensors"))) {
            boolean token = fw.names().contains("loss_word_mask");
            boolean hasAdj = fw.names().contains("adjacency");
            int[] textLengths = ints(batch, "text_lengths");
            int[] classMask = ints(fw, "entity_class_mask");
            int[] logitShape = fw.info("entity_logits").intShape();
            int B = logitShape[0], Wmax = logitShape[1];
            int Cmax = classMask.length / B;
            float[] logits = fw.floats("entity_logits");
            float[] labels = batch.floats("labels");
            double entSum = 0, entDen = 0;
            for (int b = 0; b < B; b++) {
                int W = textLengths[b];
                int C = 0;
                for (int c = 0; c < Cmax; c++) C += classMask[b * Cmax + c];
                for (int c = 0; c < C; c++) assertEquals(1, classMask[b * Cmax + c], "class mask is a prefix");
                if (token) {
                    int[] wordMask = ints(fw, "loss_word_mask");
                    for (int w = 0; w < Wmax; w++) assertEquals(w < W ? 1 : 0, wordMask[b * Wmax + w], "word mask b" + b + " w" + w);
                    float[] x = new float[W * C * 3], y = new float[W * C * 3];
                    for (int w = 0; w < W; w++) for (int c = 0; c < C; c++) for (int k = 0; k < 3; k++) {
                        int src = ((b * Wmax + w) * Cmax + c) * 3 + k;
                        x[(w * C + c) * 3 + k] = logits[src];
                        y[(w * C + c) * 3 + k] = labels[src];
                    }
                    entSum += ComponentLosses.token(x, 0, y, 0, W, C, ls.entity(), null, 0, 1);
                    entDen += (double) W * C;
                } else {
                    int K = logitShape[2];
                    int[] spanMask = ints(fw, "loss_span_mask");
                    float[] x = new float[W * K * C], y = new float[W * K * C];
                    for (int f = 0; f < Wmax * K; f++) {
                        int s = f / K, w = f % K;
                        boolean valid = s < W && s + w < W;
                        assertEquals(valid ? 1 : 0, spanMask[b * Wmax * K + f], "span mask b" + b + " f" + f);
                        if (valid) entDen++;
                        if (s >= W) continue;
                        for (int c = 0; c < C; c++) {
                            x[f * C + c] = logits[(b * Wmax * K + f) * Cmax + c];
                            y[f * C + c] = labels[(b * Wmax * K + f) * Cmax + c];
                        }
                    }
                    entSum += ComponentLosses.span(x, 0, y, 0, W, K, C, ls.entity(), null, null, 0, 1);
                }
            }
            int[] candMask = ints(fw, "candidate_mask");
            int Emax = candMask.length / B;
            double adjSum = 0, adjDen = 0;
            if (hasAdj) {
                float[] adj = fw.floats("adjacency"), adjT = fw.floats("adjacency_target"), adjM = fw.floats("adjacency_mask");
                for (int b = 0; b < B; b++) {
                    int E = 0;
                    for (int e = 0; e < Emax; e++) E += candMask[b * Emax + e];
                    float[] x = new float[E * E], y = new float[E * E];
                    for (int i = 0; i < Emax; i++) for (int j = 0; j < Emax; j++) {
                        int src = (b * Emax + i) * Emax + j;
                        assertEquals(i < E && j < E ? 1f : 0f, adjM[src], "adjacency mask b" + b);
                        if (i < E && j < E) {
                            x[i * E + j] = adj[src];
                            y[i * E + j] = adjT[src];
                        }
                    }
                    adjSum += ComponentLosses.adjacency(x, 0, y, 0, E, ls.relation(), null, null, 0, 1);
                    adjDen += (double) E * E;
                }
            }
            int[] pairMask = ints(fw, "pair_mask"), relClassMask = ints(fw, "rel_class_mask"), relPairMask = ints(fw, "rel_pair_mask");
            int[] rs = fw.info("rel_logits").intShape();
            int Nmax = rs[1], Rmax = rs[2];
            float[] rl = fw.floats("rel_logits"), rt = fw.floats("rel_target");
            double relSum = 0, relDen = 0;
            for (int b = 0; b < B; b++) {
                int N = 0, R = 0;
                for (int n = 0; n < Nmax; n++) N += pairMask[b * Nmax + n];
                for (int r = 0; r < Rmax; r++) R += relClassMask[(b * Nmax) * Rmax + r];
                float[] x = new float[N * R], y = new float[N * R];
                for (int n = 0; n < Nmax; n++) for (int r = 0; r < Rmax; r++) {
                    int src = (b * Nmax + n) * Rmax + r;
                    assertEquals(n < N ? 1 : 0, relPairMask[src]);
                    assertEquals(r < R ? 1 : 0, relClassMask[src]);
                    if (n < N && r < R) {
                        x[n * R + r] = rl[src];
                        y[n * R + r] = rt[src];
                    }
                }
                relSum += ComponentLosses.relation(x, 0, y, 0, N, R, ls.relation(), null, null, 0, 1);
                relDen += (double) N * R;
            }
            return new Components(entSum, adjSum, relSum, entDen, adjDen, relDen, hasAdj);
        }
    }

    private static void check(Path dir, String name, JsonNode setting) {
        LossSettings ls = settings(setting.get("loss_kwargs"));
        Components c = compute(dir, ls);
        boolean mean = ls.reduction() == Reduction.MEAN;
        double ent = mean ? c.entitySum() / c.entityDenominator() : c.entitySum();
        double adj = mean ? c.adjacencySum() / c.adjacencyDenominator() : c.adjacencySum();
        double rel = mean ? c.relationSum() / c.relationDenominator() : c.relationSum();
        double total = ent + (c.hasAdjacency() ? adj : 0) + rel;
        String where = dir.getFileName() + " " + name;
        double eEnt = setting.get("entity_loss").asDouble(), eRel = setting.get("relation_loss").asDouble();
        double eTot = setting.get("total").asDouble();
        System.out.printf("%s: entity %.9g (ref %.9g, rel %.2e) relation %.9g (rel %.2e)", where, ent, eEnt,
                Math.abs(ent - eEnt) / Math.abs(eEnt), rel, Math.abs(rel - eRel) / Math.abs(eRel));
        assertClose(eEnt, ent, where + " entity");
        assertClose(eRel, rel, where + " relation");
        if (c.hasAdjacency()) {
            double eAdj = setting.get("adjacency_loss").asDouble();
            System.out.printf(" adjacency %.9g (rel %.2e)", adj, Math.abs(adj - eAdj) / Math.abs(eAdj));
            assertClose(eAdj, adj, where + " adjacency");
        } else {
            assertTrue(setting.get("adjacency_loss").isNull(), where + ": reference has an adjacency loss");
        }
        System.out.printf(" total rel %.2e%n", Math.abs(total - eTot) / Math.abs(eTot));
        assertClose(eTot, total, where + " total");
    }

    static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= REL_TOL * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual + " (rel " + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }
}
