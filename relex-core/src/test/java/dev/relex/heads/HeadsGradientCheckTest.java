package dev.relex.heads;

import dev.relex.checkpoint.GlinerConfig;
import dev.relex.engine.Parameter;
import dev.relex.text.EncodedInput;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Finite-difference checks of {@link RelexHeads#backward} on tiny random heads (D = 16, K = 4, 7 words, 3
 * entity and 3 relation labels, 4 candidates, 7 pairs with a repeated one): both entity heads, every
 * adjacency mode, LSTM depth 0/1/2, with and without the Denc→D projection and marker-token embedding. The
 * loss is a fixed random linear combination L = Σ a·entity logits + Σ b·adjacency + Σ c·relation logits,
 * so backward gets (a, b, c) as output gradients.
 *
 * <p>{@link #backwardMatchesDoubleFiniteDifferences}: the differences are taken on {@link NaiveHeads}, the
 * double-precision twin (training forward with given candidates and pairs), step h = 1e-5 on the float
 * weight (exact denominator (v+h) − (v−h)), so they carry no float32 rounding. For each parameter tensor
 * the largest-gradient element and 7 random ones, and 16 encoder-state elements of tokens the heads read,
 * are checked: |fd − g| ≤ 2e-3·|g| + 2e-4·max|g_T| (the float32 backward against exact slopes). Every
 * token the heads do not read must get exactly 0. ReLU kinks: a weight perturbation shifts many hidden
 * units, so now and then one crosses zero within ±h and the central difference averages two slopes; such
 * an element passes if a one-sided difference (the kink-free side) agrees, at most 5% of the elements.
 *
 * <p>{@link #dropoutBackwardMatchesFiniteDifferences}: with dropout on (p = 0.3, reseeded before every
 * forward, so every evaluation has the same masks) on RelexHeads itself in float32, step 1e-3, tolerance
 * 2e-2·|g| + 2e-3·max|g_T| and the same kink rule (at most 10%); float32 differences resolve only ~1e-3
 * of the loss scale, so per tensor the largest element and elements of at least 5% of it are checked.
 */
class HeadsGradientCheckTest {
    static final String[] MODES = HeadsNaiveTwinTest.MODES;
    private static final float H = 1e-3f;
    private static final float H_TWIN = 1e-5f;

    @TestFactory
    List<DynamicTest> backwardMatchesDoubleFiniteDifferences() {
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
                tests.add(DynamicTest.dynamicTest(name, () -> checkTwin(spanMode, mode, rnn, projection, embedMarkers, 500 + v)));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> dropoutBackwardMatchesFiniteDifferences() {
        List<DynamicTest> tests = new ArrayList<>();
        String[][] variants = {{"markerV0", "gcn", "1"}, {"token_level", "mlp", "2"}, {"markerV0", "gat", "0"}};
        for (String[] v : variants) {
            tests.add(DynamicTest.dynamicTest(v[0] + "/" + v[1] + " rnn=" + v[2] + " dropout=0.3",
                    () -> check(v[0], v[1], Integer.parseInt(v[2]), true, true, 0.3, 900 + v[1].length())));
        }
        return tests;
    }

    /** Backward against double-precision finite differences of the naive twin. */
    private static void checkTwin(String spanMode, String mode, int rnn, boolean projection, boolean embedMarkers, long seed) {
        GlinerConfig cfg = HeadsNaiveTwinTest.config(spanMode, mode, rnn, projection, embedMarkers);
        Problem pb = new Problem(cfg, seed, 0.0);
        float[] dStates = pb.backward();
        NaiveHeads naive = new NaiveHeads(cfg, new RandomHeadWeights(cfg, seed, 1.6).tame());
        // The twin's forward equals the float forward (a sanity check of the setup, not the subject here).
        NaiveHeads.Result ref = naive.forwardGiven(pb.states, pb.offset, pb.input, pb.candidates, pb.pairs);
        assertEquals(pb.loss(), twinLoss(pb, ref), 1e-3 * (1 + Math.abs(pb.loss())), "float vs double loss");
        Random rnd = new Random(seed + 1);
        int checked = 0, kinks = 0;
        List<String> failures = new ArrayList<>();
        for (Parameter p : pb.heads.parameters()) {
            float[] g = p.grad();
            double gMax = 0;
            int arg = 0;
            for (int i = 0; i < p.size(); i++) {
                if (Math.abs(g[p.offset() + i]) > gMax) {
                    gMax = Math.abs(g[p.offset() + i]);
                    arg = i;
                }
            }
            float[] w = naive.weightArray(p.name());
            assertEquals(p.size(), w.length, p.name());
            int[] picks = new int[8];
            picks[0] = arg;
            for (int j = 1; j < picks.length; j++) picks[j] = rnd.nextInt(p.size());
            for (int i : picks) {
                double[] fd = twinDifferences(pb, naive, w, i);
                Verdict v = judge(fd, g[p.offset() + i], gMax, 2e-3, 2e-4);
                if (v == Verdict.FAIL) failures.add(p.name() + "[" + i + "]: backward " + g[p.offset() + i] + ", differences "
                        + java.util.Arrays.toString(fd));
                if (v == Verdict.KINK) kinks++;
                checked++;
            }
        }
        int denc = pb.heads.encoderHiddenSize();
        double sMax = 0;
        for (int i = pb.offset; i < pb.offset + pb.input.tokenCount() * denc; i++) sMax = Math.max(sMax, Math.abs(dStates[i]));
        List<Integer> read = readTokens(pb, cfg);
        for (int j = 0; j < 16; j++) {
            int at = pb.offset + read.get(rnd.nextInt(read.size())) * denc + rnd.nextInt(denc);
            double[] fd = twinDifferences(pb, naive, pb.states, at);
            Verdict v = judge(fd, dStates[at], sMax, 2e-3, 2e-4);
            if (v == Verdict.FAIL) failures.add("encoder state " + at + ": backward " + dStates[at] + ", differences "
                    + java.util.Arrays.toString(fd));
            if (v == Verdict.KINK) kinks++;
            checked++;
        }
        checkUnreadTokens(pb, cfg, dStates);
        System.out.printf("%s/%s rnn=%d: %d elements checked against double differences, %d next to a ReLU kink%n",
                spanMode, mode, rnn, checked, kinks);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(kinks <= 0.05 * checked, kinks + " of " + checked + " elements next to a kink");
    }

    static double twinLoss(Problem pb, NaiveHeads.Result r) {
        double l = 0;
        for (int i = 0; i < pb.a.length; i++) l += pb.a[i] * r.logits[i];
        if (pb.b != null) {
            int e = r.adjacency.length;
            for (int i = 0; i < e; i++) for (int j = 0; j < e; j++) l += pb.b[i * e + j] * r.adjacency[i][j];
        }
        int rel = pb.state.numRelations();
        for (int n = 0; n < r.relLogits.length; n++) for (int c = 0; c < rel; c++) l += pb.c[n * rel + c] * r.relLogits[n][c];
        return l;
    }

    /** Central, forward and backward differences of the twin's double loss in element {@code at} of {@code data}. */
    static double[] twinDifferences(Problem pb, NaiveHeads naive, float[] data, int at) {
        float v = data[at];
        double centre = twinLoss(pb, naive.forwardGiven(pb.states, pb.offset, pb.input, pb.candidates, pb.pairs));
        data[at] = v + H_TWIN;
        double plus = twinLoss(pb, naive.forwardGiven(pb.states, pb.offset, pb.input, pb.candidates, pb.pairs));
        float up = data[at];
        data[at] = v - H_TWIN;
        double minus = twinLoss(pb, naive.forwardGiven(pb.states, pb.offset, pb.input, pb.candidates, pb.pairs));
        float down = data[at];
        data[at] = v;
        return new double[] {(plus - minus) / ((double) up - down), (plus - centre) / ((double) up - v),
                (centre - minus) / ((double) v - down)};
    }

    static Verdict judge(double[] fd, float g, double gMax, double rel, double abs) {
        double tol = rel * Math.abs(g) + abs * gMax + 1e-9;
        if (Math.abs(fd[0] - g) <= tol) return Verdict.PASS;
        if (Math.abs(fd[1] - g) <= tol || Math.abs(fd[2] - g) <= tol) return Verdict.KINK;
        return Verdict.FAIL;
    }

    static void checkUnreadTokens(Problem pb, GlinerConfig cfg, float[] dStates) {
        int denc = pb.heads.encoderHiddenSize();
        List<Integer> read = readTokens(pb, cfg);
        for (int t = 0; t < pb.input.tokenCount(); t++) {
            for (int i = 0; i < denc; i++) {
                float g = dStates[pb.offset + t * denc + i];
                assertFalse(Float.isNaN(g), "token " + t + " gradient not written");
                if (!read.contains(t)) assertEquals(0f, g, "token " + t + " is not read by the heads");
            }
        }
        assertTrue(Float.isNaN(dStates[0]), "nothing written before the offset");
        assertTrue(Float.isNaN(dStates[dStates.length - 1]), "nothing written after the text's rows");
    }

    /** One random problem: heads, input, candidates, pairs and the loss weights. */
    static final class Problem {
        final RelexHeads heads;
        final EncodedInput input;
        final float[] states;
        final int offset;
        final int[] candidates, pairs;
        final HeadsTrainingState state = new HeadsTrainingState();
        final double dropout;
        final long dropoutSeed;
        float[] a, b, c;

        Problem(GlinerConfig cfg, long seed, double dropout) {
            Random rnd = new Random(seed);
            heads = RelexHeads.create(cfg, new RandomHeadWeights(cfg, seed, 1.6).tame());
            input = HeadsNaiveTwinTest.input(rnd, 3, 3, 7);
            int denc = cfg.encoder().hiddenSize();
            offset = 5 * denc;
            states = HeadsNaiveTwinTest.randomStates(rnd, offset + input.tokenCount() * denc + 3);
            int words = input.textLength();
            int k = cfg.maxWidth();
            candidates = new int[8];
            for (int i = 0; i < 4; i++) {
                int s = rnd.nextInt(words);
                int w = rnd.nextInt(Math.min(k, words - s));
                candidates[2 * i] = s;
                candidates[2 * i + 1] = s + w;
            }
            pairs = new int[] {0, 1, 1, 0, 2, 3, 3, 1, 0, 2, 2, 0, 0, 1};
            this.dropout = dropout;
            this.dropoutSeed = seed * 31 + 7;
            forward();
            a = gaussian(rnd, state.entityLogitCount());
            b = state.adjacency() == null ? null : gaussian(rnd, state.numCandidates() * state.numCandidates());
            c = gaussian(rnd, state.numPairs() * state.numRelations());
        }

        void forward() {
            state.dropout(dropout, dropoutSeed);
            heads.forwardTraining(states, offset, input, candidates, pairs, state);
        }

        double loss() {
            forward();
            double l = dot(a, state.entityLogits());
            if (b != null) l += dot(b, state.adjacency());
            return l + dot(c, state.relationLogits());
        }

        /** Analytic gradients: parameter gradients zeroed, then one backward; returns d(encoder states). */
        float[] backward() {
            for (Parameter p : heads.parameters()) p.zeroGrad();
            forward();
            float[] dStates = new float[states.length];
            java.util.Arrays.fill(dStates, Float.NaN);
            heads.backward(state, a, b, c, dStates, offset);
            return dStates;
        }
    }

    static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }

    static double dot(float[] w, float[] x) {
        double s = 0;
        for (int i = 0; i < w.length; i++) s += (double) w[i] * x[i];
        return s;
    }

    /** Backward against float32 finite differences of RelexHeads itself (used with dropout on). */
    private static void check(String spanMode, String mode, int rnn, boolean projection, boolean embedMarkers,
                              double dropout, long seed) {
        GlinerConfig cfg = HeadsNaiveTwinTest.config(spanMode, mode, rnn, projection, embedMarkers);
        Problem pb = new Problem(cfg, seed, dropout);
        float[] dStates = pb.backward();
        Random rnd = new Random(seed + 1);
        int checked = 0, kinks = 0;
        List<String> failures = new ArrayList<>();
        for (Parameter p : pb.heads.parameters()) {
            float[] g = p.grad();
            double gMax = 0;
            int arg = 0;
            for (int i = 0; i < p.size(); i++) {
                if (Math.abs(g[p.offset() + i]) > gMax) {
                    gMax = Math.abs(g[p.offset() + i]);
                    arg = i;
                }
            }
            // Float32 differences resolve ~1e-3 of the loss scale: check the largest element and elements of at
            // least 5% of the tensor's largest gradient.
            int[] picks = new int[6];
            java.util.Arrays.fill(picks, arg);
            for (int j = 1, tries = 0; j < picks.length && tries < 200; tries++) {
                int i = rnd.nextInt(p.size());
                if (Math.abs(g[p.offset() + i]) >= 0.05 * gMax) picks[j++] = i;
            }
            for (int i : picks) {
                int at = p.offset() + i;
                Verdict v = verdict(pb, p.data(), at, p, g[at], gMax);
                if (v == Verdict.FAIL) failures.add(p.name() + "[" + i + "]: backward " + g[at] + ", finite differences "
                        + java.util.Arrays.toString(differences(pb, p.data(), at, H, p)));
                if (v == Verdict.KINK) kinks++;
                checked++;
            }
        }
        // Encoder states: rows the heads read (markers or the tokens after them, first sub-tokens of words).
        int denc = pb.heads.encoderHiddenSize();
        double sMax = 0;
        for (int i = pb.offset; i < pb.offset + pb.input.tokenCount() * denc; i++) sMax = Math.max(sMax, Math.abs(dStates[i]));
        List<Integer> read = readTokens(pb, cfg);
        for (int j = 0; j < 12; j++) {
            int t = read.get(rnd.nextInt(read.size()));
            int at = pb.offset + t * denc + rnd.nextInt(denc);
            Verdict v = verdict(pb, pb.states, at, null, dStates[at], sMax);
            if (v == Verdict.FAIL) failures.add("encoder state " + at + ": backward " + dStates[at] + ", finite differences "
                    + java.util.Arrays.toString(differences(pb, pb.states, at, H, null)));
            if (v == Verdict.KINK) kinks++;
            checked++;
        }
        checkUnreadTokens(pb, cfg, dStates);
        System.out.printf("%s/%s: %d elements checked, %d of them next to a ReLU kink (one-sided difference)%n", spanMode,
                mode, checked, kinks);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(kinks <= 0.1 * checked, kinks + " of " + checked + " elements next to a kink");
    }

    enum Verdict { PASS, KINK, FAIL }

    /**
     * PASS if the central difference agrees with the backward value g within 2e-2·|g| + 2e-3·gMax; KINK if
     * not, but one of the one-sided differences does (a ReLU switches within ±h on the other side: the
     * backward value is the slope on the kink-free side); else FAIL. Float32 forward of RelexHeads.
     */
    static Verdict verdict(Problem pb, float[] data, int at, Parameter p, float g, double gMax) {
        return judge(differences(pb, data, at, H, p), g, gMax, 2e-2, 2e-3);
    }

    /** Central, forward and backward differences of the loss in element {@code at} of {@code data}. */
    static double[] differences(Problem pb, float[] data, int at, float h, Parameter p) {
        float v = data[at];
        double centre = pb.loss();
        data[at] = v + h;
        if (p != null) p.valuesChanged();
        double plus = pb.loss();
        data[at] = v - h;
        if (p != null) p.valuesChanged();
        double minus = pb.loss();
        data[at] = v;
        if (p != null) p.valuesChanged();
        double up = (double) (v + h) - v, down = v - (double) (v - h);
        return new double[] {(plus - minus) / (up + down), (plus - centre) / up, (centre - minus) / down};
    }

    /** Token indices whose states the heads read. */
    static List<Integer> readTokens(Problem pb, GlinerConfig cfg) {
        List<Integer> read = new ArrayList<>();
        int[] ids = pb.input.inputIds();
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] == cfg.classTokenIndex()) read.add(cfg.embedEntToken() ? t : t + 1);
            if (ids[t] == cfg.relTokenIndex()) read.add(cfg.embedRelToken() ? t : t + 1);
            if (pb.input.wordsMask()[t] > 0) read.add(t);
        }
        return read;
    }
}
