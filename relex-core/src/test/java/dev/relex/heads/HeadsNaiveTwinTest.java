package dev.relex.heads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.text.EncodedInput;
import dev.relex.text.Word;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link RelexHeads} against {@link NaiveHeads} (double precision, plain loops) on random weights and
 * inputs, for both entity heads and every adjacency mode, with LSTM depth 0/1/2, with and without the
 * Denc→D projection and with embed_ent_token/embed_rel_token false. Thresholds are put in the middle of
 * gaps of the naive probabilities, so candidate and pair sets must be identical.
 */
class HeadsNaiveTwinTest {
    static final String[] MODES = {"gcn", "dot", "bilinear", "mlp", "attention", "attn", "gat", "none"};
    static final int CLS = 1, SEP = 2, ENT = 30, SEP_MARK = 31, REL = 32;

    @TestFactory
    List<DynamicTest> matchesNaiveTwin() {
        List<DynamicTest> tests = new ArrayList<>();
        int variant = 0;
        for (String spanMode : new String[] {"markerV0", "token_level"}) {
            for (String mode : MODES) {
                int v = variant++;
                int rnn = v % 3;
                boolean projection = v % 2 == 0;
                boolean embedMarkers = v % 4 != 3;
                String name = spanMode + "/" + mode + " rnn=" + rnn + (projection ? " proj" : " noproj")
                        + (embedMarkers ? "" : " embed_*_token=false");
                tests.add(DynamicTest.dynamicTest(name, () -> check(spanMode, mode, rnn, projection, embedMarkers, 100 + v)));
            }
        }
        return tests;
    }

    static GlinerConfig config(String spanMode, String mode, int rnn, boolean projection, boolean embedMarkers) {
        ObjectNode c = RandomHeadWeights.config(projection ? 12 : 16, 16, spanMode, mode, rnn, 4);
        if (!embedMarkers) {
            c.put("embed_ent_token", false);
            c.put("embed_rel_token", false);
        }
        return GlinerConfig.fromJson(c);
    }

    private static void check(String spanMode, String mode, int rnn, boolean projection, boolean embedMarkers, long seed) {
        GlinerConfig cfg = config(spanMode, mode, rnn, projection, embedMarkers);
        RandomHeadWeights weights = new RandomHeadWeights(cfg, seed, 1.6).tame();
        RelexHeads heads = RelexHeads.create(cfg, weights);
        NaiveHeads naive = new NaiveHeads(cfg, weights);
        Random rnd = new Random(seed);
        int relations = seed % 5 == 0 ? 0 : 3;
        EncodedInput input = input(rnd, 3, relations, 10);
        int denc = cfg.encoder().hiddenSize();
        int offset = 7 * denc;
        float[] states = randomStates(rnd, offset + input.tokenCount() * denc + 5);

        double entityThreshold = chooseEntityThreshold(naive, states, offset, input);
        NaiveHeads.Result first = naive.forward(states, offset, input, entityThreshold, 0.5);
        double adjacencyThreshold = 0.5;
        if (first.adjacency != null) {
            // GCN adjacencies are nearly constant within a text (golden/README.md), so wide gaps may not
            // exist: then accept a gap ten times wider than the measured float-vs-double adjacency error.
            double[] values = offDiagonal(first.adjacency);
            if (hasGap(values, 1e-4)) {
                adjacencyThreshold = chooseThreshold(values, 0.5, 1e-4);
            } else {
                Map<String, float[]> probe = new HashMap<>();
                heads.forward(states, offset, input, entityThreshold, 0.5,
                        (name, data, off, dims) -> probe.put(name, Arrays.copyOfRange(data, off, off + product(dims))));
                double err = 0;
                double[] exact = flatten(first.adjacency);
                for (int i = 0; i < exact.length; i++) err = Math.max(err, Math.abs(exact[i] - probe.get("adjacency")[i]));
                adjacencyThreshold = chooseThreshold(values, 0.5, 10 * err + 1e-9);
            }
        }
        NaiveHeads.Result expected = naive.forward(states, offset, input, entityThreshold, adjacencyThreshold);
        assertTrue(expected.candidates.size() >= 2, "test setup: want at least two candidates, got " + expected.candidates.size());
        assertFalse(expected.pairs.isEmpty(), "test setup: want some pairs");

        Map<String, float[]> traced = new HashMap<>();
        HeadOutput out = heads.forward(states, offset, input, entityThreshold, adjacencyThreshold,
                (name, data, off, dims) -> traced.put(name, Arrays.copyOfRange(data, off, off + product(dims))));
        String where = spanMode + "/" + mode;
        assertClose(expected.logits, out.entityLogits(), 1e-4, where + " entity logits");
        assertEquals(describe(expected.candidates), describe(pairsOf(out.candidateSpans())), where + " candidates");
        assertEquals(describe(expected.pairs), describe(pairsOf(out.pairs())), where + " pairs");
        assertClose(flatten(expected.relLogits), out.relationLogits(), 1e-4, where + " relation logits");
        assertClose(flatten(expected.words), traced.get("words_embedding"), 1e-5, where + " words_embedding");
        assertClose(flatten(expected.entityPrompts), traced.get("entity_prompts"), 1e-5, where + " entity_prompts");
        assertClose(flatten(expected.relationPrompts), traced.get("relation_prompts"), 1e-5, where + " relation_prompts");
        assertClose(flatten(expected.candidateRep), traced.get("candidate_rep"), 1e-4, where + " candidate_rep");
        if (expected.adjacency != null) {
            assertClose(flatten(expected.adjacency), traced.get("adjacency"), 1e-5, where + " adjacency");
        }
        assertEquals(cfg.modelKind() == GlinerConfig.ModelKind.SPAN_RELEX, out.spanLevel());
        assertEquals(10, out.numWords());
        assertEquals(relations, out.numRelationLabels());

        // Stale scratch must not leak between calls: a bigger text in between, then the same text again.
        EncodedInput bigger = input(new Random(seed + 1), 4, 4, 20);
        heads.forward(randomStates(new Random(seed), bigger.tokenCount() * denc), 0, bigger, 0.1, 0.1);
        HeadOutput again = heads.forward(states, offset, input, entityThreshold, adjacencyThreshold);
        assertArrayEquals(out.entityLogits(), again.entityLogits(), where + " repeat: logits");
        assertArrayEquals(out.candidateSpans(), again.candidateSpans(), where + " repeat: candidates");
        assertArrayEquals(out.pairs(), again.pairs(), where + " repeat: pairs");
        // Untraced, the pair MLP's last layer is folded into the relation prompts: other rounding, same values.
        assertClose(flatten(expected.relLogits), again.relationLogits(), 1e-4, where + " repeat (untraced): relation logits");
    }

