package dev.relex.engine;

/**
 * One implementation of the numeric kernels (scalar or Vector API). The GEMM driver here cuts a product
 * into row/column chunks for {@link KernelPool}; implementations compute one chunk with
 * {@link #gemmBlock}. Every implementation must compute each output element with the same operation
 * sequence whatever the chunk bounds are, so results do not depend on the thread count.
 */
abstract class Kernels {
    /** Below this many multiply-adds a product runs on the calling thread only (~50 µs of work). */
    static final long PARALLEL_MIN_WORK = 1L << 21;
    /** Minimum multiply-adds per chunk when a product is split further than one chunk per thread. */
    static final long CHUNK_MIN_WORK = 1L << 20;

    /** Human readable name of the implementation, for logs and benchmarks. */
    abstract String name();

    /** Rows per register tile; row chunk bounds are multiples of it. */
    abstract int rowTile();

    /** Columns per register tile; column chunk bounds are multiples of it. */
    abstract int colTile();

    /**
     * Sequential C[m, n] (+)= A[m, k] · op(B) (+ bias[n]) where op(B) is B[n, k]ᵀ if transB, else B[k, n].
     * The bias (nullable) is added after the products. m, n, k are all positive.
     */
    abstract void gemmBlock(boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff,
                            float[] packedB, int packedCol);

    /**
     * B[n, k] (dense, row stride k) packed once in the layout {@link #gemmBlock} consumes, for constant
     * weights; null when the implementation does not pack. Using it never changes results.
     */
    abstract float[] prepackTransB(float[] b, int n, int k);

    /** Whether {@link #prepackTransB} returns packed data (false: it returns null). */
    abstract boolean packsWeights();

    abstract float dot(float[] a, int aOff, float[] b, int bOff, int len);

    abstract void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len);

    abstract void add(float[] dst, int dOff, float[] src, int sOff, int len);

    abstract void scale(float[] x, int off, int len, float alpha);

    abstract void layerNorm(float[] x, int off, int rows, int dim, float[] gamma, float[] beta, float eps);

    abstract void gelu(float[] x, int off, int len);

    /** Backward of the exact GELU from its input x: dx = dy·(Φ(x) + x·φ(x)); dx may alias dy. */
    abstract void geluBackward(float[] x, int xOff, int len, float[] dy, int dyOff, float[] dx, int dxOff);

    abstract void relu(float[] x, int off, int len);

    /** In-place logistic sigmoid 1 / (1 + e^-x). */
    abstract void sigmoid(float[] x, int off, int len);

    /** In-place tanh, as 2·sigmoid(2x) − 1 (absolute error about 1e-7 near 0). */
    abstract void tanh(float[] x, int off, int len);

    abstract void softmax(float[] x, int off, int len);

    /**
     * Parallel driver: C[m, n] (+)= A · op(B) (+ bias) using up to maxThreads threads. Checks bounds up
     * front so that bad arguments fail with a message naming the operand.
     */
    final void gemm(boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, int maxThreads) {
        gemm(transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, bias, biasOff, null, maxThreads);
    }

    /** As above, with B also available pre-packed by {@link #prepackTransB} (nullable; transB only). */
    final void gemm(boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, float[] packedB,
                    int maxThreads) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative GEMM size m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) return;
        checkMatrix("A", a, aOff, m, k, lda);
        if (transB) {
            checkMatrix("B", b, bOff, n, k, ldb);
        } else {
            checkMatrix("B", b, bOff, k, n, ldb);
        }
        checkMatrix("C", c, cOff, m, n, ldc);
        if (bias != null && (biasOff < 0 || (long) biasOff + n > bias.length)) {
            throw new IndexOutOfBoundsException("bias needs " + n + " values from offset " + biasOff
                    + " but has length " + bias.length);
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
                if (bias != null) add(c, ci, bias, biasOff, n);
            }
            return;
        }
        long work = (long) m * n * k;
        // The chunk grid depends on maxThreads only (the pool caps the helpers actually used), so tests
        // can exercise many grids on a small machine; results never depend on the grid anyway.
        int threads = maxThreads;
        if (threads <= 1 || work < PARALLEL_MIN_WORK || KernelPool.onWorker()) {
            gemmBlock(transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, bias, biasOff, packedB, 0);
            return;
        }
        // More chunks than threads balances load on shared machines; columns first (no repacked B).
        int mr = rowTile(), nr = colTile();
        int rowUnits = (m + mr - 1) / mr;
        int colUnits = (n + nr - 1) / nr;
        long wanted = Math.max(threads, Math.min(3L * threads, work / CHUNK_MIN_WORK));
        int colChunks = (int) Math.min(wanted, colUnits);
        int rowChunks = (int) Math.min((wanted + colChunks - 1) / colChunks, rowUnits);
        int chunks = colChunks * rowChunks;
        KernelPool.run(chunks, threads, chunk -> {
            int rc = chunk / colChunks, cc = chunk % colChunks;
            int i0 = Math.min(m, (int) ((long) rowUnits * rc / rowChunks) * mr);
            int i1 = Math.min(m, (int) ((long) rowUnits * (rc + 1) / rowChunks) * mr);
            int j0 = Math.min(n, (int) ((long) colUnits * cc / colChunks) * nr);
            int j1 = Math.min(n, (int) ((long) colUnits * (cc + 1) / colChunks) * nr);
            if (i1 <= i0 || j1 <= j0) return;
            int bSub = transB ? bOff + j0 * ldb : bOff + j0;
            gemmBlock(transB, i1 - i0, j1 - j0, k, a, aOff + i0 * lda, lda, b, bSub, ldb,
                    c, cOff + i0 * ldc + j0, ldc, accumulate, bias, biasOff + j0, packedB, j0);
        });
    }

    private static void checkMatrix(String name, float[] x, int off, int rows, int cols, int ld) {
        if (x == null) throw new NullPointerException(name + " is null");
        if (ld < cols) {
            throw new IllegalArgumentException(name + ": leading dimension " + ld + " < row width " + cols);
        }
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || (rows > 0 && cols > 0 && last > x.length)) {
            throw new IndexOutOfBoundsException(name + ": " + rows + "x" + cols + " with leading dimension " + ld
                    + " from offset " + off + " needs " + last + " values but the array has " + x.length);
        }
    }
}
