package dev.relex.heads;

import dev.relex.checkpoint.ArchitectureSpec;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.engine.Parameter;
import dev.relex.text.EncodedInput;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Properties of the heads' training API on random heads: parameter names and shapes, views of the live
 * arrays with {@link RelexHeads#refreshDerived()}, agreement of the training forward with the inference
 * forward, accumulation, determinism, grow-only states, dropout switching and input checks.
 */
class HeadsTrainingTest {
    static final String[] MODES = HeadsNaiveTwinTest.MODES;

    private static GlinerConfig config(String spanMode, String mode, int rnn) {
        return HeadsNaiveTwinTest.config(spanMode, mode, rnn, true, true);
    }

    @TestFactory
    List<DynamicTest> parametersAreTheCheckpointTensors() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String spanMode : new String[] {"markerV0", "token_level"}) {
            for (String mode : MODES) {
                tests.add(DynamicTest.dynamicTest(spanMode + "/" + mode, () -> {
                    GlinerConfig cfg = config(spanMode, mode, 2);
                    RandomHeadWeights weights = new RandomHeadWeights(cfg, 3, 1.0);
                    RelexHeads heads = RelexHeads.create(cfg, weights);
                    Map<String, List<Long>> expected = new LinkedHashMap<>();
                    for (ArchitectureSpec.TensorSpec t : ArchitectureSpec.forConfig(cfg).tensors().values()) {
                        if (!t.name().startsWith(ArchitectureSpec.ENCODER_PREFIX)) {
                            expected.put(t.name(), Arrays.stream(t.shape()).boxed().toList());
                        }
                    }
                    Map<String, List<Long>> actual = new LinkedHashMap<>();
                    for (Parameter p : heads.parameters()) {
                        assertNull(actual.put(p.name(), Arrays.stream(p.shape()).asLongStream().boxed().toList()), p.name());
                        assertArrayEquals(weights.floats(p.name()), p.copyValue(), p.name() + " value");
                    }
                    assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(actual));
                }));
            }
        }
        return tests;
    }

    /**
     * Changing every parameter in place and calling refreshDerived() makes the inference forward (folded,
     * sliced, pre-packed) equal, bit for bit, to heads built from the changed weights.
     */
    @TestFactory
    List<DynamicTest> inPlaceUpdatesReachTheInferencePath() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String spanMode : new String[] {"markerV0", "token_level"}) {
            for (String mode : MODES) {
                tests.add(DynamicTest.dynamicTest(spanMode + "/" + mode, () -> {
                    GlinerConfig cfg = config(spanMode, mode, 1);
                    RandomHeadWeights original = new RandomHeadWeights(cfg, 5, 1.6).tame();
                    RelexHeads heads = RelexHeads.create(cfg, original);
                    Random rnd = new Random(6);
                    EncodedInput input = HeadsNaiveTwinTest.input(rnd, 3, 3, 8);
                    float[] states = HeadsNaiveTwinTest.randomStates(rnd, input.tokenCount() * cfg.encoder().hiddenSize());
                    int[] spans = {0, 1, 2, 2, 3, 5, 6, 7};
                    heads.scoreGivenPairs(states, 0, input, spans, null); // warms packed copies and slices
                    RandomHeadWeights changed = new RandomHeadWeights(cfg, 5, 1.6).tame();
                    for (Parameter p : heads.parameters()) {
                        float[] v = p.copyValue();
                        for (int i = 0; i < v.length; i++) v[i] = v[i] * 0.9f + 0.01f * (i % 7 - 3);
                        System.arraycopy(v, 0, p.data(), p.offset(), v.length);
                        changed.put(p.name(), v.clone(), Arrays.stream(p.shape()).asLongStream().toArray());
                    }
                    heads.refreshDerived();
                    RelexHeads fresh = RelexHeads.create(cfg, changed);
                    HeadOutput a = heads.scoreGivenPairs(states, 0, input, spans, null);
                    HeadOutput b = fresh.scoreGivenPairs(states, 0, input, spans, null);
                    assertArrayEquals(b.entityLogits(), a.entityLogits(), "entity logits");
                    assertArrayEquals(b.relationLogits(), a.relationLogits(), "relation logits");
                    HeadOutput c = heads.forward(states, 0, input, 0.3, 0.3);
                    HeadOutput d = fresh.forward(states, 0, input, 0.3, 0.3);
                    assertArrayEquals(d.candidateSpans(), c.candidateSpans(), "candidates");
                    assertArrayEquals(d.pairs(), c.pairs(), "pairs");
                    assertArrayEquals(d.pairAdjacency(), c.pairAdjacency(), "adjacency");
                }));
            }
        }
        return tests;
    }

    /** With dropout off the training forward computes what the inference forward computes (canonical vs folded rounding). */
    @TestFactory
    List<DynamicTest> trainingForwardEqualsInference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String spanMode : new String[] {"markerV0", "token_level"}) {
            for (String mode : MODES) {
                tests.add(DynamicTest.dynamicTest(spanMode + "/" + mode, () -> {
                    GlinerConfig cfg = config(spanMode, mode, mode.length() % 3);
                    RelexHeads heads = RelexHeads.create(cfg, new RandomHeadWeights(cfg, 8, 1.6).tame());
                    Random rnd = new Random(9);
                    EncodedInput input = HeadsNaiveTwinTest.input(rnd, 3, 2, 9);
                    int denc = cfg.encoder().hiddenSize();
                    float[] states = HeadsNaiveTwinTest.randomStates(rnd, 3 * denc + input.tokenCount() * denc);
                    int[] spans = {0, 0, 1, 3, 4, 4, 6, 8, 2, 3};
                    int[] pairs = {0, 1, 1, 0, 2, 4, 4, 3, 3, 3};
                    HeadOutput inference = heads.scoreGivenPairs(states, 3 * denc, input, spans, pairs);
                    HeadsTrainingState st = new HeadsTrainingState();
                    heads.forwardTraining(states, 3 * denc, input, spans, pairs, st);
                    close(inference.entityLogits(), st.entityLogits(), st.entityLogitCount(), "entity logits");
                    close(inference.relationLogits(), st.relationLogits(), pairs.length / 2 * 2, "relation logits");
                    if (!"none".equals(mode)) {
                        // The adjacency on the same candidates, from the inference module.
                        float[] cand = new float[5 * cfg.hiddenSize()];
                        System.arraycopy(st.candidateReps, 0, cand, 0, cand.length);
                        float[] adj = new float[25];
                        Adjacency.load(mode, new HeadWeights(new RandomHeadWeights(cfg, 8, 1.6).tame()), cfg.hiddenSize())
                                .compute(cand, 5, adj, Scratch.get());
                        close(adj, st.adjacency(), 25, "adjacency");
                    } else {
                        assertNull(st.adjacency());
                    }
                }));
            }
        }
        return tests;
    }

    private static void close(float[] expected, float[] actual, int n, String what) {
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], actual[i], 1e-5 + 1e-5 * Math.abs(expected[i]), what + "[" + i + "]");
        }
    }

    /** A problem on random span heads with gcn adjacency and a 2-layer LSTM. */
    private static HeadsGradientCheckTest.Problem problem(String spanMode, double dropout) {
        return new HeadsGradientCheckTest.Problem(config(spanMode, "gcn", 2), 11, dropout);
    }

    @Test
    void backwardAccumulatesAndIsDeterministic() {
        for (String spanMode : new String[] {"markerV0", "token_level"}) {
            HeadsGradientCheckTest.Problem pb = problem(spanMode, 0.2);
            float[] d1 = pb.backward();
            Map<String, float[]> once = grads(pb.heads);
            float[] d2 = pb.backward();
            assertArrayEquals(d1, d2, "encoder-state gradient, second run");
            assertGradsEqual(once, grads(pb.heads), 1f, spanMode + ": same gradients from a fresh accumulation");
            // A second backward without zeroing adds the same values again (GEMMs accumulate in their own order).
            pb.forward();
            pb.heads.backward(pb.state, pb.a, pb.b, pb.c, new float[pb.states.length], pb.offset);
            Map<String, float[]> twice = grads(pb.heads);
            for (Map.Entry<String, float[]> e : once.entrySet()) {
                float[] g = twice.get(e.getKey());
                float max = 0;
                for (float v : e.getValue()) max = Math.max(max, Math.abs(v));
                for (int i = 0; i < g.length; i++) {
                    assertEquals(2f * e.getValue()[i], g[i], 1e-6f * max, spanMode + ": accumulated twice: " + e.getKey());
                }
            }
            // A new state gives the same results as the reused one.
            HeadsGradientCheckTest.Problem other = problem(spanMode, 0.2);
            assertArrayEquals(d1, other.backward(), "fresh problem, fresh state");
        }
    }

    private static Map<String, float[]> grads(RelexHeads heads) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (Parameter p : heads.parameters()) m.put(p.name(), Arrays.copyOfRange(p.grad(), p.offset(), p.offset() + p.size()));
        return m;
    }

    private static void assertGradsEqual(Map<String, float[]> base, Map<String, float[]> actual, float factor, String what) {
        for (Map.Entry<String, float[]> e : base.entrySet()) {
            float[] expected = e.getValue().clone();
            for (int i = 0; i < expected.length; i++) expected[i] *= factor;
            assertArrayEquals(expected, actual.get(e.getKey()), what + ": " + e.getKey());
        }
    }

    @Test
    void dropoutIsSeededAndSwitchable() {
        HeadsGradientCheckTest.Problem pb = problem("markerV0", 0.0);
        float[] plain = pb.state.entityLogits().clone();
        int n = pb.state.entityLogitCount();
        pb.state.dropout(0.4, 1);
        pb.heads.forwardTraining(pb.states, pb.offset, pb.input, pb.candidates, pb.pairs, pb.state);
        float[] first = Arrays.copyOf(pb.state.entityLogits(), n);
        pb.state.dropout(0.4, 1);
        pb.heads.forwardTraining(pb.states, pb.offset, pb.input, pb.candidates, pb.pairs, pb.state);
        assertArrayEquals(first, Arrays.copyOf(pb.state.entityLogits(), n), "same seed, same masks");
        pb.state.dropout(0.4, 2);
        pb.heads.forwardTraining(pb.states, pb.offset, pb.input, pb.candidates, pb.pairs, pb.state);
        assertFalse(Arrays.equals(first, Arrays.copyOf(pb.state.entityLogits(), n)), "another seed, other masks");
        assertFalse(Arrays.equals(first, Arrays.copyOf(plain, n)), "dropout changes the logits");
        pb.state.dropout(0, 2);
        pb.heads.forwardTraining(pb.states, pb.offset, pb.input, pb.candidates, pb.pairs, pb.state);
        assertArrayEquals(Arrays.copyOf(plain, n), Arrays.copyOf(pb.state.entityLogits(), n), "off again");
        assertThrows(IllegalArgumentException.class, () -> pb.state.dropout(1.0, 0));
        assertEquals(0.4, pb.heads.configuredDropout(), "reference default when the config has no dropout");
    }

    /** Dropout zeroes about p of the hidden units and scales the others by 1/(1 − p). */
    @Test
    void dropoutRateAndScale() {
        Dropout d = new Dropout();
        d.reset(0.4, 42);
        float[] x = new float[100_000];
        Arrays.fill(x, 1f);
        d.apply(x, 0, x.length);
        int zeros = 0;
        for (float v : x) {
            if (v == 0f) zeros++;
            else assertEquals(1f / 0.6f, v, 0f);
        }
        assertEquals(0.4, zeros / (double) x.length, 0.01);
    }

    @Test
    void warmStateAllocatesNothing() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String spanMode : new String[] {"markerV0", "token_level"}) {
            HeadsGradientCheckTest.Problem pb = problem(spanMode, 0.3);
            float[] dStates = new float[pb.states.length];
            // Warm up until the kernels are compiled (interpreted Vector API code allocates its vectors).
            for (int warm = 0; warm < 3000; warm++) {
                pb.forward();
                pb.heads.backward(pb.state, pb.a, pb.b, pb.c, dStates, pb.offset);
            }
            long before = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 10; i++) {
                pb.forward();
                pb.heads.backward(pb.state, pb.a, pb.b, pb.c, dStates, pb.offset);
            }
            long bytes = bean.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            System.out.printf("%s: %d bytes allocated by 10 warm training forward+backward calls%n", spanMode, bytes);
            assertTrue(bytes < 10 * 2048, spanMode + ": " + bytes + " bytes allocated by warm calls");
        }
    }

    @Test
    void badInputsAreRejected() {
        HeadsGradientCheckTest.Problem pb = problem("markerV0", 0.0);
        RelexHeads heads = pb.heads;
        HeadsTrainingState st = new HeadsTrainingState();
        assertThrows(IllegalStateException.class,
                () -> heads.backward(st, new float[1000], null, new float[100], new float[pb.states.length], pb.offset));
        String wide = assertThrows(IllegalArgumentException.class, () -> heads.forwardTraining(pb.states, pb.offset, pb.input,
                new int[] {0, 5}, new int[0], st)).getMessage();
        assertTrue(wide.contains("max_width"), wide);
        String outside = assertThrows(IllegalArgumentException.class, () -> heads.forwardTraining(pb.states, pb.offset, pb.input,
                new int[] {3, 7}, new int[0], st)).getMessage();
        assertTrue(outside.contains("outside"), outside);
        String pair = assertThrows(IllegalArgumentException.class, () -> heads.forwardTraining(pb.states, pb.offset, pb.input,
                new int[] {0, 1}, new int[] {0, 1}, st)).getMessage();
        assertTrue(pair.contains("candidate 1 of 1"), pair);
        heads.forwardTraining(pb.states, pb.offset, pb.input, pb.candidates, pb.pairs, st);
        String grad = assertThrows(IllegalArgumentException.class, () -> heads.backward(st, new float[3], null,
                new float[100], new float[pb.states.length], pb.offset)).getMessage();
        assertTrue(grad.contains("entity logit gradient"), grad);
    }
}
