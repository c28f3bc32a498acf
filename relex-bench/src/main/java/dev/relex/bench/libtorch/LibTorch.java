package dev.relex.bench.libtorch;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

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
     * {@code torch::set_num_threads(intraOp)} and, the first time only, {@code set_num_interop_threads(1)}
     * (libtorch accepts the inter-op count once, before any inter-op work).
     */
    public static void setThreads(int intraOp) {
        requireAvailable();
        synchronized (LOCK) {
            if (!interOpSet) {
                torch.set_num_interop_threads(1);
                interOpSet = true;
            }
            torch.set_num_threads(intraOp);
        }
    }

    /** libtorch's thread settings and the build facts that matter for speed (BLAS, oneDNN, OpenMP). */
    public static String describe() {
        requireAvailable();
        String config = torch.show_config().getString();
        String build = config.lines().map(String::trim)
                .filter(l -> l.startsWith("- C++ Version") || l.startsWith("- CPU capability") || l.contains("BLAS_INFO")
                        || l.startsWith("- OpenMP") || l.startsWith("- Intel(R) MKL-DNN") || l.startsWith("- oneDNN"))
                .map(l -> l.startsWith("- ") ? l.substring(2) : l)
                .reduce((a, b) -> a + "; " + b).orElse("");
        return "libtorch intra-op " + torch.get_num_threads() + ", inter-op " + torch.get_num_interop_threads()
                + (build.isEmpty() ? "" : "; " + build);
    }
}
