package dev.relex.engine;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Backward kernels against naive double-precision products and central finite differences of the
 * forward kernels (float32 forward, step 1e-2 on values of order 1: the tolerances below are a few
 * hundred times the float rounding of the difference quotient, far below any real bug).
 */
class GradientsTest {
    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Test
    void gemmTransAMatchesNaive() {
        Random r = new Random(1);
        for (int[] s : new int[][] {{1, 1, 1}, {3, 5, 7}, {17, 33, 65}, {64, 128, 96}}) {
            int m = s[0], n = s[1], k = s[2], lda = m + 3, ldb = n + 2;
            float[] a = random(r, k * lda), b = random(r, k * ldb), c = random(r, m * n), c0 = c.clone();
            Gradients.gemmTransA(m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, true);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double e = c0[i * n + j];
                    for (int q = 0; q < k; q++) e += (double) a[q * lda + i] * b[q * ldb + j];
                    assertEquals(e, c[i * n + j], 1e-4 * (1 + Math.abs(e)), "C[" + i + "," + j + "] for " + m + "x" + n + "x" + k);
                }
            }
        }
    }

    /**
     * GELU backward of both kernel implementations (and the pool-split entry point) against the double
     * formula dy·(Φ(x) + x·φ(x)) on x ∈ [−12, 12] and random x: |Δ| ≤ 1e-6·|dy| + 1e-5·|expected|.
     */
    @Test
    void geluBackwardKernelsMatchDoubleFormula() {
        Random r = new Random(4);
        int n = 100_003; // above the pool-split threshold, odd tail
        float[] x = new float[n], dy = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < 24_001 ? -12f + i * 1e-3f : (float) (3 * r.nextGaussian());
            dy[i] = (float) r.nextGaussian();
        }
        for (Kernels k : new Kernels[] {ScalarKernels.INSTANCE, Ops.kernels()}) {
            float[] d = new float[n];
            k.geluBackward(x, 0, n, dy, 0, d, 0);
            float[] viaGradients = dy.clone();
            Gradients.geluBackward(x, 0, n, viaGradients, 0, viaGradients, 0); // in place
            for (int i = 0; i < n; i++) {
                double v = x[i];
                double cdf = 0.5 * (1 + erfDouble(v / Math.sqrt(2)));
                double e = dy[i] * (cdf + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI));
                assertEquals(e, d[i], 1e-6 * Math.abs(dy[i]) + 1e-5 * Math.abs(e), k.name() + " x = " + v);
                if (k == Ops.kernels()) assertEquals(d[i], viaGradients[i], "Gradients.geluBackward differs from its kernel");
            }
        }
    }

    /** erf by its Taylor series (|x| < 3) or 1 − erfc continued fraction, in double: independent of Erf. */
    private static double erfDouble(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            double sum = 0, term = ax;
            for (int k = 0; k < 200; k++) {
                sum += term / (2 * k + 1);
                term *= -ax * ax / (k + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double f = 0;
            for (int k = 60; k >= 1; k--) f = k / 2.0 / (ax + f);
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -r : r;
    }

    /** Loss L = Σ w ⊙ f(params): its gradient is the backward applied to dy = w. */
    private static double loss(float[] y, float[] w) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (double) y[i] * w[i];
        return s;
    }

    private static void checkFd(String what, float[] param, float[] analytic, Function<float[], Double> f, double tol) {
        float h = 1e-2f;
        for (int i = 0; i < param.length; i++) {
            float keep = param[i];
            param[i] = keep + h;
            double up = f.apply(param);
            param[i] = keep - h;
            double down = f.apply(param);
            param[i] = keep;
            double fd = (up - down) / (2 * h);
            assertEquals(fd, analytic[i], tol * (1 + Math.abs(fd)), what + "[" + i + "]");
        }
    }

    @Test
    void linearBackwardMatchesFiniteDifferences() {
        Random r = new Random(2);
        int rows = 5, in = 7, out = 4;
        float[] x = random(r, rows * in), w = random(r, out * in), b = random(r, out), dyW = random(r, rows * out);
        Linear layer = new Linear(w, b, in, out);
        Function<float[], Double> f = p -> {
            float[] y = new float[rows * out];
            PackedWeights.invalidate(w); // w was changed in place: without this the packed copy is stale
            Ops.linear(x, 0, rows, new Linear(w, b, in, out), y, 0);
            return loss(y, dyW);
        };
        float[] dx = new float[rows * in], dW = new float[out * in], db = new float[out];
        Gradients.linearBackward(x, 0, rows, layer, dyW, 0, dx, 0, false, dW, db);
        checkFd("dx", x, dx, f, 2e-3);
        checkFd("dW", w, dW, f, 2e-3);
        checkFd("db", b, db, f, 2e-3);
    }

    @Test
    void layerNormBackwardMatchesFiniteDifferences() {
        Random r = new Random(3);
        int rows = 3, dim = 9;
        float[] x = random(r, rows * dim), g = random(r, dim), be = random(r, dim), w = random(r, rows * dim);
        Function<float[], Double> f = p -> {
            float[] y = x.clone();
            Ops.layerNorm(y, 0, rows, dim, g, be, 1e-5f);
            return loss(y, w);
        };
        float[] dx = new float[rows * dim], dg = new float[dim], db = new float[dim];
        Gradients.layerNormBackward(x, 0, rows, dim, g, 1e-5f, w, 0, dx, 0, dg, 0, db, 0);
        checkFd("dx", x, dx, f, 5e-3);
        checkFd("dgamma", g, dg, f, 2e-3);
        checkFd("dbeta", be, db, f, 2e-3);
        // in place: dx written over dy
        float[] dy = w.clone();
        Gradients.layerNormBackward(x, 0, rows, dim, g, 1e-5f, dy, 0, dy, 0, null, 0, null, 0);
        assertArrayEquals(dx, dy, 0f);
    }

    @Test
    void elementwiseBackwardsMatchFiniteDifferences() {
        Random r = new Random(4);
        int n = 40;
        float[] x = random(r, n), w = random(r, n);
        float[] d = new float[n];
        Gradients.geluBackward(x, 0, n, w, 0, d, 0);
        checkFd("gelu", x, d, p -> { float[] y = p.clone(); Ops.gelu(y, 0, n); return loss(y, w); }, 2e-3);

        float[] y = x.clone();
        Ops.sigmoid(y, 0, n);
        Gradients.sigmoidBackward(y, 0, n, w, 0, d, 0);
        checkFd("sigmoid", x, d, p -> { float[] v = p.clone(); Ops.sigmoid(v, 0, n); return loss(v, w); }, 2e-3);

        y = x.clone();
        Ops.tanh(y, 0, n);
        Gradients.tanhBackward(y, 0, n, w, 0, d, 0);
        checkFd("tanh", x, d, p -> { float[] v = p.clone(); Ops.tanh(v, 0, n); return loss(v, w); }, 2e-3);

        float[] s = x.clone();
        int rows = 4, len = 10;
        Ops.softmaxRows(s, 0, rows, len);
        Gradients.softmaxBackward(s, 0, rows, len, len, w, 0, d, 0);
        checkFd("softmax", x, d, p -> { float[] v = p.clone(); Ops.softmaxRows(v, 0, rows, len); return loss(v, w); }, 2e-3);

        Gradients.reluBackward(x, 0, n, w, 0, d, 0);
        for (int i = 0; i < n; i++) assertEquals(x[i] > 0 ? w[i] : 0f, d[i]);
    }

    @Test
    void parameterViewsShareOneGradientAndInvalidatePackedCopies() {
        float[] fused = new float[12];
        Parameter[] p = Parameter.views(fused, new String[] {"q", "k", "v"}, new int[][] {{2, 2}, {2, 2}, {2, 2}});
        assertEquals(4, p[1].offset());
        p[2].grad()[10] = 3f;
        assertSame(p[0].grad(), p[2].grad());
        p[2].zeroGrad();
        assertEquals(0f, p[0].grad()[10]);
        p[1].setValue(new float[] {1, 2, 3, 4});
        assertEquals(3f, fused[6]);
        assertThrows(IllegalArgumentException.class, () -> p[1].setValue(new float[3]));
        assertThrows(IllegalArgumentException.class,
                () -> Parameter.views(fused, new String[] {"a"}, new int[][] {{2, 2}}));
    }
}
