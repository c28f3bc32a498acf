package dev.relex.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.relex.encoder.Encoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times our encoder against ONNX Runtime on one model, in this JVM (so with this JVM's
 * {@code relex.threads}). Both run the same padded batch; iterations alternate between the two so
 * that load from other processes on the machine hits both alike.
 */
final class EncoderBench {

    /** One measured configuration. Times are medians in milliseconds per forward call. */
    record Result(String model, int tokens, int batch, int threads, double oursMs, double ortMs,
                  double oursMinMs, double ortMinMs, double maxAbsDiff) {
        double ratio() {
            return oursMs / ortMs;
        }

        String toLine() {
            return String.join("\t", "RESULT", model, Integer.toString(tokens), Integer.toString(batch),
                    Integer.toString(threads), Double.toString(oursMs), Double.toString(ortMs),
                    Double.toString(oursMinMs), Double.toString(ortMinMs), Double.toString(maxAbsDiff));
        }

        static Result parse(String line) {
            String[] f = line.split("\t");
            if (f.length != 10 || !f[0].equals("RESULT")) throw new IllegalArgumentException("not a result line: " + line);
            return new Result(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]),
                    Double.parseDouble(f[8]), Double.parseDouble(f[9]));
        }
    }

    private EncoderBench() {}

    static List<Result> run(PretrainedModel model, int threads, int[] tokenCounts, int[] batches, int warmup,
                            int iterations) {
        List<Result> results = new ArrayList<>();
        Encoder ours = model.createEncoder();
        try (OrtEncoder ort = model.createOrtEncoder(threads);
             HuggingFaceTokenizer tok = TokenBatch.tokenizer(model.tokenizerPath(), 512)) {
            String text = SampleTexts.longText();
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
                    for (int i = 0; i < iterations; i++) {
                        // Alternate which one goes first so neither always runs on a cache warmed by the other.
                        if ((i & 1) == 0) {
                            tOurs[i] = time(() -> ours.forward(b.ids(), b.mask(), batch, tokens, outOurs));
                            tOrt[i] = time(() -> ort.forward(b.ids(), b.mask(), batch, tokens, outOrt));
                        } else {
                            tOrt[i] = time(() -> ort.forward(b.ids(), b.mask(), batch, tokens, outOrt));
                            tOurs[i] = time(() -> ours.forward(b.ids(), b.mask(), batch, tokens, outOurs));
                        }
                    }
                    Result r = new Result(model.displayName(), tokens, batch, threads, median(tOurs), median(tOrt),
                            min(tOurs), min(tOrt), diff);
                    System.err.printf("[bench] %s T=%d B=%d threads=%d: ours %.2f ms, ORT %.2f ms (x%.2f), max diff %.2g%n",
                            r.model(), tokens, batch, threads, r.oursMs(), r.ortMs(), r.ratio(), diff);
                    results.add(r);
                }
            }
        }
        return results;
    }

    static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
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
