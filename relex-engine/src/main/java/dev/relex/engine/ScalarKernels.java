package dev.relex.engine;

/**
 * Plain-Java kernels, used when {@code jdk.incubator.vector} is not available (or disabled with
 * {@code -Drelex.vector=false}). GEMM runs in "axpy" form (C row += a · B row) on a packed Bᵀ slice so
 * that HotSpot's auto-vectorizer can use SIMD; each C element is the sum over k in ascending order.
 */
final class ScalarKernels extends Kernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    private static final int KC = 256;
    private static final int NC = 512;
    private static final ThreadLocal<float[]> PACK = ThreadLocal.withInitial(() -> new float[KC * NC]);

    private ScalarKernels() {}

    @Override
    String name() {
        return "scalar";
    }

    @Override
    int rowTile() {
        return 1;
    }

    @Override
    int colTile() {
        return 16;
    }

    @Override
    void gemmBlock(boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff,
                   float[] packedB, int packedCol) {
        float[] pack = transB ? PACK.get() : null;
        for (int j0 = 0; j0 < n; j0 += NC) {
            int nc = Math.min(NC, n - j0);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                float[] bt;
                int btOff, ldbt;
                if (transB) {
                    // Bᵀ slice [kc, nc]: pack[p * nc + j] = B[j0 + j, p0 + p].
                    for (int j = 0; j < nc; j++) {
                        int src = bOff + (j0 + j) * ldb + p0;
                        for (int p = 0; p < kc; p++) pack[p * nc + j] = b[src + p];
                    }
                    bt = pack;
                    btOff = 0;
                    ldbt = nc;
                } else {
                    bt = b;
                    btOff = bOff + p0 * ldb + j0;
                    ldbt = ldb;
                }
                boolean first = p0 == 0;
                for (int i = 0; i < m; i++) {
                    int ci = cOff + i * ldc + j0;
                    if (first && !accumulate) java.util.Arrays.fill(c, ci, ci + nc, 0f);
                    int ai = aOff + i * lda + p0;
                    for (int p = 0; p < kc; p++) {
                        float av = a[ai + p];
                        int bp = btOff + p * ldbt;
                        for (int j = 0; j < nc; j++) c[ci + j] += av * bt[bp + j];
                    }
                }
            }
            if (bias != null) {
                for (int i = 0; i < m; i++) add(c, cOff + i * ldc + j0, bias, biasOff + j0, nc);
            }
        }
    }

    @Override
    float[] prepackTransB(float[] b, int n, int k) {
        return null;
    }

    @Override
    float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        // Four partial sums: independent dependency chains, ~4x the throughput of one running sum.
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < len; i++) s0 += a[aOff + i] * b[bOff + i];
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    @Override
    void add(float[] dst, int dOff, float[] src, int sOff, int len) {
        for (int i = 0; i < len; i++) dst[dOff + i] += src[sOff + i];
    }

    @Override
    void scale(float[] x, int off, int len, float alpha) {
        for (int i = off; i < off + len; i++) x[i] *= alpha;
    }

    @Override
    void layerNorm(float[] x, int off, int rows, int dim, float[] gamma, float[] beta, float eps) {
        for (int r = 0; r < rows; r++) {
            int o = off + r * dim;
            double sum = 0;
            for (int i = 0; i < dim; i++) sum += x[o + i];
            float mean = (float) (sum / dim);
            double sq = 0;
            for (int i = 0; i < dim; i++) {
                float d = x[o + i] - mean;
                sq += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(sq / dim + eps));
            for (int i = 0; i < dim; i++) {
                x[o + i] = (x[o + i] - mean) * inv * gamma[i] + beta[i];
            }
        }
    }

    @Override
    void gelu(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) x[i] = geluExact(x[i]);
    }

    /** Exact erf GELU in double precision, rounded to float; x/2 · erfc(-x/√2) avoids cancellation for x ≪ 0. */
    static float geluExact(float v) {
        return (float) (0.5 * v * Erf.erfc(-v * 0.7071067811865476));
    }

    @Override
    void relu(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (x[i] < 0f) x[i] = 0f;
        }
    }

    @Override
    void softmax(float[] x, int off, int len) {
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
}
