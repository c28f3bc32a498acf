package dev.relex.train.loss;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-computed element values, clamp behaviour, and central finite differences of every component's input
 * gradient on small random inputs (float32 inputs, losses evaluated in double; h = 1e-2 on logits, 1e-3 on
 * probabilities; elements within 0.03 of the margin's kink are skipped).
 */
class LossGradientTest {
    static final List<FocalParams> SETTINGS = List.of(
            FocalParams.PLAIN,
            new FocalParams(0.75, 2, 0.1, 0),
            new FocalParams(0.3, 1, 0, 0.1),
            new FocalParams(0.4, 1.5, 0.2, 0.05));

    @Test
    void handComputedElements() {
        float[] g = new float[1];
        // x = 0, y = 1: p = 0.5, ℓ = log 2, dℓ/dx = p − y = −0.5
        assertEquals(Math.log(2), FocalBce.block(new float[] {0}, 0, new float[] {1}, 0, 1, null, 0, FocalParams.PLAIN, false, g, 0, 1), 1e-7);
        assertEquals(-0.5, g[0], 1e-7);
        // α .75, γ 2: ℓ = .75 · (1 − .5)² · log 2
        assertEquals(0.75 * 0.25 * Math.log(2), FocalBce.block(new float[] {0}, 0, new float[] {1}, 0, 1, null, 0,
                new FocalParams(0.75, 2, 0, 0), false, null, 0, 1), 1e-7);
        // smoothing .1, y = 1 → .95: ℓ = −.95 log .5 − .05 log .5 = log 2
        assertEquals(Math.log(2), FocalBce.block(new float[] {0}, 0, new float[] {1}, 0, 1, null, 0,
                new FocalParams(-1, 0, 0.1, 0), false, null, 0, 1), 1e-7);
        // margin .1, y = 0, x = 0: pm = .4, ℓ = −log .6, dℓ/dx = (1/.6) · p(1 − p) = .25/.6
        assertEquals(-Math.log(0.6), FocalBce.block(new float[] {0}, 0, new float[] {0}, 0, 1, null, 0,
                new FocalParams(-1, 0, 0, 0.1), false, g, 0, 1), 1e-7);
        assertEquals(0.25 / 0.6, g[0], 1e-6);
    }

    @Test
    void activeClampsGiveTheFloorAndZeroGradient() {
        float[] g = new float[2];
        // probability exactly 1 with target 0, and exactly 0 with target 1 (golden README difference 10)
        double l = FocalBce.block(new float[] {1f, 0f}, 0, new float[] {0f, 1f}, 0, 2, null, 0, FocalParams.PLAIN, true, g, 0, 1);
        assertEquals(2 * -Math.log(1e-6f), l, 1e-9);
        assertEquals(13.8155, -Math.log(1e-6f), 1e-4);
        assertEquals(0f, g[0]);
        assertEquals(0f, g[1]);
        // a logit of 20: σ rounds to 1 in float32, 1 − p = 0 → clamped, no gradient (torch computes σ literally)
        double big = FocalBce.block(new float[] {20f}, 0, new float[] {0f}, 0, 1, null, 0, FocalParams.PLAIN, false, g, 0, 1);
        assertEquals(-Math.log(1e-6f), big, 1e-9);
        assertEquals(0f, g[0]);
    }

    @Test
    void spanLossGradient() {
        SplittableRandom r = new SplittableRandom(11);
        int W = 4, K = 3, C = 2;
        for (FocalParams p : SETTINGS) {
            float[] x = logits(r, W * K * C), y = targets(r, W * K * C);
            check(p, x, false, (in, g) -> ComponentLosses.span(in, 0, y, 0, W, K, C, p, null, g, 0, 1));
        }
    }

    @Test
    void tokenLossGradient() {
        SplittableRandom r = new SplittableRandom(12);
        int W = 3, C = 2;
        for (FocalParams p : SETTINGS) {
            float[] x = logits(r, W * C * 3), y = targets(r, W * C * 3);
            check(p, x, false, (in, g) -> ComponentLosses.token(in, 0, y, 0, W, C, p, g, 0, 1));
        }
    }

    @Test
    void adjacencyLossGradient() {
        SplittableRandom r = new SplittableRandom(13);
        int E = 4;
        for (FocalParams p : SETTINGS) {
            float[] x = new float[E * E], y = targets(r, E * E);
            for (int i = 0; i < x.length; i++) x[i] = (float) (0.05 + 0.9 * r.nextDouble());
            check(p, x, true, (in, g) -> ComponentLosses.adjacency(in, 0, y, 0, E, p, null, g, 0, 1));
        }
    }

    @Test
    void relationLossGradient() {
        SplittableRandom r = new SplittableRandom(14);
        int N = 5, R = 3;
        for (FocalParams p : SETTINGS) {
            float[] x = logits(r, N * R), y = targets(r, N * R);
            check(p, x, false, (in, g) -> ComponentLosses.relation(in, 0, y, 0, N, R, p, null, g, 0, 1));
        }
    }

    @Test
    void invalidSpansGetNoLossAndZeroGradient() {
        int W = 2, K = 3, C = 1;
        float[] x = new float[W * K * C], y = new float[W * K * C], g = new float[W * K * C];
        java.util.Arrays.fill(g, 9f);
        double l = ComponentLosses.span(x, 0, y, 0, W, K, C, FocalParams.PLAIN, null, g, 0, 1);
        // valid spans: (0,0), (0,1), (1,1) → 3 × log 2
        assertEquals(3 * Math.log(2), l, 1e-7);
        float[] expected = {0.5f, 0.5f, 0f, 0.5f, 0f, 0f};
        for (int i = 0; i < g.length; i++) assertEquals(expected[i], g[i], 1e-7, "span " + i);
    }

    interface Loss {
        double eval(float[] in, float[] grad);
    }

    private static void check(FocalParams p, float[] x, boolean probabilities, Loss loss) {
        float[] g = new float[x.length];
        loss.eval(x, g);
        double h = probabilities ? 1e-3 : 1e-2;
        for (int i = 0; i < x.length; i++) {
            double prob = probabilities ? x[i] : 1 / (1 + Math.exp(-x[i]));
            if (p.probMargin() > 0 && Math.abs(prob - p.probMargin()) < 0.03) continue;
            float[] plus = x.clone(), minus = x.clone();
            plus[i] = (float) (x[i] + h);
            minus[i] = (float) (x[i] - h);
            double fd = (loss.eval(plus, null) - loss.eval(minus, null)) / ((double) plus[i] - minus[i]);
            assertTrue(Math.abs(fd - g[i]) <= 1e-3 + 1e-3 * Math.abs(fd),
                    p + " element " + i + ": analytic " + g[i] + ", finite difference " + fd);
        }
    }

    private static float[] logits(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (1.5 * r.nextGaussian());
        return x;
    }

    private static float[] targets(SplittableRandom r, int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(3) == 0 ? 1f : 0f;
        return y;
    }
}
