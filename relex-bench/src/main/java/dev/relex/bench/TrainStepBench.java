package dev.relex.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.relex.bench.libtorch.BertShape;
import dev.relex.bench.libtorch.LibTorch;
import dev.relex.bench.libtorch.TorchBatch;
import dev.relex.bench.libtorch.TorchBertEncoder;
import dev.relex.bench.libtorch.TorchTrainStep;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.pretrained.OnnxWeights;
import dev.relex.encoder.Encoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The training-step benchmark, in this JVM (so with its {@code relex.threads}; libtorch gets the same
 * intra-op thread count and one inter-op thread): a batch of real tokens with realistic padding, then
 * <ol>
 *   <li>a check that libtorch's encoder, given the same pretrained weights, computes what ours computes;</li>
 *   <li>the inference forward of both encoders, alternating call by call;</li>
 *   <li>training steps (forward with activations kept, loss, backward, AdamW), alternating engine by engine
 *       where more than one engine can train.</li>
 * </ol>
 * Results go to standard output as tab-separated lines (parsed by {@link TrainStepCommand}).
 */
final class TrainStepBench {

    /** What to measure. */
    record Settings(PretrainedModel model, int batch, int minLength, int maxLength, long seed, int warmup,
                    int iterations, TorchBertEncoder.Attention attention, int torchBlasThreads, double learningRate, double weightDecay,
                    boolean forward, boolean step, java.nio.file.Path shared, boolean skipTorchStep,
                    boolean skipOurEncoderStep) {
        Settings(PretrainedModel model, int batch, int minLength, int maxLength, long seed, int warmup, int iterations,
                 TorchBertEncoder.Attention attention, int torchBlasThreads, double learningRate, double weightDecay,
                 boolean forward, boolean step, java.nio.file.Path shared) {
            this(model, batch, minLength, maxLength, seed, warmup, iterations, attention, torchBlasThreads, learningRate,
                    weightDecay, forward, step, shared, false, false);
        }

        Settings {
            if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
            if (minLength < 3 || maxLength < minLength || maxLength > 512) {
                throw new IllegalArgumentException("need 3 <= min length <= max length <= 512, got " + minLength + ".." + maxLength);
            }
            if (warmup < 0 || iterations < 1) throw new IllegalArgumentException("need warmup >= 0 and iterations >= 1");
        }
    }

    /** Inference forward of both encoders on the batch; milliseconds per forward. */
    record ForwardResult(String model, int threads, int batch, int seqLen, int realTokens, double oursMs, double oursMinMs,
                         double torchMs, double torchMinMs, double oursCpuMs, double torchCpuMs, double maxAbsDiff) {
        static final String TAG = "TSFORWARD";

        String toLine() {
            return String.join("\t", TAG, model, str(threads), str(batch), str(seqLen), str(realTokens), str(oursMs),
                    str(oursMinMs), str(torchMs), str(torchMinMs), str(oursCpuMs), str(torchCpuMs), str(maxAbsDiff));
        }

        static ForwardResult parse(String line) {
            String[] f = fields(line, TAG, 13);
            return new ForwardResult(f[1], i(f[2]), i(f[3]), i(f[4]), i(f[5]), d(f[6]), d(f[7]), d(f[8]), d(f[9]),
                    d(f[10]), d(f[11]), d(f[12]));
        }
    }

    /**
     * Training steps of one engine; milliseconds per step (median and minimum of the total, medians of the
     * phases, median CPU time) and the loss of the first and last measured step.
     */
    record StepResult(String model, int threads, String engine, String scope, double stepMs, double stepMinMs,
                      double forwardMs, double backwardMs, double optimizerMs, double cpuMs, double firstLoss,
                      double lastLoss) {
        static final String TAG = "TSSTEP";

        String toLine() {
            return String.join("\t", TAG, model, str(threads), engine, scope, str(stepMs), str(stepMinMs), str(forwardMs),
                    str(backwardMs), str(optimizerMs), str(cpuMs), str(firstLoss), str(lastLoss));
        }

        static StepResult parse(String line) {
            String[] f = fields(line, TAG, 13);
            return new StepResult(f[1], i(f[2]), f[3], f[4], d(f[5]), d(f[6]), d(f[7]), d(f[8]), d(f[9]), d(f[10]),
                    d(f[11]), d(f[12]));
        }
    }

    /** Free-text facts about the run (libtorch build, batch lengths), one per line. */
    static final String INFO_TAG = "TSINFO";

    /** One engine's training step, timed phase by phase. */
    interface StepEngine extends AutoCloseable {
        String name();

        /** What one step covers, e.g. "encoder + MSE-style loss + backward + AdamW". */
        String scope();

        TorchTrainStep.Times step();

        @Override
        void close();
    }

