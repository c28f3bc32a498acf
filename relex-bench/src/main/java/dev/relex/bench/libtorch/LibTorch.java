package dev.relex.bench.libtorch;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.List;

/**
 * Loading libtorch's native libraries and setting its thread pools, once per process.
 *
 * <p>The natives (≈ 330 MB for {@code libtorch_cpu.so}) come from the {@code linux-x86_64} classifier
 * jars; JavaCPP extracts them into {@code ~/.javacpp/cache} on first use. On any other platform, or if a
 * jar is missing, {@link #unavailableReason()} says why and the benchmark skips the libtorch side.
 */
public final class LibTorch {
    private static final Object LOCK = new Object();
    private static String unavailable;
    private static boolean loaded;
    private static boolean interOpSet;

    private LibTorch() {}

    /** Null if libtorch loads on this platform, else a one-line reason. */
    public static String unavailableReason() {
        synchronized (LOCK) {
            if (loaded) return null;
            if (unavailable != null) return unavailable;
            try {
                Loader.load(torch.class);
                loaded = true;
                return null;
            } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError
                unavailable = "libtorch (org.bytedeco:pytorch) cannot load on " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch") + ": " + t;
                return unavailable;
            }
        }
    }

    /** Throws {@link IllegalStateException} with the reason if libtorch cannot load. */
    public static void requireAvailable() {
        String why = unavailableReason();
        if (why != null) throw new IllegalStateException(why);
    }

    /**
     * {@code torch::set_num_threads(intraOp)}, OpenBLAS's thread count likewise, and, the first time only,
     * {@code set_num_interop_threads(1)} (libtorch accepts the inter-op count once, before any inter-op work).
     *
     * <p>Why OpenBLAS too: these libtorch builds do their float32 GEMMs in OpenBLAS ({@code BLAS_INFO=open}),
     * which has its own pthread pool sized to all cores, separate from libtorch's OpenMP threads; left alone,
     * "1 thread" would still run every GEMM on all cores, and at 2 threads the two pools' busy-waiting workers
     * would fight over the cores.
     */
    public static void setThreads(int intraOp) {
        setThreads(intraOp, intraOp);
    }

    /** As {@link #setThreads(int)} with a different OpenBLAS thread count. */
    public static void setThreads(int intraOp, int blasThreads) {
        if (intraOp < 1 || blasThreads < 1) throw new IllegalArgumentException("thread counts must be >= 1");
        requireAvailable();
        synchronized (LOCK) {
            if (!interOpSet) {
                torch.set_num_interop_threads(1);
                interOpSet = true;
            }
            torch.set_num_threads(intraOp);
            openblas_nolapack.blas_set_num_threads(blasThreads);
        }
    }

    /** OpenBLAS's current thread count (the library that runs libtorch's float32 GEMMs here). */
    public static int blasThreads() {
        requireAvailable();
        return openblas_nolapack.blas_get_num_threads();
    }

    /** libtorch's thread settings and the build facts that matter for speed (version, BLAS, oneDNN, CPU capability). */
    public static String describe() {
        requireAvailable();
        String config = torch.show_config().getString();
        List<String> facts = new ArrayList<>();
        for (String line : config.lines().map(String::trim).toList()) {
            if (line.startsWith("- CPU capability") || line.startsWith("- Intel(R) MKL-DNN") || line.startsWith("- oneDNN")) {
                String fact = line.substring(2);
                int git = fact.indexOf(" (Git Hash");
                facts.add(git > 0 ? fact.substring(0, git) : fact);
            }
            if (line.startsWith("- Build settings:")) {
                for (String kv : line.substring("- Build settings:".length()).split(",")) {
                    String t = kv.trim();
                    if (t.startsWith("TORCH_VERSION=") || t.startsWith("BLAS_INFO=") || t.startsWith("USE_MKLDNN=")
                            || t.startsWith("USE_OPENMP=")) facts.add(t);
                }
            }
        }
        return "libtorch intra-op threads " + torch.get_num_threads() + ", inter-op " + torch.get_num_interop_threads()
                + ", OpenBLAS threads " + blasThreads()
                + (facts.isEmpty() ? "" : "; " + String.join("; ", facts));
    }
}
