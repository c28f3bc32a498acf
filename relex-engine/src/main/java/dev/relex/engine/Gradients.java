package dev.relex.engine;

/**
 * Backward passes of the engine's kernels, the training counterpart of {@link Ops}: each method takes
 * what the forward saw (inputs, or outputs where they suffice) and the gradient of the loss with
 * respect to the forward's output, and writes or accumulates the gradients of the inputs and weights.
 *
 * <p>Matrix products go through the same GEMM kernels as inference (Vector API or scalar), so they are
 * bitwise identical for any thread count. Weight gradients are always accumulated ({@code +=}), so one
 * buffer collects the contributions of several examples; the order of accumulation is the caller's
 * order, fixed for a given run. Element-wise backward kernels are plain loops (their cost is small
 * next to the products) and may run in place ({@code dx == dy} with the same offset).
 */
public final class Gradients {
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private Gradients() {}

    private static float[] scratch(int size) {
        float[][] holder = SCRATCH.get();
        if (holder[0].length < size) holder[0] = new float[Math.max(size, holder[0].length + (holder[0].length >> 1))];
        return holder[0];
    }

    /**
     * C[m, n] (+)= A[k, m]ᵀ · B[k, n] (A stored row-major as k rows of m with stride lda; B k rows of n with
     * stride ldb). Used for weight gradients dW = dYᵀ·X. A is transposed into per-thread scratch first
     * (O(k·m) against the product's O(k·m·n)), then the ordinary GEMM runs.
     */
    public static void gemmTransA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative size m=" + m + " n=" + n + " k=" + k);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        if (lda < m) throw new IllegalArgumentException("A: leading dimension " + lda + " < row width " + m);
        if ((long) aOff + (long) (k - 1) * lda + m > a.length) {
            throw new IndexOutOfBoundsException("A: " + k + "x" + m + " from offset " + aOff + " exceeds " + a.length);
        }
        float[] at = scratch(m * k);
        // Transpose in 16 x 16 tiles: a row-by-row transpose writes with stride k and misses the cache on
        // every store once k·4 bytes exceeds a page (A is e.g. [512 rows, 1536] for an FFN weight gradient).
        final int tile = 16;
        for (int r0 = 0; r0 < k; r0 += tile) {
            int r1 = Math.min(k, r0 + tile);
            for (int i0 = 0; i0 < m; i0 += tile) {
                int i1 = Math.min(m, i0 + tile);
                for (int r = r0; r < r1; r++) {
                    int src = aOff + r * lda;
                    for (int i = i0; i < i1; i++) at[i * k + r] = a[src + i];
                }
            }
        }
        Ops.gemm(m, n, k, at, 0, k, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * Backward of y[rows, out] = x[rows, in]·Wᵀ + b ({@link Ops#linear}) with row strides: dx (=, or += when
     * {@code accumulateDx}) dy·W; dW[out, in] += dyᵀ·x; db[out] += Σ_rows dy. Any of dx, dW, db may be null
     * (not needed). dW and db are written at their offsets (views of fused gradients).
     */
    public static void linearBackward(float[] x, int xOff, int ldx, int rows, Linear layer,
                                      float[] dy, int dyOff, int lddy,
                                      float[] dx, int dxOff, int lddx, boolean accumulateDx,
                                      float[] dW, int dWOff, float[] db, int dbOff) {
        int in = layer.in(), out = layer.out();
        if (rows == 0) return;
        if (dx != null) {
            Ops.gemm(rows, in, out, dy, dyOff, lddy, layer.weight(), 0, in, dx, dxOff, lddx, accumulateDx);
        }
        if (dW != null) {
            gemmTransA(out, in, rows, dy, dyOff, lddy, x, xOff, ldx, dW, dWOff, in, true);
        }
        if (db != null && layer.bias() != null) {
            for (int r = 0; r < rows; r++) {
                int o = dyOff + r * lddy;
                for (int j = 0; j < out; j++) db[dbOff + j] += dy[o + j];
            }
        }
    }

    /** Dense form of {@link #linearBackward(float[], int, int, int, Linear, float[], int, int, float[], int, int, boolean, float[], int, float[], int)}. */
    public static void linearBackward(float[] x, int xOff, int rows, Linear layer, float[] dy, int dyOff,
                                      float[] dx, int dxOff, boolean accumulateDx, float[] dW, float[] db) {
        linearBackward(x, xOff, layer.in(), rows, layer, dy, dyOff, layer.out(), dx, dxOff, layer.in(), accumulateDx,
                dW, 0, db, 0);
    }

    /**
     * Backward of the in-place LayerNorm y = γ·(x − μ)/σ + β ({@link Ops#layerNorm}) over rows of width dim,
     * given the forward's <em>input</em> x: dγ += Σ dy·x̂, dβ += Σ dy and dx = (γ·dy − mean(γ·dy) − x̂·mean(γ·dy·x̂))/σ.
     * dx may alias dy (same offset); dGamma/dBeta may be null. Statistics are recomputed as the forward does.
     */
    public static void layerNormBackward(float[] x, int xOff, int rows, int dim, float[] gamma, float eps,
                                         float[] dy, int dyOff, float[] dx, int dxOff,
                                         float[] dGamma, int dGammaOff, float[] dBeta, int dBetaOff) {
        float[] xhat = scratch(2 * dim);
        for (int r = 0; r < rows; r++) {
            int o = xOff + r * dim, g = dyOff + r * dim, t = dxOff + r * dim;
            double sum = 0;
            for (int i = 0; i < dim; i++) sum += x[o + i];
            float mean = (float) (sum / dim);
            double sq = 0;
            for (int i = 0; i < dim; i++) {
                float d = x[o + i] - mean;
                sq += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(sq / dim + eps));
            double s1 = 0, s2 = 0;
            for (int i = 0; i < dim; i++) {
                float xh = (x[o + i] - mean) * inv;
                float gdy = gamma[i] * dy[g + i];
                xhat[i] = xh;
                xhat[dim + i] = gdy;
                s1 += gdy;
                s2 += (double) gdy * xh;
                if (dGamma != null) dGamma[dGammaOff + i] += dy[g + i] * xh;
                if (dBeta != null) dBeta[dBetaOff + i] += dy[g + i];
            }
            float m1 = (float) (s1 / dim), m2 = (float) (s2 / dim);
            for (int i = 0; i < dim; i++) {
                dx[t + i] = (xhat[dim + i] - m1 - xhat[i] * m2) * inv;
            }
        }
    }

    /**
     * Backward of the exact erf GELU given its input: dx = dy·(Φ(x) + x·φ(x)). dx may alias dy. Runs on the
     * live kernels (Vector API: float32 erfc/exp fits, relative error ~1e-6; scalar: double precision), split
     * over the kernel pool for long inputs like {@link Ops#gelu}; each element's value does not depend on the split.
     */
    public static void geluBackward(float[] x, int xOff, int len, float[] dy, int dyOff, float[] dx, int dxOff) {
        Kernels k = Ops.kernels();
        int chunks = Ops.elementChunks(len);
        if (chunks <= 1) {
            k.geluBackward(x, xOff, len, dy, dyOff, dx, dxOff);
            return;
        }
        KernelPool.run(chunks, KernelPool.threads(), c -> {
            int from = Ops.chunkStart(len, chunks, c);
            int to = Ops.chunkStart(len, chunks, c + 1);
            k.geluBackward(x, xOff + from, to - from, dy, dyOff + from, dx, dxOff + from);
        });
    }

    /** Backward of ReLU given its input or output (the sign is the same): dx = dy where x > 0, else 0. */
    public static void reluBackward(float[] x, int xOff, int len, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < len; i++) dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : 0f;
    }

    /** Backward of the sigmoid given its output y: dx = dy·y·(1 − y). dx may alias dy. */
    public static void sigmoidBackward(float[] y, int yOff, int len, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < len; i++) {
            float s = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * s * (1f - s);
        }
    }

    /** Backward of tanh given its output y: dx = dy·(1 − y²). dx may alias dy. */
    public static void tanhBackward(float[] y, int yOff, int len, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < len; i++) {
            float t = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (1f - t * t);
        }
    }

    /**
     * Backward of a row softmax given its output p: dx = p ⊙ (dy − Σ dy·p), for rows of width len with
     * stride ld. dx may alias dy. Masked entries (p = 0) get dx = 0.
     */
    public static void softmaxBackward(float[] p, int pOff, int rows, int len, int ld, float[] dy, int dyOff,
                                       float[] dx, int dxOff) {
        for (int r = 0; r < rows; r++) {
            int po = pOff + r * ld, go = dyOff + r * ld, xo = dxOff + r * ld;
            double dot = 0;
            for (int j = 0; j < len; j++) dot += (double) dy[go + j] * p[po + j];
            float d = (float) dot;
            for (int j = 0; j < len; j++) dx[xo + j] = p[po + j] * (dy[go + j] - d);
        }
    }
}
