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

    @Option(names = "--in-process", description = "measure in this JVM only (its relex.threads), no child JVMs")
    boolean inProcess;

    @Option(names = "--worker", hidden = true)
    boolean worker;

    @Override
    public Integer call() throws Exception {
        TrainStepBench.Settings s = new TrainStepBench.Settings(PretrainedModel.parse(model), batch, minLength, maxLength,
                seed, warmup, iterations, attention, torchBlasThreads, learningRate, weightDecay, !noForward, !noStep);
        if (worker) {
            TrainStepBench.run(s, Ops.threads()).forEach(System.out::println);
            return 0;
        }
        List<String> lines = new ArrayList<>();
        if (inProcess) {
            lines.addAll(TrainStepBench.run(s, Ops.threads()));
        } else {
            for (int n : threads) lines.addAll(BenchMain.runChild(n, childArgs()));
        }
        System.out.println(report(lines, s));
        return 0;
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
                    sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %.4g → %.4g |%n",
                            r.model(), n, r.engine(), r.scope(), r.stepMs(), r.stepMinMs(), r.forwardMs(), r.backwardMs(),
                            r.optimizerMs(), r.cpuMs(), ratio, r.firstLoss(), r.lastLoss()));
                }
                boolean oursPresent = steps.stream().anyMatch(r -> r.threads() == n && !r.engine().equals("libtorch"));
                if (!oursPresent) {
                    sb.append(String.format(Locale.ROOT, "| %s | %d | ours | full model: encoder + heads (5 entity, 5 relation labels)"
                            + " + losses + backward + AdamW | pending | | | | | | pending | |%n", s.model().displayName(), n));
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
