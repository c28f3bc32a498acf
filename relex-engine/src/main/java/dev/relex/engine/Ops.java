package dev.relex.engine;

/**
 * Numeric kernels on row-major float arrays. All methods are thread-safe and allocate nothing
 * proportional to their inputs. Offsets are element offsets into the arrays.
 *
 * <p>TEMPORARY scalar reference implementation; the Vector API path replaces the bodies.
 */
public final class Ops {
    private Ops() {}

    /** C[m, n] = A[m, k] · B[n, k]ᵀ (both operands row-major with k contiguous). Overwrites C. */
    public static void matmulTransB(float[] a, int aOff, int m, int k, float[] b, int bOff, int n, float[] c, int cOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * n + j] = dot(a, aOff + i * k, b, bOff + j * k, k);
            }
        }
    }

    /** C[m, n] = A[m, k] · B[k, n] (B row-major with n contiguous). Overwrites C. */
    public static void matmul(float[] a, int aOff, int m, int k, float[] b, int bOff, int n, float[] c, int cOff) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * k + p];
                int bp = bOff + p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * b[bp + j];
                }
            }
        }
    }

    /** y[rows, out] = x[rows, in]·Wᵀ + b. */
    public static void linear(float[] x, int xOff, int rows, Linear layer, float[] y, int yOff) {
        matmulTransB(x, xOff, rows, layer.in(), layer.weight(), 0, layer.out(), y, yOff);
        float[] bias = layer.bias();
        if (bias != null) {
            for (int r = 0; r < rows; r++) {
                add(y, yOff + r * layer.out(), bias, 0, layer.out());
            }
        }
    }

    /** Dot product of two vectors of length len. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /** dst[i] += src[i] for len values. */
    public static void add(float[] dst, int dOff, float[] src, int sOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    /** In-place LayerNorm over each of {@code rows} rows of width {@code dim}. */
    public static void layerNorm(float[] x, int off, int rows, int dim, float[] gamma, float[] beta, float eps) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * dim;
            float mean = 0f;
            for (int i = 0; i < dim; i++) mean += x[o + i];
            mean /= dim;
            float var = 0f;
            for (int i = 0; i < dim; i++) {
                float d = x[o + i] - mean;
                var += d * d;
            }
            var /= dim;
            float inv = (float) (1.0 / Math.sqrt(var + eps));
            for (int i = 0; i < dim; i++) {
                x[o + i] = (x[o + i] - mean) * inv * gamma[i] + beta[i];
            }
        }
    }

    /** In-place exact (erf) GELU. */
    public static void gelu(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) {
            x[i] = (float) (0.5 * x[i] * (1.0 + Erf.erf(x[i] / Math.sqrt(2.0))));
        }
    }

    /** In-place ReLU. */
    public static void relu(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (x[i] < 0f) x[i] = 0f;
        }
    }

    /** In-place softmax of one row. */
    public static void softmax(float[] x, int off, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) max = Math.max(max, x[i]);
        float sum = 0f;
        for (int i = off; i < off + len; i++) {
            float e = (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = off; i < off + len; i++) x[i] *= inv;
    }

    /** Logistic sigmoid computed as torch does for float32 inputs. */
    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    /**
     * Strided C[m, n] (+)= A[m, k] · B[n, k]ᵀ with leading dimensions (row strides) lda, ldb, ldc.
     * If {@code accumulate} is false C is overwritten.
     */
    public static void gemmTransB(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = dot(a, aOff + i * lda, b, bOff + j * ldb, k);
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + s : s;
            }
        }
    }

    /**
     * Strided C[m, n] (+)= A[m, k] · B[k, n] with leading dimensions lda, ldb, ldc.
     * If {@code accumulate} is false C is overwritten.
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * lda + p];
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
            }
        }
    }

    /** y[len] = x[len] * alpha (in place allowed when x == y and offsets match). */
    public static void scale(float[] x, int off, int len, float alpha) {
        for (int i = off; i < off + len; i++) x[i] *= alpha;
    }

    /** Number of threads the kernels may use. */
    public static int threads() {
        return 1;
    }

    /** True when the jdk.incubator.vector path is active. */
    public static boolean usingVectorApi() {
        return false;
    }
}
