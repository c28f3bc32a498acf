package dev.relex.engine;

/**
 * Plain-Java kernels, used when {@code jdk.incubator.vector} is not available (or disabled with
 * {@code -Drelex.vector=false}). GEMM packs op(B) into 4-column panels and updates 2 × 4 register
 * tiles; each C element is the running sum c += a·b over k in ascending order (separate multiply and
 * add, as Java requires), whatever the tiling or thread split.
 */
final class ScalarKernels extends Kernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    private static final int KC = 256;
    private static final int NC = 256;
    private static final ThreadLocal<float[]> PACK = ThreadLocal.withInitial(() -> new float[KC * NC]);

    private ScalarKernels() {}

    @Override
    String name() {
        return "scalar";
    }

    @Override
    int rowTile() {
        return 2;
    }

    @Override
    int colTile() {
        return 4;
    }

    @Override
    void gemmBlock(boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff,
                   float[] packedB, int packedCol) {
        float[] pack = PACK.get();
        for (int j0 = 0; j0 < n; j0 += NC) {
            int nc = Math.min(NC, n - j0);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                pack(transB, b, transB ? bOff + j0 * ldb + p0 : bOff + p0 * ldb + j0, ldb, kc, nc, pack);
                boolean load = accumulate || p0 > 0;
                for (int i0 = 0; i0 < m; i0 += 2) {
                    int mr = Math.min(2, m - i0);
                    int ai = aOff + i0 * lda + p0;
                    for (int jr = 0; jr < nc; jr += 4) {
                        int nr = Math.min(4, nc - jr);
                        int ci = cOff + i0 * ldc + j0 + jr;
                        if (mr == 2) {
                            kernel2x4(nr, kc, a, ai, lda, pack, jr * kc, c, ci, ldc, load);
                        } else {
                            kernel1x4(nr, kc, a, ai, pack, jr * kc, c, ci, load);
                        }
                    }
                }
            }
            if (bias != null) {
                for (int i = 0; i < m; i++) add(c, cOff + i * ldc + j0, bias, biasOff + j0, nc);
            }
        }
    }

    /** op(B) block [kc, nc] → panels of 4 columns, k-major ([kc][4]), zero padded. */
    private static void pack(boolean transB, float[] b, int bOff, int ldb, int kc, int nc, float[] pack) {
        for (int jr = 0; jr < nc; jr += 4) {
            int base = jr * kc;
            for (int j = 0; j < 4; j++) {
                int dst = base + j;
                if (jr + j >= nc) {
                    for (int p = 0; p < kc; p++) pack[dst + 4 * p] = 0f;
                } else if (transB) {
                    int src = bOff + (jr + j) * ldb;
                    for (int p = 0; p < kc; p++) pack[dst + 4 * p] = b[src + p];
                } else {
                    int src = bOff + jr + j;
                    for (int p = 0; p < kc; p++) pack[dst + 4 * p] = b[src + p * ldb];
                }
            }
        }
    }

    /**
     * 2 × 4 register tile (nr valid columns): 8 running sums + 4 B values + 1 A value fit the 16 SSE
     * registers (a 4 × 4 tile spills and runs ~2x slower).
     */
    private static void kernel2x4(int nr, int kc, float[] a, int a0, int lda, float[] bp, int b0,
                                  float[] c, int c0, int ldc, boolean load) {
        int a1 = a0 + lda;
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        if (load) {
            int r = c0;
            c00 = c[r]; c01 = nr > 1 ? c[r + 1] : 0; c02 = nr > 2 ? c[r + 2] : 0; c03 = nr > 3 ? c[r + 3] : 0;
            r += ldc;
            c10 = c[r]; c11 = nr > 1 ? c[r + 1] : 0; c12 = nr > 2 ? c[r + 2] : 0; c13 = nr > 3 ? c[r + 3] : 0;
        }
        for (int p = 0; p < kc; p++) {
            int bi = b0 + 4 * p;
            float b0v = bp[bi], b1v = bp[bi + 1], b2v = bp[bi + 2], b3v = bp[bi + 3];
            float av = a[a0 + p];
            c00 += av * b0v; c01 += av * b1v; c02 += av * b2v; c03 += av * b3v;
            av = a[a1 + p];
            c10 += av * b0v; c11 += av * b1v; c12 += av * b2v; c13 += av * b3v;
        }
        store(c, c0, nr, c00, c01, c02, c03);
        store(c, c0 + ldc, nr, c10, c11, c12, c13);
    }

    private static void kernel1x4(int nr, int kc, float[] a, int a0, float[] bp, int b0, float[] c, int c0, boolean load) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        if (load) {
            c00 = c[c0]; c01 = nr > 1 ? c[c0 + 1] : 0; c02 = nr > 2 ? c[c0 + 2] : 0; c03 = nr > 3 ? c[c0 + 3] : 0;
        }
        for (int p = 0; p < kc; p++) {
            int bi = b0 + 4 * p;
            float av = a[a0 + p];
            c00 += av * bp[bi]; c01 += av * bp[bi + 1]; c02 += av * bp[bi + 2]; c03 += av * bp[bi + 3];
        }
        store(c, c0, nr, c00, c01, c02, c03);
    }

    private static void store(float[] c, int o, int nr, float v0, float v1, float v2, float v3) {
        c[o] = v0;
        if (nr > 1) c[o + 1] = v1;
        if (nr > 2) c[o + 2] = v2;
        if (nr > 3) c[o + 3] = v3;
    }

    @Override
    float[] prepackTransB(float[] b, int n, int k) {
        return null;
    }

    @Override
    boolean packsWeights() {
        return false;
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

    @Override
    void geluBackward(float[] x, int xOff, int len, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < len; i++) {
            double v = x[xOff + i];
            double cdf = 0.5 * Erf.erfc(-v * 0.7071067811865476);
            double pdf = 0.3989422804014327 * Math.exp(-0.5 * v * v);
            dx[dxOff + i] = (float) (dy[dyOff + i] * (cdf + v * pdf));
        }
    }

    /** Exact erf GELU in double precision, rounded to float; x/2 · erfc(-x/√2) avoids cancellation for x ≪ 0. */
    static float geluExact(float v) {
        return (float) (0.5 * v * Erf.erfc(-v * 0.7071067811865476));
    }

    @Override
    void sigmoid(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) x[i] = sigmoid(x[i]);
    }

    @Override
    void tanh(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) x[i] = tanh(x[i]);
    }

    /** Float sigmoid, also the tail of the vector kernel. */
    static float sigmoid(float v) {
        return 1f / (1f + (float) Math.exp(-v));
    }

    static float tanh(float v) {
        return 2f / (1f + (float) Math.exp(-2f * v)) - 1f;
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