    @Test
    void concurrentCallsGiveTheSameResults() throws Exception {
        GlinerConfig cfg = config("markerV0", "gcn", 1, true, true);
        RelexHeads heads = RelexHeads.create(cfg, new RandomHeadWeights(cfg, 5, 1.6));
        int denc = cfg.encoder().hiddenSize();
        List<EncodedInput> inputs = new ArrayList<>();
        List<float[]> states = new ArrayList<>();
        List<HeadOutput> sequential = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Random rnd = new Random(i);
            EncodedInput in = input(rnd, 2 + i % 3, 1 + i % 2, 5 + 3 * i);
            float[] s = randomStates(rnd, in.tokenCount() * denc);
            inputs.add(in);
            states.add(s);
            sequential.add(heads.forward(s, 0, in, 0.6, 0.5));
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int thread = 0; thread < 3; thread++) {
                int start = thread;
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 20; rep++) {
                        int i = (start + rep) % inputs.size();
                        HeadOutput o = heads.forward(states.get(i), 0, inputs.get(i), 0.6, 0.5);
                        assertArrayEquals(sequential.get(i).entityLogits(), o.entityLogits());
                        assertArrayEquals(sequential.get(i).pairs(), o.pairs());
                        assertArrayEquals(sequential.get(i).relationLogits(), o.relationLogits());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void emptyTextGivesEmptyOutput() {
        GlinerConfig cfg = config("markerV0", "gcn", 1, true, true);
        RelexHeads heads = RelexHeads.create(cfg, new RandomHeadWeights(cfg, 5, 1.6));
        int[] ids = {CLS, ENT, 5, SEP_MARK, REL, 6, SEP_MARK, SEP};
        EncodedInput in = new EncodedInput(ids, new int[ids.length], List.of(), 0, List.of("a"), List.of("r"), 4);
        HeadOutput out = heads.forward(new float[ids.length * 12], 0, in, 0.5, 0.5);
        assertEquals(0, out.numWords());
        assertEquals(0, out.entityLogits().length);
        assertEquals(0, out.numCandidates());
        assertEquals(0, out.numPairs());
    }

    // ---- inputs and thresholds ----------------------------------------------------------------

    /**
     * {@code [CLS] (<<ENT>> label)… <<SEP>> (<<REL>> label [piece])… <<SEP>> words… [SEP]}; about a third of
     * the words get a continuation sub-token (words mask 0).
     */
    static EncodedInput input(Random rnd, int classes, int relations, int words) {
        List<Integer> ids = new ArrayList<>();
        List<Integer> mask = new ArrayList<>();
        ids.add(CLS);
        for (int c = 0; c < classes; c++) {
            ids.add(ENT);
            ids.add(3 + rnd.nextInt(27));
        }
        ids.add(SEP_MARK);
        for (int r = 0; r < relations; r++) {
            ids.add(REL);
            ids.add(3 + rnd.nextInt(27));
            if (rnd.nextBoolean()) ids.add(3 + rnd.nextInt(27));
        }
        ids.add(SEP_MARK);
        while (mask.size() < ids.size()) mask.add(0);
        List<Word> ws = new ArrayList<>();
        for (int w = 0; w < words; w++) {
            ids.add(3 + rnd.nextInt(27));
            mask.add(w + 1);
            if (rnd.nextInt(3) == 0) {
                ids.add(3 + rnd.nextInt(27));
                mask.add(0);
            }
            ws.add(new Word("w" + w, 3 * w, 3 * w + 2));
        }
        ids.add(SEP);
        mask.add(0);
        List<String> ent = new ArrayList<>();
        for (int c = 0; c < classes; c++) ent.add("e" + c);
        List<String> rel = new ArrayList<>();
        for (int r = 0; r < relations; r++) rel.add("r" + r);
        return new EncodedInput(ids.stream().mapToInt(Integer::intValue).toArray(),
                mask.stream().mapToInt(Integer::intValue).toArray(), ws, words, ent, rel, 2 * classes + 2 * relations + 2);
    }

    static float[] randomStates(Random rnd, int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) s[i] = (float) rnd.nextGaussian();
        return s;
    }

