package dev.relex.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.relex.encoder.Encoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times our encoder against ONNX Runtime on one model, in this JVM (so with this JVM's
 * {@code relex.threads}). Both run the same padded batch; iterations alternate between the two so
 * that load from other processes on the machine hits both alike.
 */
final class EncoderBench {

    /**
     * One measured configuration: wall-clock medians and minima, and the median CPU time, in milliseconds
     * per forward call. With one thread both implementations compute on the calling thread, so CPU time is
     * that thread's (nanosecond clock, unaffected by waiting for a core on a busy machine); with more
     * threads it is the whole process's (all threads, ONNX Runtime's native ones included, ~10 ms ticks).
     */
    record Result(String model, int tokens, int batch, int threads, double oursMs, double ortMs,
                  double oursMinMs, double ortMinMs, double oursCpuMs, double ortCpuMs, double maxAbsDiff) {
        double ratio() {
            return oursMs / ortMs;
        }

        String toLine() {
            return String.join("\t", "RESULT", model, Integer.toString(tokens), Integer.toString(batch),
                    Integer.toString(threads), Double.toString(oursMs), Double.toString(ortMs),
                    Double.toString(oursMinMs), Double.toString(ortMinMs), Double.toString(oursCpuMs),
                    Double.toString(ortCpuMs), Double.toString(maxAbsDiff));
        }

        static Result parse(String line) {
            String[] f = line.split("\t");
            if (f.length != 12 || !f[0].equals("RESULT")) throw new IllegalArgumentException("not a result line: " + line);
            return new Result(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]),
                    Double.parseDouble(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]),
                    Double.parseDouble(f[11]));
        }
    }

    /** Untimed forwards of both implementations at 64 tokens before anything is measured. */
    static final int JIT_WARMUP_FORWARDS = 15;

    private EncoderBench() {}

    static List<Result> run(PretrainedModel model, int threads, boolean ortSpinning, int[] tokenCounts, int[] batches,
                            int warmup, int iterations) {
        List<Result> results = new ArrayList<>();
        Encoder ours = model.createEncoder();
        try (OrtEncoder ort = model.createOrtEncoder(threads, ortSpinning);
             HuggingFaceTokenizer tok = TokenBatch.tokenizer(model.tokenizerPath(), 512)) {
            String text = SampleTexts.longText();
            // Let the JIT compile the hot loops before the first measured configuration.
            TokenBatch jit = TokenBatch.fixedLength(tok, text, 64, 1);
            float[] jitOut = new float[64 * ours.hiddenSize()];
            for (int i = 0; i < JIT_WARMUP_FORWARDS; i++) {
                ours.forward(jit.ids(), jit.mask(), 1, 64, jitOut);
                ort.forward(jit.ids(), jit.mask(), 1, 64, jitOut);
            }
            for (int tokens : tokenCounts) {
                for (int batch : batches) {
                    TokenBatch b = TokenBatch.fixedLength(tok, text, tokens, batch);
                    float[] outOurs = new float[batch * tokens * ours.hiddenSize()];
                    float[] outOrt = new float[outOurs.length];
                    for (int i = 0; i < warmup; i++) {
                        ours.forward(b.ids(), b.mask(), batch, tokens, outOurs);
                        ort.forward(b.ids(), b.mask(), batch, tokens, outOrt);
                    }
                    double diff = 0;
                    for (int i = 0; i < outOurs.length; i++) diff = Math.max(diff, Math.abs(outOurs[i] - outOrt[i]));
                    long[] tOurs = new long[iterations], tOrt = new long[iterations];
                    long[] cOurs = new long[iterations], cOrt = new long[iterations];
                    boolean callerOnly = threads == 1;
                    Runnable runOurs = () -> ours.forward(b.ids(), b.mask(), batch, tokens, outOurs);
                    Runnable runOrt = () -> ort.forward(b.ids(), b.mask(), batch, tokens, outOrt);
                    for (int i = 0; i < iterations; i++) {
                        // Alternate which one goes first so neither always runs on a cache warmed by the other.
                        if ((i & 1) == 0) {
                            time(runOurs, callerOnly, tOurs, cOurs, i);
                            time(runOrt, callerOnly, tOrt, cOrt, i);
                        } else {
                            time(runOrt, callerOnly, tOrt, cOrt, i);
                            time(runOurs, callerOnly, tOurs, cOurs, i);
                        }
                    }
                    Result r = new Result(model.displayName(), tokens, batch, threads, median(tOurs), median(tOrt),
                            min(tOurs), min(tOrt), median(cOurs), median(cOrt), diff);
                    System.err.printf("[bench] %s T=%d B=%d threads=%d: ours %.2f ms (CPU %.2f), ORT %.2f ms (CPU %.2f),"
                                    + " x%.2f, max diff %.2g%n", r.model(), tokens, batch, threads, r.oursMs(), r.oursCpuMs(),
                            r.ortMs(), r.ortCpuMs(), r.ratio(), diff);
                    results.add(r);
                }
            }
        }
        return results;
    }

    /**
     * Runs {@code r} once, storing its wall-clock and CPU nanoseconds (the calling thread's if
     * {@code callerOnly}, else the process's) at index {@code i}.
     */
    static void time(Runnable r, boolean callerOnly, long[] wall, long[] cpu, int i) {
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        long c0 = callerOnly ? tmx.getCurrentThreadCpuTime() : processCpuNanos();
        long t0 = System.nanoTime();
        r.run();
        wall[i] = System.nanoTime() - t0;
        cpu[i] = (callerOnly ? tmx.getCurrentThreadCpuTime() : processCpuNanos()) - c0;
    }

    /** CPU time of the whole process (all threads, native ones included), or 0 where unavailable. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    static double median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        int n = s.length;
        double m = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
        return m / 1e6;
    }

    static double min(long[] ns) {
        return Arrays.stream(ns).min().orElseThrow() / 1e6;
    }
}
