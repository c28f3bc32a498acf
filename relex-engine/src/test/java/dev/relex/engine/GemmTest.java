package dev.relex.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Matrix products of both kernel implementations against a naive double-precision reference. */
class GemmTest {
    private static final float SENTINEL = 12345.5f;

    static List<Kernels> implementations() {
        List<Kernels> list = new ArrayList<>();
        list.add(ScalarKernels.INSTANCE);
        list.add(VectorKernels.INSTANCE);
        return list;
    }

    /** Odd sizes around the register tile (6 x 16/32), packing block (KC 256, NC 256) and thread split. */
    static Stream<Arguments> shapes() {
        int[][] mnk = {
            {1, 1, 1}, {1, 17, 3}, {3, 1, 17}, {5, 33, 7}, {6, 16, 8}, {7, 15, 9}, {17, 33, 129},
            {33, 17, 1}, {129, 3, 33}, {13, 257, 31}, {11, 40, 300}, {12, 520, 5}, {2, 3, 513},
        };
        List<Arguments> args = new ArrayList<>();
        for (Kernels impl : implementations()) {
            for (int[] s : mnk) {
                for (boolean transB : new boolean[] {true, false}) {
                    args.add(Arguments.of(impl.name(), impl, transB, s[0], s[1], s[2]));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} transB={2} m={3} n={4} k={5}")
    @MethodSource("shapes")
    void matchesDoubleReference(String name, Kernels impl, boolean transB, int m, int n, int k) {
        Random rnd = new Random(31L * m + 7L * n + k + (transB ? 1 : 0));
        for (int variant = 0; variant < 4; variant++) {
            boolean strided = (variant & 1) != 0;
            boolean accumulate = (variant & 2) != 0;
            Problem p = Problem.random(rnd, transB, m, n, k, strided, variant == 3);
            float[] c = p.c.clone();
            impl.gemm(transB, m, n, k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, c, p.cOff, p.ldc, accumulate,
                    p.bias, p.biasOff, 1);
            p.check(c, accumulate, name + " variant " + variant);
        }
    }

    @Test
    void vectorAndScalarAgree() {
        Random rnd = new Random(5);
        for (int[] s : new int[][] {{37, 75, 300}, {129, 33, 17}, {1, 1000, 384}}) {
            for (boolean transB : new boolean[] {true, false}) {
                Problem p = Problem.random(rnd, transB, s[0], s[1], s[2], true, true);
                float[] cs = p.c.clone();
                float[] cv = p.c.clone();
                ScalarKernels.INSTANCE.gemm(transB, s[0], s[1], s[2], p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, cs,
                        p.cOff, p.ldc, true, p.bias, p.biasOff, 1);
                VectorKernels.INSTANCE.gemm(transB, s[0], s[1], s[2], p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, cv,
                        p.cOff, p.ldc, true, p.bias, p.biasOff, 1);
                for (int i = 0; i < s[0]; i++) {
                    for (int j = 0; j < s[1]; j++) {
                        int ci = p.cOff + i * p.ldc + j;
                        double scale = p.absScale(i, j, true);
                        assertTrue(Math.abs(cs[ci] - cv[ci]) <= 1e-5 * scale,
                                "scalar " + cs[ci] + " vs vector " + cv[ci] + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void resultsAreBitwiseIndependentOfThreadCount() {
        Random rnd = new Random(11);
        // Big enough to be split (> Kernels.PARALLEL_MIN_WORK multiply-adds), odd edges.
        int[][] sizes = {{131, 301, 67}, {250, 37, 260}, {7, 1100, 300}};
        for (Kernels impl : implementations()) {
            for (int[] s : sizes) {
                for (boolean transB : new boolean[] {true, false}) {
                    int m = s[0], n = s[1], k = s[2];
                    assertTrue((long) m * n * k >= Kernels.PARALLEL_MIN_WORK);
                    Problem p = Problem.random(rnd, transB, m, n, k, true, true);
                    float[] single = p.c.clone();
                    impl.gemm(transB, m, n, k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, single, p.cOff, p.ldc, true,
                            p.bias, p.biasOff, 1);
                    p.check(single, true, impl.name());
                    for (int threads : new int[] {2, 3, 4, 7, 16}) {
                        float[] multi = p.c.clone();
                        impl.gemm(transB, m, n, k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, multi, p.cOff, p.ldc, true,
                                p.bias, p.biasOff, threads);
                        assertArrayEquals(single, multi, impl.name() + " " + threads + " threads " + Arrays.toString(s));
                    }
                }
            }
        }
    }

    @Test
    void prepackedWeightsGiveBitwiseIdenticalResults() {
        Random rnd = new Random(13);
        for (Kernels impl : implementations()) {
            for (int[] s : new int[][] {{1, 37, 20}, {9, 300, 270}, {70, 130, 513}, {200, 41, 300}}) {
                int m = s[0], n = s[1], k = s[2];
                Problem p = Problem.random(rnd, true, m, n, k, false, true);
                float[] packed = impl.prepackTransB(p.b, n, k); // null for implementations that do not pack
                float[] expected = p.c.clone();
                impl.gemm(true, m, n, k, p.a, 0, k, p.b, 0, k, expected, 0, n, false, p.bias, 0, null, 1);
                p.check(expected, false, impl.name());
                for (int threads : new int[] {1, 2, 5}) {
                    float[] c = p.c.clone();
                    impl.gemm(true, m, n, k, p.a, 0, k, p.b, 0, k, c, 0, n, false, p.bias, 0, packed, threads);
                    assertArrayEquals(expected, c, impl.name() + " prepacked, " + threads + " threads");
                }
                // Through the public entry point (which looks the packed copy up in its cache), twice.
                Linear layer = new Linear(p.b, p.bias, k, n);
                for (int rep = 0; rep < 2; rep++) {
                    float[] c = new float[m * n];
                    Ops.linear(p.a, 0, m, layer, c, 0);
                    if (Ops.kernels() == impl) assertArrayEquals(expected, c, "Ops.linear");
                }
            }
        }
    }

    @Test
    void rowsComputedAloneMatchTheBatchBitwise() {
        Random rnd = new Random(12);
        for (Kernels impl : implementations()) {
            int m = 13, n = 45, k = 290;
            Problem p = Problem.random(rnd, true, m, n, k, true, true);
            float[] batch = p.c.clone();
            impl.gemm(true, m, n, k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, batch, p.cOff, p.ldc, false,
                    p.bias, p.biasOff, 1);
            float[] rows = p.c.clone();
            for (int i = 0; i < m; i++) {
                impl.gemm(true, 1, n, k, p.a, p.aOff + i * p.lda, p.lda, p.b, p.bOff, p.ldb, rows, p.cOff + i * p.ldc,
                        p.ldc, false, p.bias, p.biasOff, 1);
            }
            assertArrayEquals(batch, rows, impl.name());
        }
    }

    @Test
    void opsEntryPointsMatchReference() {
        Random rnd = new Random(3);
        int m = 19, n = 70, k = 45;
        float[] a = randomArray(rnd, m * k);
        float[] w = randomArray(rnd, n * k);
        float[] bias = randomArray(rnd, n);
        float[] bkn = randomArray(rnd, k * n);
        float[] c = new float[m * n + 3];

        Ops.matmulTransB(a, 0, m, k, w, 0, n, c, 3);
        assertClose(reference(a, w, true, m, n, k, null), c, 3, "matmulTransB");
        Ops.matmul(a, 0, m, k, bkn, 0, n, c, 3);
        assertClose(reference(a, bkn, false, m, n, k, null), c, 3, "matmul");
        Linear layer = new Linear(w, bias, k, n);
        layer.forward(a, 0, m, c, 3);
        assertClose(reference(a, w, true, m, n, k, bias), c, 3, "linear");
        Ops.linear(a, 0, m, new Linear(w, null, k, n), c, 3);
        assertClose(reference(a, w, true, m, n, k, null), c, 3, "linear without bias");

        // Strided linear: read columns [5, 5+k) of a wider x, write into columns [2, 2+n) of a wider y.
        int ldx = k + 9, ldy = n + 4;
        float[] x = new float[m * ldx];
        for (int i = 0; i < m; i++) System.arraycopy(a, i * k, x, i * ldx + 5, k);
        float[] y = new float[m * ldy];
        Arrays.fill(y, SENTINEL);
        Ops.linear(x, 5, ldx, m, layer, y, 2, ldy);
        double[] ref = reference(a, w, true, m, n, k, bias);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldy; j++) {
                float v = y[i * ldy + j];
                if (j >= 2 && j < 2 + n) {
                    assertEquals(ref[i * n + j - 2], v, 1e-4, "strided linear " + i + "," + j);
                } else {
                    assertEquals(SENTINEL, v, "strided linear wrote outside its columns at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void badArgumentsNameTheOperand() {
        float[] a = new float[10];
        var e = assertThrows(IndexOutOfBoundsException.class,
                () -> Ops.matmulTransB(a, 0, 3, 4, new float[12], 0, 3, new float[9], 0));
        assertTrue(e.getMessage().startsWith("A:"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Ops.gemm(2, 3, 4, a, 0, 3, new float[12], 0, 3, new float[6], 0, 3, false));
        assertTrue(e2.getMessage().contains("A: leading dimension 3"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Linear(new float[5], null, 2, 3));
    }

    @Test
    void emptyDepthWritesZerosOrBias() {
        for (Kernels impl : implementations()) {
            float[] c = {1f, 2f, 3f, 4f};
            impl.gemm(true, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 0, c, 0, 2, false, new float[] {5f, 6f}, 0, 1);
            assertArrayEquals(new float[] {5f, 6f, 5f, 6f}, c);
            impl.gemm(false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 2, true, null, 0, 1);
            assertArrayEquals(new float[] {5f, 6f, 5f, 6f}, c);
        }
    }

    // ------------------------------------------------------------------------------------ helpers

    static float[] randomArray(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }

    static double[] reference(float[] a, float[] b, boolean transB, int m, int n, int k, float[] bias) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[i * k + p] * (transB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = s + (bias == null ? 0 : bias[j]);
            }
        }
        return c;
    }

    static void assertClose(double[] expected, float[] actual, int off, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 * Math.max(1, Math.abs(expected[i]));
            if (Math.abs(expected[i] - actual[off + i]) > tol) {
                fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[off + i]);
            }
        }
    }

    /** A random strided problem with sentinel padding around every operand. */
    record Problem(boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float[] c, int cOff, int ldc, float[] bias, int biasOff) {
        static Problem random(Random rnd, boolean transB, int m, int n, int k, boolean strided, boolean withBias) {
            int pad = strided ? 1 + rnd.nextInt(5) : 0;
            int lda = k + pad, ldc = n + pad;
            int ldb = (transB ? k : n) + pad;
            int aOff = strided ? 3 : 0, bOff = strided ? 2 : 0, cOff = strided ? 5 : 0;
            int bRows = transB ? n : k;
            float[] a = filled(rnd, aOff + m * lda, aOff, m, k, lda);
            float[] b = filled(rnd, bOff + bRows * ldb, bOff, bRows, transB ? k : n, ldb);
            float[] c = filled(rnd, cOff + m * ldc, cOff, m, n, ldc);
            float[] bias = null;
            int biasOff = 0;
            if (withBias) {
                biasOff = strided ? 1 : 0;
                bias = new float[biasOff + n];
                for (int j = 0; j < n; j++) bias[biasOff + j] = (float) rnd.nextGaussian();
            }
            return new Problem(transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, biasOff);
        }

        private static float[] filled(Random rnd, int size, int off, int rows, int cols, int ld) {
            float[] x = new float[size];
            Arrays.fill(x, SENTINEL);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) x[off + i * ld + j] = (float) rnd.nextGaussian();
            }
            return x;
        }

        double aAt(int i, int p) {
            return a[aOff + i * lda + p];
        }

        double bAt(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        /** Sum of the magnitudes of all terms of C[i, j]: the natural scale of its rounding error. */
        double absScale(int i, int j, boolean accumulate) {
            double s = accumulate ? Math.abs(c[cOff + i * ldc + j]) : 0;
            if (bias != null) s += Math.abs(bias[biasOff + j]);
            for (int p = 0; p < k; p++) s += Math.abs(aAt(i, p) * bAt(p, j));
            return Math.max(s, 1e-30);
        }

        void check(float[] out, boolean accumulate, String what) {
            for (int idx = 0; idx < out.length; idx++) {
                int rel = idx - cOff;
                int i = rel < 0 ? -1 : rel / ldc;
                int j = rel < 0 ? -1 : rel % ldc;
                if (i < 0 || i >= m || j >= n) {
                    assertEquals(SENTINEL, out[idx], what + ": wrote outside C at index " + idx);
                    continue;
                }
                double expected = accumulate ? c[idx] : 0;
                for (int p = 0; p < k; p++) expected += aAt(i, p) * bAt(p, j);
                if (bias != null) expected += bias[biasOff + j];
                double tol = 1e-6 * Math.sqrt(k + 1.0) * absScale(i, j, accumulate) + 1e-30;
                if (Math.abs(out[idx] - expected) > tol) {
                    fail(what + ": C[" + i + "," + j + "] = " + out[idx] + ", expected " + expected + " (tol " + tol
                            + ") m=" + m + " n=" + n + " k=" + k + " transB=" + transB);
                }
            }
        }
    }
}
