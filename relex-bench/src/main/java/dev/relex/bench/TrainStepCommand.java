package dev.relex.bench;

import dev.relex.bench.libtorch.TorchBertEncoder;
import dev.relex.engine.Ops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code relex bench train-step}: one training step (forward, backward, optimizer) of ours against
 * libtorch on a bge-small-sized BERT at batch 8 of 52–64-token inputs, at 1 and 2 threads, plus the
 * inference forward of both encoders side by side. Each thread count runs in a child JVM
 * ({@code relex.threads} is fixed when our kernel pool starts); libtorch gets the same intra-op count.
 */
@Command(name = "train-step", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Training step (forward, backward, AdamW) and encoder forward: ours vs libtorch.")
final class TrainStepCommand implements Callable<Integer> {

    @Option(names = "--model", description = "encoder weights and shape: bge-small (default, 12 layers) or minilm (6 layers)",
            defaultValue = "bge-small")
    String model;

    @Option(names = "--batch", description = "sequences per step (default 8)", defaultValue = "8")
    int batch;

    @Option(names = "--min-length", description = "shortest sequence in tokens, [CLS]/[SEP] included (default 52)",
            defaultValue = "52")
    int minLength;

    @Option(names = "--max-length", description = "longest sequence = padded length (default 64)", defaultValue = "64")
    int maxLength;

    @Option(names = "--seed", description = "seed of the sequence lengths (default 1)", defaultValue = "1")
    long seed;

    @Option(names = "--threads", split = ",", description = "thread counts, ours and libtorch's intra-op alike (default 1,2)",
            defaultValue = "1,2")
    int[] threads;

    @Option(names = "--warmup", description = "warm-up steps/forwards per engine (default 3)", defaultValue = "3")
    int warmup;

    @Option(names = "--iterations", description = "measured steps/forwards per engine (default 10)", defaultValue = "10")
    int iterations;

    @Option(names = "--torch-attention", description = "libtorch attention: SDPA (default) or EAGER", defaultValue = "SDPA")
    TorchBertEncoder.Attention attention;

    @Option(names = "--torch-blas-threads", description = "OpenBLAS threads of libtorch's GEMMs (default 0 = the thread count)",
            defaultValue = "0")
    int torchBlasThreads;

    @Option(names = "--lr", description = "AdamW learning rate (default 1e-5)", defaultValue = "1e-5")
    double learningRate;

    @Option(names = "--weight-decay", description = "AdamW weight decay (default 0.01)", defaultValue = "0.01")
    double weightDecay;

    @Option(names = "--no-forward", description = "skip the inference forward comparison")
    boolean noForward;

    @Option(names = "--no-step", description = "skip the training steps")
    boolean noStep;

    @Option(names = "--no-full-model", description = "skip our full relex model step (encoder-only steps still run)")
    boolean noFullModel;

    @Option(names = "--no-torch-step", description = "skip libtorch's training step (to time ours alone)")
    boolean noTorchStep;

    @Option(names = "--no-our-encoder-step", description = "skip our encoder-only training step")
    boolean noOurEncoderStep;

    @Option(names = "--shared", description = "the shared data folder (for the relex model's config and tokenizer;"
            + " default: system property relex.shared or ../shared)")
    java.nio.file.Path shared;

    @picocli.CommandLine.ParentCommand
    BenchMain parent;

    @Option(names = "--in-process", description = "measure in this JVM only (its relex.threads), no child JVMs")
    boolean inProcess;

    @Option(names = "--worker", hidden = true)
    boolean worker;

    @Override
    public Integer call() throws Exception {
        TrainStepBench.Settings s = new TrainStepBench.Settings(PretrainedModel.parse(model), batch, minLength, maxLength,
                seed, warmup, iterations, attention, torchBlasThreads, learningRate, weightDecay, !noForward, !noStep,
                noFullModel ? null : sharedDir(), noTorchStep, noOurEncoderStep);
        if (worker) {
            TrainStepBench.run(s, Ops.threads()).forEach(System.out::println);
            return 0;
        }
        List<String> lines = new ArrayList<>();
        if (inProcess) {
            lines.addAll(TrainStepBench.run(s, Ops.threads()));
        } else {
            for (int n : threads) lines.addAll(BenchMain.runChild(n, childArgs(), childEnvironment()));
        }
        System.out.println(report(lines, s));
        return 0;
    }

    /**
     * libtorch's two thread pools in this build — OpenMP (libgomp) for its own kernels and OpenBLAS's
     * pthreads for float32 GEMMs — both busy-wait after work by default (OpenBLAS for 2^28 cycles), so at
     * 2 threads on 2 cores each pool's spinning workers take the core the other pool needs: a libtorch step
     * took 3× its 1-thread time. Short spinning for both was the fastest setting measured (PERFORMANCE.md);
     * values already in the environment win.
     */
    static java.util.Map<String, String> childEnvironment() {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        if (System.getenv("OPENBLAS_THREAD_TIMEOUT") == null) env.put("OPENBLAS_THREAD_TIMEOUT", "4");
        if (System.getenv("OMP_WAIT_POLICY") == null) env.put("OMP_WAIT_POLICY", "PASSIVE");
        return env;
    }

    private java.nio.file.Path sharedDir() {
        if (shared != null) return shared;
        return (parent != null ? parent : new BenchMain()).sharedDir();
    }

    private List<String> childArgs() {
        List<String> a = new ArrayList<>();
        a.add("train-step");
        a.add("--worker");
        a.add("--model=" + model);
        a.add("--batch=" + batch);
        a.add("--min-length=" + minLength);
        a.add("--max-length=" + maxLength);
        a.add("--seed=" + seed);
        a.add("--warmup=" + warmup);
        a.add("--iterations=" + iterations);
        a.add("--torch-attention=" + attention);
        a.add("--torch-blas-threads=" + torchBlasThreads);
        a.add("--lr=" + learningRate);
        a.add("--weight-decay=" + weightDecay);
        if (noForward) a.add("--no-forward");
        if (noStep) a.add("--no-step");
        if (noFullModel) a.add("--no-full-model");
        if (noTorchStep) a.add("--no-torch-step");
        if (noOurEncoderStep) a.add("--no-our-encoder-step");
        if (!noFullModel) a.add("--shared=" + sharedDir());
        return a;
    }

    /** The markdown report of the result lines of all thread counts. */
    static String report(List<String> lines, TrainStepBench.Settings s) {
        List<TrainStepBench.ForwardResult> forwards = new ArrayList<>();
        List<TrainStepBench.StepResult> steps = new ArrayList<>();
        List<String> info = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(TrainStepBench.ForwardResult.TAG + "\t")) forwards.add(TrainStepBench.ForwardResult.parse(line));
            else if (line.startsWith(TrainStepBench.StepResult.TAG + "\t")) steps.add(TrainStepBench.StepResult.parse(line));
            else if (line.startsWith(TrainStepBench.INFO_TAG + "\t")) {
                String fact = line.substring(TrainStepBench.INFO_TAG.length() + 1);
                if (!info.contains(fact)) info.add(fact);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(BenchMain.machineNotes()).append('\n');
        for (String fact : info) sb.append(fact).append('\n');
        if (!forwards.isEmpty()) {
            sb.append("\nInference forward (no autograd), ours vs libtorch, alternating:\n\n");
            sb.append("| model | threads | batch × tokens | real tokens | ours ms | libtorch ms | ours/libtorch | ours min | libtorch min "
                    + "| min ratio | ours CPU ms | libtorch CPU ms | max abs diff |\n");
            sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (TrainStepBench.ForwardResult r : forwards) {
                sb.append(String.format(Locale.ROOT, "| %s | %d | %d × %d | %d | %.1f | %.1f | **%.2f** | %.1f | %.1f | %.2f | %.1f | %.1f | %.1e |%n",
                        r.model(), r.threads(), r.batch(), r.seqLen(), r.realTokens(), r.oursMs(), r.torchMs(),
                        r.oursMs() / r.torchMs(), r.oursMinMs(), r.torchMinMs(), r.oursMinMs() / r.torchMinMs(),
                        r.oursCpuMs(), r.torchCpuMs(), r.maxAbsDiff()));
            }
        }
        if (s.step()) {
            sb.append("\nTraining step (forward with autograd, loss, backward, AdamW step + zero_grad):\n\n");
            sb.append("| model | threads | engine | step covers | ms/step | min | forward ms | backward ms | optimizer ms "
                    + "| CPU ms | vs libtorch encoder step | loss first → last |\n");
            sb.append("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            List<Integer> threadCounts = new ArrayList<>();
            for (TrainStepBench.StepResult r : steps) if (!threadCounts.contains(r.threads())) threadCounts.add(r.threads());
            for (int n : threadCounts) {
                TrainStepBench.StepResult torch = null;
                for (TrainStepBench.StepResult r : steps) if (r.threads() == n && r.engine().equals("libtorch")) torch = r;
                for (TrainStepBench.StepResult r : steps) {
                    if (r.threads() != n) continue;
                    String ratio = torch == null ? "–" : String.format(Locale.ROOT, "**%.2f**", r.stepMs() / torch.stepMs());
                    String fwd = Double.isNaN(r.forwardMs()) ? "(in backward)" : String.format(Locale.ROOT, "%.1f", r.forwardMs());
                    String bwd = String.format(Locale.ROOT, Double.isNaN(r.forwardMs()) ? "%.1f (fwd + bwd)" : "%.1f", r.backwardMs());
                    sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.1f | %.1f | %s | %s | %.1f | %.1f | %s | %.4g → %.4g |%n",
                            r.model(), n, r.engine(), r.scope(), r.stepMs(), r.stepMinMs(), fwd, bwd,
                            r.optimizerMs(), r.cpuMs(), ratio, r.firstLoss(), r.lastLoss()));
                }
                boolean oursPresent = steps.stream().anyMatch(r -> r.threads() == n && r.scope().startsWith("full model"));
                if (!oursPresent) {
                    sb.append(String.format(Locale.ROOT, "| %s | %d | ours | full model: encoder + heads (5 entity, 5 relation labels)"
                            + " + losses + backward + AdamW | not measured (bge-small only; --no-full-model) | | | | | | | |%n", s.model().displayName(), n));
                }
            }
            if (steps.isEmpty()) sb.append("(no training step measured: libtorch unavailable?)\n");
        }
        sb.append(String.format(Locale.ROOT, "%nMedians and minima over %d measured runs after %d warm-up runs per engine;"
                + " engines alternate run by run. CPU = the process's CPU time (all threads; it ticks in"
                + " 5-10 ms steps), which shows when an engine uses more cores than it was given. libtorch attention: %s.%n", s.iterations(), s.warmup(),
                s.attention().name().toLowerCase(Locale.ROOT)));
        return sb.toString();
    }
}