    /** An entity threshold in a clear gap of the naive probabilities that yields a handful of candidates. */
    private static double chooseEntityThreshold(NaiveHeads naive, float[] states, int offset, EncodedInput input) {
        NaiveHeads.Result probe = naive.forward(states, offset, input, 0.5, 0.5);
        if (probe.spanMaxProb != null) {
            double[] valid = Arrays.stream(probe.spanMaxProb).filter(p -> p >= 0).toArray();
            return chooseThreshold(valid, 8.0 / valid.length, 1e-4);
        }
        double[] probs = probe.tokenProbs.clone();
        Arrays.sort(probs);
        double best = Double.NaN;
        int bestScore = Integer.MAX_VALUE;
        for (int i = 1; i < probs.length; i++) {
            if (probs[i] - probs[i - 1] < 1e-4) continue;
            double t = (probs[i] + probs[i - 1]) / 2;
            if (t < 0.05 || t > 0.95) continue;
            int n = naive.forward(states, offset, input, t, 0.5, true).candidates.size();
            if (n < 3) continue;
            int score = Math.abs(n - 8);
            if (score < bestScore) {
                bestScore = score;
                best = t;
            }
        }
        assertFalse(Double.isNaN(best), "test setup: no token threshold gives candidates");
        return best;
    }

    /**
     * Midpoint of the gap (at least {@code minGap} wide) between sorted values closest to the rank that
     * leaves {@code fractionAbove} of them above the threshold.
     */
    static double chooseThreshold(double[] values, double fractionAbove, double minGap) {
        double[] v = values.clone();
        Arrays.sort(v);
        int target = (int) Math.round(v.length * (1 - fractionAbove));
        double best = Double.NaN;
        int bestDistance = Integer.MAX_VALUE;
        for (int i = 1; i < v.length; i++) {
            if (v[i] - v[i - 1] < minGap) continue;
            int dist = Math.abs(i - target);
            if (dist < bestDistance) {
                bestDistance = dist;
                best = (v[i] + v[i - 1]) / 2;
            }
        }
        assertFalse(Double.isNaN(best), "test setup: no gap of " + minGap + " in " + Arrays.toString(v));
        return best;
    }

    static boolean hasGap(double[] values, double minGap) {
        double[] v = values.clone();
        Arrays.sort(v);
        for (int i = 1; i < v.length; i++) if (v[i] - v[i - 1] >= minGap) return true;
        return false;
    }

    private static double[] offDiagonal(double[][] a) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) if (i != j) out.add(a[i][j]);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    // ---- comparison helpers -------------------------------------------------------------------

    static int product(int[] dims) {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    static List<int[]> pairsOf(int[] flat) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < flat.length; i += 2) out.add(new int[] {flat[i], flat[i + 1]});
        return out;
    }

    static String describe(List<int[]> pairs) {
        StringBuilder sb = new StringBuilder();
        for (int[] p : pairs) sb.append('(').append(p[0]).append(',').append(p[1]).append(')');
        return sb.toString();
    }

    static double[] flatten(double[][] m) {
        return Arrays.stream(m).flatMapToDouble(Arrays::stream).toArray();
    }

    /** |actual − expected| ≤ tol · max(1, |expected|) element-wise. */
    static void assertClose(double[] expected, float[] actual, double tol, String what) {
        assertNotNull(actual, what + " missing");
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= tol * Math.max(1, Math.abs(expected[i])))) {
                fail(what + "[" + i + "]: expected " + expected[i] + " got " + actual[i] + " (err " + err + ")");
            }
        }
    }
}