    /** Untimed forwards of each encoder before anything is measured, for the JIT. */
    static final int JIT_WARMUP = 5;

    private TrainStepBench() {}

    /** The sequence lengths of the batch: the first is {@code max}, the others uniform in [min, max] (seeded). */
    static int[] lengths(int batch, int min, int max, long seed) {
        Random rnd = new Random(seed);
        int[] out = new int[batch];
        out[0] = max;
        for (int b = 1; b < batch; b++) out[b] = min + rnd.nextInt(max - min + 1);
        return out;
    }

    static List<String> run(Settings s, int threads) {
        List<String> out = new ArrayList<>();
        String why = LibTorch.unavailableReason();
        if (why != null) {
            out.add(INFO_TAG + "\t" + why);
            return out;
        }
        LibTorch.setThreads(threads, s.torchBlasThreads() > 0 ? s.torchBlasThreads() : threads);
        out.add(INFO_TAG + "\t" + LibTorch.describe() + "; OPENBLAS_THREAD_TIMEOUT=" + System.getenv("OPENBLAS_THREAD_TIMEOUT")
                + ", OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY"));
        EncoderConfig cfg = s.model().encoderConfig();
        BertShape shape = new BertShape(cfg.vocabSize(), cfg.hiddenSize(), cfg.numHiddenLayers(), cfg.numAttentionHeads(),
                cfg.intermediateSize(), cfg.maxPositionEmbeddings(), cfg.typeVocabSize(), cfg.layerNormEps());
        int[] lengths = lengths(s.batch(), s.minLength(), s.maxLength(), s.seed());
        TokenBatch tokens;
        try (HuggingFaceTokenizer tok = TokenBatch.tokenizer(s.model().tokenizerPath(), 4096)) {
            tokens = TokenBatch.windows(tok, SampleTexts.longText(), lengths, 7);
        }
        int realTokens = Arrays.stream(lengths).sum();
        out.add(INFO_TAG + "\t" + String.format(Locale.ROOT, "batch %d x %d tokens, lengths %s (%d real tokens, %.0f%% padding)",
                s.batch(), tokens.seqLen(), Arrays.toString(lengths), realTokens,
                100.0 * (1 - realTokens / (double) (s.batch() * tokens.seqLen()))));
        Encoder ours = s.model().createEncoder();
        try (OnnxWeights w = OnnxWeights.open(s.model().onnxPath());
             TorchBertEncoder torchEnc = TorchBertEncoder.fromWeights(shape, s.attention(), w::floats);
             TorchBatch torchBatch = new TorchBatch(tokens.ids(), tokens.mask(), tokens.batch(), tokens.seqLen())) {
            out.add(INFO_TAG + "\t" + String.format(Locale.ROOT, "%s: %,d parameters (libtorch side, %s attention)",
                    s.model().displayName(), torchEnc.parameterCount(), s.attention().name().toLowerCase(Locale.ROOT)));
            if (s.forward()) out.add(forward(s, threads, ours, torchEnc, tokens, torchBatch).toLine());
            if (s.step()) {
                List<StepEngine> engines = new ArrayList<>();
                if (!s.skipTorchStep()) engines.add(torchEngine(torchEnc, torchBatch, s));
                if (!s.skipOurEncoderStep()) {
                    engines.add(OurTrainSteps.encoderOnly(s.model(), tokens, s.learningRate(), s.weightDecay()));
                }
                if (s.shared() != null && s.model() == PretrainedModel.BGE_SMALL) {
                    List<String> facts = new ArrayList<>();
                    engines.add(OurTrainSteps.fullModel(BgeRelexAssembler.assemble(s.shared()), lengths, s.learningRate(),
                            s.weightDecay(), facts));
                    for (String f : facts) out.add(INFO_TAG + "\t" + f);
                }
                for (StepResult r : steps(s, threads, engines)) out.add(r.toLine());
                for (StepEngine e : engines) e.close();
            }
        }
        return out;
    }

    private static StepEngine torchEngine(TorchBertEncoder enc, TorchBatch batch, Settings s) {
        TorchTrainStep step = new TorchTrainStep(enc, s.learningRate(), s.weightDecay());
        return new StepEngine() {
            @Override
            public String name() {
                return "libtorch";
            }

            @Override
            public String scope() {
                return "encoder + mean-square loss + backward + AdamW";
            }

            @Override
            public TorchTrainStep.Times step() {
                return step.step(batch);
            }

            @Override
            public void close() {
                step.close();
            }
        };
    }

    private static ForwardResult forward(Settings s, int threads, Encoder ours, TorchBertEncoder torchEnc,
                                         TokenBatch t, TorchBatch tb) {
        int n = t.batch() * t.seqLen() * ours.hiddenSize();
        float[] outOurs = new float[n], outTorch = new float[n];
        Runnable runOurs = () -> ours.forward(t.ids(), t.mask(), t.batch(), t.seqLen(), outOurs);
        Runnable runTorch = () -> torchEnc.forwardInto(tb, outTorch);
        for (int i = 0; i < JIT_WARMUP + s.warmup(); i++) {
            runOurs.run();
            runTorch.run();
        }
        double diff = 0;
        int h = ours.hiddenSize();
        for (int i = 0; i < n; i++) {
            if (t.mask()[i / h] == 1) diff = Math.max(diff, Math.abs(outOurs[i] - outTorch[i]));
        }
        int it = s.iterations();
        long[] wOurs = new long[it], wTorch = new long[it], cOurs = new long[it], cTorch = new long[it];
        // Process CPU time: it shows when a library uses more cores than it was given.
        boolean callerOnly = false;
        for (int i = 0; i < it; i++) {
            if ((i & 1) == 0) {
                EncoderBench.time(runOurs, callerOnly, wOurs, cOurs, i);
                EncoderBench.time(runTorch, callerOnly, wTorch, cTorch, i);
            } else {
                EncoderBench.time(runTorch, callerOnly, wTorch, cTorch, i);
                EncoderBench.time(runOurs, callerOnly, wOurs, cOurs, i);
            }
        }
        ForwardResult r = new ForwardResult(s.model().displayName(), threads, t.batch(), t.seqLen(),
                Arrays.stream(t.lengths()).sum(), EncoderBench.median(wOurs), EncoderBench.min(wOurs),
                EncoderBench.median(wTorch), EncoderBench.min(wTorch), EncoderBench.median(cOurs),
                EncoderBench.median(cTorch), diff);
        System.err.printf(Locale.ROOT, "[train-step] forward threads=%d: ours %.1f ms, libtorch %.1f ms, x%.2f, max diff %.2g%n",
                threads, r.oursMs(), r.torchMs(), r.oursMs() / r.torchMs(), diff);
        return r;
    }

    /** Warm-up steps, then measured steps with the engines taking turns (order rotating each round). */
    static List<StepResult> steps(Settings s, int threads, List<StepEngine> engines) {
        int k = engines.size(), it = s.iterations();
        for (int i = 0; i < s.warmup() + 1; i++) {
            for (StepEngine e : engines) e.step();
        }
        long[][] total = new long[k][it], fwd = new long[k][it], bwd = new long[k][it], opt = new long[k][it],
                cpu = new long[k][it];
        double[] firstLoss = new double[k], lastLoss = new double[k];
        for (int i = 0; i < it; i++) {
            for (int j = 0; j < k; j++) {
                int e = (i + j) % k;
                long c0 = EncoderBench.processCpuNanos();
                TorchTrainStep.Times t = engines.get(e).step();
                cpu[e][i] = EncoderBench.processCpuNanos() - c0;
                total[e][i] = t.totalNanos();
                if (t.forwardNanos() < 0) total[e][i] = t.backwardNanos() + t.optimizerNanos(); // forward inside backward
                fwd[e][i] = t.forwardNanos();
                bwd[e][i] = t.backwardNanos();
                opt[e][i] = t.optimizerNanos();
                if (i == 0) firstLoss[e] = t.loss();
                lastLoss[e] = t.loss();
            }
        }
        List<StepResult> results = new ArrayList<>();
        for (int e = 0; e < k; e++) {
            StepEngine engine = engines.get(e);
            StepResult r = new StepResult(s.model().displayName(), threads, engine.name(), engine.scope(),
                    EncoderBench.median(total[e]), EncoderBench.min(total[e]),
                    fwd[e][0] < 0 ? Double.NaN : EncoderBench.median(fwd[e]),
                    EncoderBench.median(bwd[e]), EncoderBench.median(opt[e]), EncoderBench.median(cpu[e]),
                    firstLoss[e], lastLoss[e]);
            System.err.printf(Locale.ROOT, "[train-step] step threads=%d %s (%s): %.1f ms (fwd %.1f, bwd %.1f, opt %.1f)%n",
                    threads, r.engine(), r.scope(), r.stepMs(), r.forwardMs(), r.backwardMs(), r.optimizerMs());
            results.add(r);
        }
        return results;
    }

    private static String[] fields(String line, String tag, int n) {
        String[] f = line.split("\t", -1);
        if (f.length != n || !f[0].equals(tag)) throw new IllegalArgumentException("not a " + tag + " line: " + line);
        return f;
    }

    private static String str(double v) {
        return Double.toString(v);
    }

    private static String str(int v) {
        return Integer.toString(v);
    }

    private static int i(String s) {
        return Integer.parseInt(s);
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }
}
