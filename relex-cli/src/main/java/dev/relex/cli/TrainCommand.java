package dev.relex.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.data.DatasetFormatException;
import dev.relex.train.DevEvaluation;
import dev.relex.train.Trainer;
import dev.relex.train.TrainerConfig;
import dev.relex.train.TrainingDivergedException;
import dev.relex.train.loss.LossBreakdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code relex train}: trains or fine-tunes a GLiNER-Relex checkpoint with the options of a JSON/YAML
 * configuration file, each overridable on the command line; progress on stderr, the run directory as
 * {@link Trainer} describes it. Exit codes: 0 done; 2 invalid command line or configuration; 3 a model,
 * data file or output could not be used, or training diverged (the message names the step and the last
 * good state).
 */
@Command(name = "train", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Train or fine-tune a GLiNER-Relex model (pure Java, CPU).",
                "Options override the --config file; the run directory gets resumable states (state/), the best model "
                        + "on the dev data (best/), the final model (final/) and metrics.jsonl."})
final class TrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Training configuration (.json, .yaml or .yml).")
    Path config;

    @Option(names = {"-m", "--model"}, paramLabel = "DIR", description = "Checkpoint to start from (bin/relex init-model makes new ones).")
    String model;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Run directory.")
    String output;

    @Option(names = "--train", paramLabel = "PATH:DATASET[:WEIGHT]",
            description = "Training file with its dataset/format name and mixing weight; repeatable (replaces the config's list).")
    List<String> train = new ArrayList<>();

    @Option(names = "--dev", paramLabel = "PATH:DATASET", description = "Development file; repeatable (replaces the config's list).")
    List<String> dev = new ArrayList<>();

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (max_steps).")
    Long steps;

    @Option(names = "--batch-size", paramLabel = "N", description = "Examples per micro-batch (per_device_train_batch_size).")
    Integer batchSize;

    @Option(names = "--accumulation", paramLabel = "N", description = "Micro-batches per step (gradient_accumulation_steps).")
    Integer accumulation;

    @Option(names = "--lr", paramLabel = "X", description = "Encoder learning rate (learning_rate).")
    Double lr;

    @Option(names = "--others-lr", paramLabel = "X", description = "Heads' learning rate (others_lr).")
    Double othersLr;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random draw.")
    Long seed;

    @Option(names = "--freeze-encoder", description = "Train the heads only.")
    Boolean freezeEncoder;

    @Option(names = "--eval-every", paramLabel = "N", description = "Steps between dev evaluations (0: at the end only).")
    Long evalEvery;

    @Option(names = "--save-every", paramLabel = "N", description = "Steps between resumable states (0: at the end only).")
    Long saveEvery;

    @Option(names = "--log-every", paramLabel = "N", description = "Steps between progress lines (default 10).")
    Long logEvery;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any configuration key (snake_case, value as JSON or a plain string), e.g. --set focal_loss_alpha=0.75; repeatable.")
    List<String> set = new ArrayList<>();

    @Option(names = "--resume", description = "Continue the run in --output from its latest state (same configuration).")
    boolean resume;

    @Option(names = "--print-config", description = "Print the effective configuration as JSON and exit.")
    boolean printConfig;

    private final CliContext ctx;
    private final Function<TrainerConfig, DevEvaluation> evaluation;

    TrainCommand(CliContext ctx, Function<TrainerConfig, DevEvaluation> evaluation) {
        this.ctx = ctx;
        this.evaluation = evaluation;
    }

    @Override
    public Integer call() {
        PrintWriter err = ctx.err();
        TrainerConfig cfg;
        try {
            cfg = effectiveConfig();
            if (printConfig) {
                ctx.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cfg.toJson()));
                return ExitCodes.OK;
            }
            cfg.validated();
        } catch (IllegalArgumentException | IOException e) {
            err.println("relex: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Trainer trainer = new Trainer(cfg, cfg.dev().isEmpty() ? null : evaluation.apply(cfg), new Progress(err));
        try {
            Trainer.Result r = trainer.run(resume);
            err.printf(Locale.ROOT, "relex: trained %d steps in %s (%d examples, %d skipped); final model: %s%s%n", r.steps(),
                    duration(r.seconds()), r.examples(), r.skippedExamples(), r.finalModel(),
                    r.bestModel() == null ? "" : "; best on dev (step " + r.bestStep() + "): " + r.bestModel());
            return ExitCodes.OK;
        } catch (TrainingDivergedException e) {
            err.println("relex: " + e.getMessage());
            return ExitCodes.FATAL;
        } catch (IllegalArgumentException | IllegalStateException | CheckpointException | DatasetFormatException
                 | UncheckedIOException e) {
            err.println("relex: " + e.getMessage());
            return ExitCodes.FATAL;
        }
    }

    TrainerConfig effectiveConfig() throws IOException {
        TrainerConfig cfg = config != null ? TrainerConfig.read(config) : TrainerConfig.defaults();
        ObjectNode o = JSON.createObjectNode();
        if (model != null) o.put("model", model);
        if (output != null) o.put("output", output);
        if (!train.isEmpty()) o.set("train", sources(train));
        if (!dev.isEmpty()) o.set("dev", sources(dev));
        if (steps != null) o.put("max_steps", steps);
        if (batchSize != null) o.put("per_device_train_batch_size", batchSize);
        if (accumulation != null) o.put("gradient_accumulation_steps", accumulation);
        if (lr != null) o.put("learning_rate", lr);
        if (othersLr != null) o.put("others_lr", othersLr);
        if (seed != null) o.put("seed", seed);
        if (freezeEncoder != null) o.put("freeze_encoder", freezeEncoder);
        if (evalEvery != null) o.put("eval_every", evalEvery);
        if (saveEvery != null) o.put("save_every", saveEvery);
        if (logEvery != null) o.put("log_every", logEvery);
        for (String kv : set) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--set expects KEY=VALUE, got '" + kv + "'");
            String value = kv.substring(eq + 1);
            try {
                o.set(kv.substring(0, eq).trim(), JSON.readTree(value));
            } catch (IOException notJson) {
                o.put(kv.substring(0, eq).trim(), value);
            }
        }
        return cfg.withOverrides(o);
    }

    private static ArrayNode sources(List<String> specs) {
        ArrayNode a = JSON.createArrayNode();
        for (String s : specs) a.add(JSON.valueToTree(TrainerConfig.Source.parse(s)));
        return a;
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }

    /** Progress lines on stderr. */
    private static final class Progress implements Trainer.Listener {
        private final PrintWriter err;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void started(long fromStep, long steps, String message) {
            err.println("relex: " + message);
        }

        @Override
        public void stepDone(Trainer.StepReport r) {
            LossBreakdown l = r.loss();
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "step %d/%d  loss %.4g (entity %.4g", r.step(), r.steps(), l.total(), l.entity()));
            if (Double.isFinite(l.adjacency())) sb.append(String.format(Locale.ROOT, ", adjacency %.4g", l.adjacency()));
            if (Double.isFinite(l.relation())) sb.append(String.format(Locale.ROOT, ", relation %.4g", l.relation()));
            sb.append(String.format(Locale.ROOT, ")  lr %.3g  |g| %.3g  %.1f ex/s  %.2f s/step  ETA %s", r.learningRate(),
                    r.gradNorm(), r.examplesPerSecond(), r.secondsPerStep(), duration(r.etaSeconds())));
            if (r.skippedExamples() > 0) sb.append("  skipped ").append(r.skippedExamples());
            err.println(sb);
        }

        @Override
        public void evaluated(long step, Map<String, Double> metrics, boolean best) {
            StringBuilder sb = new StringBuilder("dev @ step " + step + ":");
            metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
            if (best) sb.append("  (best so far)");
            err.println(sb);
        }

        @Override
        public void saved(long step, Path dir) {
            err.println("saved state " + dir);
        }

        @Override
        public void message(String message) {
            err.println("relex: " + message);
        }
    }
}
