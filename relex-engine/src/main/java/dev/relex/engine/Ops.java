package dev.relex.engine;

/**
 * Numeric kernels on row-major float arrays; the single entry point of the engine. All methods are
 * thread-safe and allocate nothing proportional to their inputs. Offsets are element offsets into the
 * arrays.
 *
 * <p>The implementation is chosen once: the {@code jdk.incubator.vector} kernels when that module is in
 * the boot layer (run with {@code --add-modules jdk.incubator.vector}) unless {@code -Drelex.vector=false},
 * plain Java otherwise. Matrix products above a size threshold run on the shared kernel pool
 * ({@code -Drelex.threads=N}, default: available processors). Every element of a matrix product is
 * computed by one thread with one fixed operation order, so results are bitwise identical for any
 * thread count and do not depend on how many rows are processed together.
 */
public final class Ops {
    private static final Kernels K = select();

    private Ops() {}

    private static Kernels select() {
        String prop = System.getProperty("relex.vector", "true").trim();
        boolean wanted = !prop.equalsIgnoreCase("false");
        if (wanted && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Kernels) Class.forName("dev.relex.engine.VectorKernels").getDeclaredField("INSTANCE").get(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                System.getLogger(Ops.class.getName()).log(System.Logger.Level.WARNING,
                        "jdk.incubator.vector present but unusable, using scalar kernels: " + e);
            }
        }
        return ScalarKernels.INSTANCE;
    }

    /** The live implementation (package-private, for tests and benchmarks). */
    static Kernels kernels() {
        return K;
    }

    /** C[m, n] = A[m, k] · B[n, k]ᵀ (both operands row-major with k contiguous). Overwrites C. */
    public static void matmulTransB(float[] a, int aOff, int m, int k, float[] b, int bOff, int n, float[] c, int cOff) {
        K.gemm(true, m, n, k, a, aOff, k, b, bOff, k, c, cOff, n, false, null, 0, KernelPool.threads());
    }

    /** C[m, n] = A[m, k] · B[k, n] (B row-major with n contiguous). Overwrites C. */
    public static void matmul(float[] a, int aOff, int m, int k, float[] b, int bOff, int n, float[] c, int cOff) {
        K.gemm(false, m, n, k, a, aOff, k, b, bOff, n, c, cOff, n, false, null, 0, KernelPool.threads());
    }

    /** y[rows, out] = x[rows, in]·Wᵀ + b. */
    public static void linear(float[] x, int xOff, int rows, Linear layer, float[] y, int yOff) {
        linear(x, xOff, layer.in(), rows, layer, y, yOff, layer.out());
    }

    /**
     * Strided y[rows, out] = x[rows, in]·Wᵀ + b where consecutive rows of x start {@code ldx} values apart
     * and rows of y {@code ldy} values apart (e.g. to read or write a column slice of a wider matrix).
     */
    public static void linear(float[] x, int xOff, int ldx, int rows, Linear layer, float[] y, int yOff, int ldy) {
        float[] packed = rows > 0 ? PackedWeights.of(K, layer) : null;
        K.gemm(true, rows, layer.out(), layer.in(), x, xOff, ldx, layer.weight(), 0, layer.in(), y, yOff, ldy,
                false, layer.bias(), 0, packed, KernelPool.threads());
    }

    /**
     * Strided C[m, n] (+)= A[m, k] · B[n, k]ᵀ + bias[n]: the general form behind {@link #linear}. bias may
     * be null; it is added after the products.
     */
    public static void gemmTransB(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff) {
        K.gemm(true, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, bias, biasOff, KernelPool.threads());
    }

    /** Dot product of two vectors of length len. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        return K.dot(a, aOff, b, bOff, len);
    }

    /** y[i] += alpha · x[i] for len values. */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        K.axpy(alpha, x, xOff, y, yOff, len);
    }

    /** dst[i] += src[i] for len values. */
    public static void add(float[] dst, int dOff, float[] src, int sOff, int len) {
        K.add(dst, dOff, src, sOff, len);
    }

    /** In-place LayerNorm over each of {@code rows} rows of width {@code dim}. */
    public static void layerNorm(float[] x, int off, int rows, int dim, float[] gamma, float[] beta, float eps) {
        if (gamma.length < dim || beta.length < dim) {
            throw new IllegalArgumentException("layerNorm: gamma/beta have " + gamma.length + "/" + beta.length
                    + " values, need " + dim);
        }
        int chunks = elementChunks(rows * dim);
        if (chunks <= 1 || rows < chunks) {
            K.layerNorm(x, off, rows, dim, gamma, beta, eps);
            return;
        }
        // Rows are independent, so any row split gives the same values.
        KernelPool.run(chunks, KernelPool.threads(), c -> {
            int r0 = (int) ((long) rows * c / chunks), r1 = (int) ((long) rows * (c + 1) / chunks);
            K.layerNorm(x, off + r0 * dim, r1 - r0, dim, gamma, beta, eps);
        });
    }

    /** In-place exact (erf) GELU. */
    public static void gelu(float[] x, int off, int len) {
        int chunks = elementChunks(len);
        if (chunks <= 1) {
            K.gelu(x, off, len);
            return;
        }
        KernelPool.run(chunks, KernelPool.threads(), c -> {
            int from = chunkStart(len, chunks, c);
            K.gelu(x, off + from, chunkStart(len, chunks, c + 1) - from);
        });
    }

    /** In-place logistic sigmoid over len values (float; within ~2 ulp of the exact value). */
    public static void sigmoid(float[] x, int off, int len) {
        K.sigmoid(x, off, len);
    }

    /** In-place tanh over len values, as 2·sigmoid(2x) − 1 (absolute error about 1e-7). */
    public static void tanh(float[] x, int off, int len) {
        K.tanh(x, off, len);
    }

    /** In-place ReLU. */
    public static void relu(float[] x, int off, int len) {
        K.relu(x, off, len);
    }

    /**
     * Below this many values an element-wise kernel runs on the calling thread; above it, GELU (about
     * 1 ns per value) is split so the second core is not idle between matrix products.
     */
    static final int ELEMENT_PARALLEL_MIN = 1 << 15;

    /** Chunks for an element-wise kernel over len values (1: run on the calling thread). */
    static int elementChunks(int len) {
        int threads = KernelPool.threads();
        if (threads <= 1 || len < ELEMENT_PARALLEL_MIN || KernelPool.onWorker()) return 1;
        return Math.min(2 * threads, len / (ELEMENT_PARALLEL_MIN / 2));
    }

    /**
     * Start of chunk c of len values cut into chunks pieces; a multiple of 64 values (except at len), so
     * every value takes the same vector or scalar path as in one unsplit call and results do not change.
     */
    static int chunkStart(int len, int chunks, int c) {
        if (c >= chunks) return len;
        return (int) ((long) len * c / chunks) & ~63;
    }

    /** In-place softmax of one row. */
    public static void softmax(float[] x, int off, int len) {
        K.softmax(x, off, len);
    }

    /** In-place softmax of each of {@code rows} rows of width {@code len}. */
    public static void softmaxRows(float[] x, int off, int rows, int len) {
        for (int r = 0; r < rows; r++) K.softmax(x, off + r * len, len);
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
        K.gemm(true, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, null, 0, KernelPool.threads());
    }

    /**
     * Strided C[m, n] (+)= A[m, k] · B[k, n] with leading dimensions lda, ldb, ldc.
     * If {@code accumulate} is false C is overwritten.
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        K.gemm(false, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, null, 0, KernelPool.threads());
    }

    /** y[len] = x[len] * alpha (in place allowed when x == y and offsets match). */
    public static void scale(float[] x, int off, int len, float alpha) {
        K.scale(x, off, len, alpha);
    }

    /**
     * Runs body.accept(i) for every i in [0, count) on the shared kernel pool (the calling thread takes
     * part) and returns when all are done; the first exception thrown by a task is rethrown. Kernel calls
     * made inside a task run single-threaded, so this is the way to parallelise over independent pieces
     * (attention heads, batch items) that are each too small to split. Tasks must write disjoint outputs
     * and run on several threads: scratch buffers must come from {@link Workspace#get()} inside the task,
     * not from the caller's workspace.
     */
    public static void parallelFor(int count, java.util.function.IntConsumer body) {
        if (count < 0) throw new IllegalArgumentException("negative task count " + count);
        KernelPool.run(count, KernelPool.threads(), body::accept);
    }

    /** Number of threads the kernels may use ({@code -Drelex.threads}, default available processors). */
    public static int threads() {
        return KernelPool.threads();
    }

    /** True when the jdk.incubator.vector path is active. */
    public static boolean usingVectorApi() {
        return K != ScalarKernels.INSTANCE;
    }

    /** Name of the live kernel implementation, e.g. {@code "vector(256-bit)"} or {@code "scalar"}. */
    public static String implementation() {
        return K.name();
    }
}
