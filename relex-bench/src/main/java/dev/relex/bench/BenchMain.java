package dev.relex.bench;

import dev.relex.engine.Ops;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Benchmarks: our pure-Java encoder vs ONNX Runtime on real pretrained BERT weights, and the split of a
 * full relex extraction into encoder vs heads + decoding. Prints markdown tables on standard output
 * (progress goes to standard error).
 *
 * <p>The kernel thread count ({@code relex.threads}) is fixed when the engine starts, so each thread
 * count is measured in a child JVM started with {@code -Drelex.threads=N}; ONNX Runtime gets the same
 * number of intra-op threads.
 */
@Command(name = "relex bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Encoder speed vs ONNX Runtime on real weights, and extraction time split."
                + " 'relex bench train-step' times a training step against libtorch.",
        subcommands = TrainStepCommand.class)
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--model", description = "bge-small (default) or minilm", defaultValue = "bge-small")
    String model;

    @Option(names = "--tokens", split = ",", description = "sequence lengths (default 64,256)", defaultValue = "64,256")
    int[] tokens;

    @Option(names = "--batch", split = ",", description = "batch sizes (default 1,8)", defaultValue = "1,8")
    int[] batches;

    @Option(names = "--threads", split = ",", description = "thread counts, ours and ORT alike (default 1,2)",
            defaultValue = "1,2")
    int[] threads;

    @Option(names = "--warmup", description = "warm-up forwards per configuration (default 3)", defaultValue = "3")
    int warmup;

    @Option(names = "--iterations", description = "measured forwards per configuration (default 10)", defaultValue = "10")
    int iterations;

    @Option(names = "--ort-spinning", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "let idle ONNX Runtime intra-op threads spin (its default; --no-ort-spinning for busy machines)")
    boolean ortSpinning;

    @Option(names = "--no-encoder", description = "skip the encoder vs ONNX Runtime table")
    boolean noEncoder;

    @Option(names = "--no-extraction", description = "skip the relex extraction timing")
    boolean noExtraction;

    @Option(names = "--relex-model", description = "relex checkpoint to time extraction on "
            + "(default: a bge-small-based relex model assembled under target/, random heads)")
    Path relexModel;

    @Option(names = "--shared", description = "the shared data folder (golden data; default: system property relex.shared or ../shared)")
    Path shared;

    @Option(names = "--in-process", description = "measure in this JVM only (its relex.threads), no child JVMs")
    boolean inProcess;

    @Option(names = "--worker", hidden = true)
    boolean worker;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PretrainedModel m = PretrainedModel.parse(model);
        if (worker) {
            measure(m).forEach(System.out::println);
            return 0;
        }
        List<String> lines = new ArrayList<>();
        if (inProcess) {
            lines.addAll(measure(m));
        } else {
            for (int n : threads) lines.addAll(child(n));
        }
        List<EncoderBench.Result> results = new ArrayList<>();
        List<String> extraction = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("RESULT\t")) results.add(EncoderBench.Result.parse(line));
            else if (line.startsWith(ExtractionBench.PREFIX)) extraction.add(line);
        }
        printReport(results, extraction);
        return 0;
    }

    /** Measures in this JVM (its relex.threads) and returns machine-readable result lines. */
    private List<String> measure(PretrainedModel m) {
        int n = Ops.threads();
        List<String> out = new ArrayList<>();
        if (!noEncoder) {
            for (EncoderBench.Result r : EncoderBench.run(m, n, ortSpinning, tokens, batches, warmup, iterations)) out.add(r.toLine());
        }
        if (!noExtraction) out.addAll(ExtractionBench.run(relexModel, sharedDir(), n, warmup, iterations));
        return out;
    }

    /** --shared, else -Drelex.shared, else ../shared from the working directory or from the repository root. */
    Path sharedDir() {
        if (shared != null) return shared;
        String prop = System.getProperty("relex.shared");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        Path cwd = Path.of("..", "shared");
        if (java.nio.file.Files.isDirectory(cwd)) return cwd;
        try {
            // relex-bench/target/classes → repository root → its sibling "shared"
            Path classes = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = classes.getParent().getParent().getParent();
            Path beside = root.resolveSibling("shared");
            if (java.nio.file.Files.isDirectory(beside)) return beside;
        } catch (Exception ignored) {
            // fall back to the working-directory guess
        }
        return cwd;
    }

    /** Runs this benchmark in a child JVM with {@code relex.threads = n} and returns its output lines. */
    private List<String> child(int n) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add("--worker");
        args.add("--model=" + model);
        args.add("--tokens=" + join(tokens));
        args.add("--batch=" + join(batches));
        args.add("--warmup=" + warmup);
        args.add("--iterations=" + iterations);
        args.add(ortSpinning ? "--ort-spinning" : "--no-ort-spinning");
        if (noEncoder) args.add("--no-encoder");
        if (noExtraction) args.add("--no-extraction");
        if (relexModel != null) args.add("--relex-model=" + relexModel);
        args.add("--shared=" + sharedDir());
        return runChild(n, args);
    }

    /**
     * Runs {@code BenchMain args} in a child JVM with this JVM's options but {@code -Drelex.threads=n}
     * (standard error inherited) and returns the lines it printed on standard output.
     */
    static List<String> runChild(int n, List<String> args) throws IOException, InterruptedException {
        return runChild(n, args, java.util.Map.of());
    }

    /** As {@link #runChild(int, List)}, adding {@code env} to the child's environment. */
    static List<String> runChild(int n, List<String> args, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Drelex.threads=") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")) cmd.add(a);
        }
        cmd.add("-Drelex.threads=" + n);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchMain.class.getName());
        cmd.addAll(args);
        System.err.println("[bench] child JVM with relex.threads=" + n);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) lines.add(line);
        }
        int rc = p.waitFor();
        if (rc != 0) throw new IllegalStateException("benchmark child JVM (relex.threads=" + n + ") exited with " + rc);
        return lines;
    }

    static String join(int[] v) {
        StringBuilder sb = new StringBuilder();
        for (int x : v) sb.append(sb.isEmpty() ? "" : ",").append(x);
        return sb.toString();
    }

    private void printReport(List<EncoderBench.Result> results, List<String> extraction) {
        System.out.println(machineNotes());
        if (!results.isEmpty()) {
            System.out.println();
            System.out.println("| model | tokens | batch | threads | ours ms/forward | ORT ms/forward | ours/ORT "
                    + "| ours min | ORT min | min ratio | ours CPU ms | ORT CPU ms | CPU ratio | max abs diff |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (EncoderBench.Result r : results) {
                System.out.println(String.format(Locale.ROOT,
                        "| %s | %d | %d | %d | %.1f | %.1f | **%.2f** | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f | %.1e |",
                        r.model(), r.tokens(), r.batch(), r.threads(), r.oursMs(), r.ortMs(), r.ratio(),
                        r.oursMinMs(), r.ortMinMs(), r.oursMinMs() / r.ortMinMs(), r.oursCpuMs(), r.ortCpuMs(),
                        r.oursCpuMs() / r.ortCpuMs(), r.maxAbsDiff()));
            }
            System.out.println();
            System.out.println("Wall-clock medians and minima over " + iterations + " measured forwards after " + warmup
                    + " warm-up forwards (ours and ORT alternate). CPU = median CPU time per forward:"
                    + " the calling thread's with 1 thread (both compute there), else the whole process's (ORT's"
                    + " worker threads count). ORT intra-op spinning: " + (ortSpinning ? "on (default)" : "off")
                    + ". max abs diff = ours vs ORT on the"
                    + " benchmark batch.");
        }
        if (!extraction.isEmpty()) {
            System.out.println();
            ExtractionBench.printTable(extraction);
        }
    }

    static String machineNotes() {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, "Machine: %s %s, %d CPUs visible, Java %s (%s), max heap %d MB, kernels: %s",
                System.getProperty("os.name"), System.getProperty("os.arch"), rt.availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), rt.maxMemory() >> 20,
                Ops.implementation());
    }
}
