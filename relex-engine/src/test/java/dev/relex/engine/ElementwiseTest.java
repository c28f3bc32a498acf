package dev.relex.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Vector kernels of both implementations against double-precision references, on odd lengths and offsets. */
class ElementwiseTest {
    private static final int[] LENGTHS = {0, 1, 3, 7, 8, 17, 33, 64, 129, 1000};
    private static final float SENTINEL = -777.25f;

    static Stream<Arguments> impls() {
        return GemmTest.implementations().stream().map(k -> Arguments.of(k.name(), k));
    }

    /** Random values in a buffer with sentinel margins: returns {buffer}; data at offset 3. */
    private static float[] buffer(Random rnd, int len, double scale) {
        float[] x = new float[len + 7];
        Arrays.fill(x, SENTINEL);
        for (int i = 0; i < len; i++) x[3 + i] = (float) (rnd.nextGaussian() * scale);
        return x;
    }

    private static void assertMarginsIntact(float[] x, int len, String what) {
        for (int i = 0; i < 3; i++) assertEquals(SENTINEL, x[i], what + " wrote before its range");
        for (int i = 3 + len; i < x.length; i++) assertEquals(SENTINEL, x[i], what + " wrote after its range");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void dotAxpyAddScale(String name, Kernels k) {
        Random rnd = new Random(1);
        for (int len : LENGTHS) {
            float[] a = buffer(rnd, len, 1), b = buffer(rnd, len, 1);
            double ref = 0, abs = 0;
            for (int i = 0; i < len; i++) {
                ref += (double) a[3 + i] * b[3 + i];
                abs += Math.abs((double) a[3 + i] * b[3 + i]);
            }
            assertEquals(ref, k.dot(a, 3, b, 3, len), 1e-6 * abs + 1e-30, name + " dot len " + len);

            float[] y = b.clone();
            k.axpy(0.37f, a, 3, y, 3, len);
            for (int i = 0; i < len; i++) {
                assertEquals(b[3 + i] + 0.37 * a[3 + i], y[3 + i], 1e-6 * (Math.abs(b[3 + i]) + Math.abs(a[3 + i])), "axpy");
            }
            assertMarginsIntact(y, len, "axpy");

            y = b.clone();
            k.add(y, 3, a, 3, len);
            for (int i = 0; i < len; i++) assertEquals(b[3 + i] + a[3 + i], y[3 + i], 0f, "add is exact per element");
            assertMarginsIntact(y, len, "add");

            y = b.clone();
            k.scale(y, 3, len, -1.5f);
            for (int i = 0; i < len; i++) assertEquals(b[3 + i] * -1.5f, y[3 + i], 0f, "scale");
            assertMarginsIntact(y, len, "scale");

            y = b.clone();
            k.relu(y, 3, len);
            for (int i = 0; i < len; i++) assertEquals(Math.max(0f, b[3 + i]), y[3 + i], 0f, "relu");
            assertMarginsIntact(y, len, "relu");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void softmaxMatchesReference(String name, Kernels k) {
        Random rnd = new Random(2);
        for (int len : LENGTHS) {
            if (len == 0) continue;
            float[] x = buffer(rnd, len, 4);
            x[3 + len / 2] = -1e30f; // masked positions
            if (len > 2) x[3 + len - 1] = Float.NEGATIVE_INFINITY;
            float[] y = x.clone();
            k.softmax(y, 3, len);
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < len; i++) max = Math.max(max, x[3 + i]);
            double sum = 0;
            for (int i = 0; i < len; i++) sum += Math.exp(x[3 + i] - max);
            for (int i = 0; i < len; i++) {
                double ref = Math.exp(x[3 + i] - max) / sum;
                assertEquals(ref, y[3 + i], 2e-6 * ref + 1e-12, name + " softmax len " + len + " at " + i);
            }
            assertMarginsIntact(y, len, "softmax");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void layerNormMatchesReference(String name, Kernels k) {
        Random rnd = new Random(3);
        for (int dim : new int[] {1, 3, 17, 33, 384, 1025}) {
            int rows = 3;
            float[] x = buffer(rnd, rows * dim, 2);
            for (int i = 0; i < rows * dim; i++) x[3 + i] += 5f; // offset mean: exercises the centring
            float[] gamma = GemmTest.randomArray(rnd, dim), beta = GemmTest.randomArray(rnd, dim);
            float[] y = x.clone();
            k.layerNorm(y, 3, rows, dim, gamma, beta, 1e-7f);
            for (int r = 0; r < rows; r++) {
                int o = 3 + r * dim;
                double mean = 0;
                for (int i = 0; i < dim; i++) mean += x[o + i];
                mean /= dim;
                double var = 0;
                for (int i = 0; i < dim; i++) var += (x[o + i] - mean) * (x[o + i] - mean);
                var /= dim;
                double inv = 1 / Math.sqrt(var + 1e-7);
                for (int i = 0; i < dim; i++) {
                    double norm = (x[o + i] - mean) * inv;
                    double ref = norm * gamma[i] + beta[i];
                    double tol = 2e-6 * (Math.abs(norm * gamma[i]) + Math.abs(beta[i]) + Math.abs(gamma[i]));
                    assertEquals(ref, y[o + i], tol, name + " layerNorm dim " + dim + " row " + r + " at " + i);
                }
            }
            assertMarginsIntact(y, rows * dim, "layerNorm");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void geluMatchesExactErfGelu(String name, Kernels k) {
        // Dense sweep over [-12, 12] plus odd lengths; reference in double with the Cody erf.
        int n = 24001;
        float[] x = new float[n + 7];
        Arrays.fill(x, SENTINEL);
        for (int i = 0; i < n; i++) x[3 + i] = -12f + 24f * i / (n - 1);
        float[] y = x.clone();
        k.gelu(y, 3, n);
        double worstRel = 0;
        for (int i = 0; i < n; i++) {
            double v = x[3 + i];
            double ref = 0.5 * v * Erf.erfc(-v / Math.sqrt(2));
            double err = Math.abs(y[3 + i] - ref);
            // float32 torch computes 0.5·x·(1 + erf(x/√2)) and its absolute error is ~1e-7·|x|; we must
            // be at least that good, and keep relative precision in the left tail.
            double tol = 2e-7 * Math.abs(v) + 1e-6 * Math.abs(ref);
            if (err > tol) fail(name + " gelu(" + v + ") = " + y[3 + i] + " expected " + ref);
            if (Math.abs(v) <= 6 && ref != 0) worstRel = Math.max(worstRel, err / Math.abs(ref));
        }
        assertMarginsIntact(y, n, "gelu");
        for (int len : LENGTHS) {
            float[] z = buffer(new Random(len), len, 3);
            float[] w = z.clone();
            k.gelu(w, 3, len);
            for (int i = 0; i < len; i++) {
                double ref = ScalarKernels.geluExact(z[3 + i]);
                assertEquals(ref, w[3 + i], 2e-7 * Math.abs(z[3 + i]) + 1e-6 * Math.abs(ref), "gelu len " + len);
            }
            assertMarginsIntact(w, len, "gelu len " + len);
        }
        // Relative precision where outputs are not negligible (|gelu| > 1e-9), including the left tail.
        assertTrue(worstRel < 5e-6, name + " worst relative gelu error " + worstRel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impls")
    void sigmoidAndTanh(String name, Kernels k) {
        Random rnd = new Random(5);
        for (int len : LENGTHS) {
            for (double scale : new double[] {0.01, 1, 8, 60}) {
                float[] x = buffer(rnd, len, scale);
                float[] sig = x.clone();
                float[] th = x.clone();
                k.sigmoid(sig, 3, len);
                k.tanh(th, 3, len);
                assertMarginsIntact(sig, len, name + " sigmoid");
                assertMarginsIntact(th, len, name + " tanh");
                for (int i = 0; i < len; i++) {
                    double v = x[3 + i];
                    double es = 1 / (1 + Math.exp(-v));
                    assertEquals(es, sig[3 + i], 3e-7 * Math.max(es, 1e-30) + 1e-38, name + " sigmoid(" + v + ")");
                    assertEquals(Math.tanh(v), th[3 + i], 2.5e-7, name + " tanh(" + v + ")");
                }
            }
        }
        float[] edge = {Float.NEGATIVE_INFINITY, -200f, -88f, 0f, 88f, 200f, Float.POSITIVE_INFINITY, 1e-8f};
        float[] sig = edge.clone();
        float[] th = edge.clone();
        k.sigmoid(sig, 0, edge.length);
        k.tanh(th, 0, edge.length);
        for (int i = 0; i < edge.length; i++) {
            assertEquals(1 / (1 + Math.exp(-(double) edge[i])), sig[i], 1e-7, name + " sigmoid(" + edge[i] + ")");
            assertEquals(Math.tanh(edge[i]), th[i], 2.5e-7, name + " tanh(" + edge[i] + ")");
        }
    }
}
