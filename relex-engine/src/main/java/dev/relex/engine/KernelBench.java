package dev.relex.engine;

import java.util.Locale;
import java.util.Random;

/**
 * Micro benchmark of the kernels (no JMH): GFLOP/s of the hot matrix products of a BERT-small /
 * DeBERTa encoder at 1..N threads, and throughput of the element-wise kernels.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp relex-engine/target/classes dev.relex.engine.KernelBench [seconds-per-case] [max-threads]
 * </pre>
 */
public final class KernelBench {
    private KernelBench() {}

    private record Shape(String name, boolean transB, int m, int n, int k, boolean bias, int repeat) {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        int maxThreads = args.length > 1 ? Integer.parseInt(args[1]) : Math.min(2, Ops.threads());
        Kernels k = Ops.kernels();
        try {
            // Timings are wall-clock best-of-N: on a shared machine the load average says how much to trust them.
            System.out.println("loadavg: " + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        System.out.printf(Locale.ROOT, "kernels=%s pool threads=%d cpus=%d java=%s%n", k.name(), Ops.threads(),
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        Shape[] shapes = {
            new Shape("linear 256x384 * [1536x384]^T +b (FFN up)", true, 256, 1536, 384, true, 1),
            new Shape("linear 256x1536 * [384x1536]^T +b (FFN down)", true, 256, 384, 1536, true, 1),
            new Shape("linear 256x384 * [384x384]^T +b (Q/K/V/O)", true, 256, 384, 384, true, 1),
            new Shape("linear 256x1024 * [4096x1024]^T +b (large FFN)", true, 256, 4096, 1024, true, 1),
            new Shape("attention Q*K^T 256x32 * [256x32]^T x12 heads", true, 256, 256, 32, false, 12),
            new Shape("attention P*V 256x256 * [256x32] x12 heads", false, 256, 32, 256, false, 12),
            new Shape("attention Q*K^T 256x64 * [256x64]^T x16 heads", true, 256, 256, 64, false, 16),
            new Shape("linear 8x384 * [1536x384]^T +b (few rows)", true, 8, 1536, 384, true, 1),
            new Shape("linear 48x384 * [1536x384]^T +b (short text)", true, 48, 1536, 384, true, 1),
        };
        Random rnd = new Random(1);
        for (Shape s : shapes) {
            float[] a = random(rnd, s.m * s.k);
            float[] b = random(rnd, s.n * s.k);
            float[] c = new float[s.m * s.n];
            float[] bias = s.bias ? random(rnd, s.n) : null;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-48s", s.name));
            for (int t = 1; t <= maxThreads; t++) {
                int threads = t;
                int ldb = s.transB ? s.k : s.n;
                Runnable op = () -> {
                    for (int r = 0; r < s.repeat; r++) {
                        k.gemm(s.transB, s.m, s.n, s.k, a, 0, s.k, b, 0, ldb, c, 0, s.n, false, bias, 0, threads);
                    }
                };
                double secs = time(op, seconds);
                double gflops = 2.0 * s.m * s.n * s.k * s.repeat / secs / 1e9;
                line.append(String.format(Locale.ROOT, "  %dT %6.1f GFLOP/s (%7.3f ms)", t, gflops, secs * 1e3));
            }
            float[] packed = s.transB && s.bias ? k.prepackTransB(b, s.n, s.k) : null;
            if (packed != null) {
                line.append("  | prepacked:");
                for (int t = 1; t <= maxThreads; t++) {
                    int threads = t;
                    Runnable op = () -> k.gemm(true, s.m, s.n, s.k, a, 0, s.k, b, 0, s.k, c, 0, s.n, false, bias, 0,
                            packed, threads);
                    double secs = time(op, seconds);
                    double gflops = 2.0 * s.m * s.n * s.k / secs / 1e9;
                    line.append(String.format(Locale.ROOT, "  %dT %6.1f GFLOP/s", t, gflops));
                }
            }
            System.out.println(line);
        }
        int n = 256 * 1536;
        float[] x = random(rnd, n);
        float[] work = new float[n];
        float[] gamma = random(rnd, 384), beta = random(rnd, 384);
        elementwise("gelu 256x1536", seconds, n, () -> {
            System.arraycopy(x, 0, work, 0, n);
            Ops.gelu(work, 0, n);
        });
        elementwise("softmax 1536 rows x 256", seconds, n, () -> {
            System.arraycopy(x, 0, work, 0, n);
            Ops.softmaxRows(work, 0, 1536, 256);
        });
        elementwise("layerNorm 1024 rows x 384", seconds, 1024 * 384, () -> {
            System.arraycopy(x, 0, work, 0, 1024 * 384);
            Ops.layerNorm(work, 0, 1024, 384, gamma, beta, 1e-7f);
        });
    }

    private static void elementwise(String name, double seconds, int n, Runnable op) {
        double secs = time(op, seconds);
        System.out.printf(Locale.ROOT, "%-48s  %6.2f ns/value (incl. copy)%n", name, secs * 1e9 / n);
    }

    /** Best time of one call after a warm-up, measured over about {@code seconds}. */
    private static double time(Runnable op, double seconds) {
        long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < warmEnd) op.run();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long best = Long.MAX_VALUE;
        int runs = 0;
        while (System.nanoTime() < end || runs < 3) {
            long t0 = System.nanoTime();
            op.run();
            best = Math.min(best, System.nanoTime() - t0);
            runs++;
        }
        return best / 1e9;
    }

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextGaussian() * 0.5);
        return v;
    }
}
