package dev.relex.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.RelexModel;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.checkpoint.SafeTensorsWriter;
import dev.relex.data.DatasetInfo;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.LabelMappings;
import dev.relex.data.ReadReport;
import dev.relex.engine.Ops;
import dev.relex.engine.Parameter;
import dev.relex.text.EncodedInput;
import dev.relex.train.checkpoint.CheckpointStore;
import dev.relex.eval.run.Provenance;
import dev.relex.train.loss.LossBreakdown;
import dev.relex.train.loss.LossSettings;
import dev.relex.train.model.TrainableRelexModel;
import dev.relex.train.optim.AdamW;
import dev.relex.train.optim.GradientClipping;
import dev.relex.train.optim.LearningRateSchedule;
import dev.relex.train.optim.OptimizerState;
import dev.relex.train.optim.ParameterGroups;
import dev.relex.train.target.BatchTargets;
import dev.relex.train.target.ExampleTargets;
import dev.relex.train.target.TargetBuilder;
import dev.relex.train.target.TargetSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Trains a GLiNER-Relex model: the loop of optimizer steps over a {@link TrainingData} stream, with
 * resumable states, periodic development evaluation keeping the best model, and the final export.
 *
 * <p><b>Run directory</b> ({@link TrainerConfig#output()}): {@code state/step-N/} resumable states (each a
 * complete model directory plus {@code optimizer.safetensors} and {@code trainer_state.json}; see
 * {@link CheckpointStore}), {@code best/} the model with the best development score, {@code final/} the
 * model after the last step, {@code metrics.jsonl} one line per step (losses, learning rate, gradient
 * norm) and per evaluation, {@code config.json} the effective configuration.
 *
 * <p><b>Reproducibility.</b> Every random draw comes from generators derived from (seed, step,
 * micro-batch, purpose), and the data stream is a deterministic function of the files and the seed, so a
 * run resumed from a state continues exactly as the uninterrupted run would (bitwise, for the same thread
 * count; the kernels' results do not depend on the thread count). A run killed at any moment loses at
 * most the steps since its last state.
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINE = new ObjectMapper();
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String STATE_FILE = "trainer_state.json";

    /** Progress of a run. */
    public interface Listener {
        default void started(long fromStep, long steps, String message) {}

        default void stepDone(StepReport report) {}

        default void evaluated(long step, Map<String, Double> metrics, boolean best) {}

        default void saved(long step, Path dir) {}

        default void message(String message) {}
    }

    /** One finished optimizer step. */
    public record StepReport(long step, long steps, LossBreakdown loss, double learningRate, double gradNorm,
                             double examplesPerSecond, double secondsPerStep, double etaSeconds, long skippedExamples) {}

    /** What a run produced. */
    public record Result(long steps, Path finalModel, Path bestModel, Map<String, Double> bestMetrics, long bestStep,
                         double seconds, long examples, long skippedExamples) {}

    private final TrainerConfig cfg;
    private final DevEvaluation evaluation;
    private final Listener listener;
    private final Path output;

    /**
     * @param evaluation scores the development sources; null = no development evaluation (then
     *                   {@code best/} is not written)
     */
    public Trainer(TrainerConfig config, DevEvaluation evaluation, Listener listener) {
        this.cfg = config.validated();
        this.evaluation = evaluation;
        this.listener = listener == null ? new Listener() {} : listener;
        this.output = Path.of(cfg.output());
    }

    /**
     * Runs (or, with {@code resume}, continues) the training.
     *
     * @throws IllegalStateException       when the run directory already holds states and {@code resume} is
     *                                     false, or holds none when it is true, or its configuration differs
     * @throws TrainingDivergedException   when a loss or gradient is not finite (nothing of that step is saved)
     */
    public Result run(boolean resume) {
        long started = System.nanoTime();
        CheckpointStore store = CheckpointStore.open(output.resolve("state"), cfg.keepStates());
        Optional<Path> latest = store.latest();
        if (!resume && latest.isPresent()) {
            throw new IllegalStateException(output + " already holds training states (latest " + latest.get().getFileName()
                    + "); continue it with --resume or choose another output directory");
        }
        if (resume && latest.isEmpty()) {
            throw new IllegalStateException("nothing to resume: " + store.root() + " holds no complete training state");
        }
        TrainerState state = resume ? TrainerState.read(latest.get().resolve(STATE_FILE)) : TrainerState.fresh();
        if (resume) checkSameConfiguration(state.config());
        writeConfig();

        Path modelDir = resume ? latest.get() : Path.of(cfg.model());
        try (TrainableRelexModel model = TrainableRelexModel.load(modelDir);
             TrainingData data = new TrainingData(cfg.train(), LabelMappings.builtin(),
                     cfg.skipBadRecords() ? ErrorPolicy.SKIP : ErrorPolicy.FAIL, cfg.shuffleBuffer(), cfg.seed())) {
            if (cfg.headDropout() != null) model.headDropout(cfg.headDropout());
            boolean lora = cfg.loraRank() != null;
            if (lora) model.enableLora(cfg.loraConfig(), cfg.seed() ^ 0x10AAL, resume ? latest.get() : null);
            AdamW optimizer = new AdamW(ParameterGroups.reference(model.parameters(), cfg.learningRate(), cfg.weightDecay(),
                    cfg.othersLr(), cfg.othersWeightDecay(),
                    p -> !ParameterGroups.isEncoderParameter(p.name())
                            || (lora ? p.name().contains(".lora_") && !cfg.freezeEncoder() : !cfg.freezeEncoder())),
                    cfg.adamBeta1(), cfg.adamBeta2(), cfg.adamEpsilon());
            if (resume) {
                try (SafeTensors st = SafeTensors.open(latest.get().resolve(OPTIMIZER_FILE))) {
                    optimizer.importState(OptimizerState.readFrom(st));
                }
            }
            List<Parameter> trained = optimizer.parameters();
            LearningRateSchedule schedule = LearningRateSchedule.of(LearningRateSchedule.Kind.parse(cfg.scheduler()),
                    cfg.steps(), LearningRateSchedule.warmupSteps(cfg.steps(), cfg.warmupSteps(), cfg.warmupRatio()));
            TargetSettings.Builder tsb = TargetSettings.fromConfig(model.config()).toBuilder();
            if (cfg.maxTypes() != null) tsb.maxTypes(cfg.maxTypes());
            if (cfg.augmentDataProb() != null) tsb.augmentDataProb(cfg.augmentDataProb());
            TargetBuilder targets = new TargetBuilder(tsb.build());
            LossSettings lossSettings = lossSettings(model);
            List<Example> dev = readDev();

            data.skip(state.examplesDrawn());
            listener.started(state.step(), cfg.steps(), (resume ? "resuming at step " + state.step() + " from " + latest.get()
                    : "training from " + modelDir) + "; " + trained.size() + " trained tensors, "
                    + count(trained) + " values; kernels " + Ops.implementation() + ", " + Ops.threads() + " threads");

            long step = state.step();
            long examples = 0, skipped = state.skippedExamples();
            double windowStart = System.nanoTime();
            long windowExamples = 0, windowSteps = 0;
            while (step < cfg.steps()) {
                model.zeroGrad();
                LossBreakdown total = null;
                for (int micro = 0; micro < cfg.accumulation(); micro++) {
                    Batch b = nextBatch(model, targets, data, step, micro);
                    skipped += b.skipped;
                    if (b.examples.isEmpty()) continue;
                    LossBreakdown loss = model.forwardBackwardInputs(b.inputs, b.targets, lossSettings,
                            rng(step, micro, 2), rng(step, micro, 3).nextLong(), 1.0 / cfg.accumulation());
                    examples += b.examples.size();
                    windowExamples += b.examples.size();
                    total = total == null ? loss : add(total, loss);
                    if (!Double.isFinite(loss.total())) {
                        throw diverged(step + 1, "loss is " + loss.total() + " (entity " + loss.entity() + ", adjacency "
                                + loss.adjacency() + ", relation " + loss.relation() + ")", store);
                    }
                }
                if (total == null) {
                    throw new IllegalStateException("step " + (step + 1) + ": every example of the batch was skipped");
                }
                double norm = cfg.maxGradNorm() > 0 ? GradientClipping.clipGlobalNorm(trained, cfg.maxGradNorm())
                        : GradientClipping.clipGlobalNorm(trained, Double.POSITIVE_INFINITY);
                if (!Double.isFinite(norm)) throw diverged(step + 1, "gradient norm is " + norm, store);
                double factor = schedule.factor(step);
                optimizer.step(factor);
                model.refreshDerived();
                step++;
                windowSteps++;
                double lr = cfg.learningRate() * factor;
                appendMetrics(step, total, lr, norm);
                if (cfg.logEvery() > 0 && (step % cfg.logEvery() == 0 || step == cfg.steps())) {
                    double secs = (System.nanoTime() - windowStart) / 1e9;
                    double perStep = secs / Math.max(1, windowSteps);
                    listener.stepDone(new StepReport(step, cfg.steps(), total, lr, norm, windowExamples / Math.max(secs, 1e-9),
                            perStep, perStep * (cfg.steps() - step), skipped));
                    windowStart = System.nanoTime();
                    windowExamples = 0;
                    windowSteps = 0;
                }
                boolean last = step == cfg.steps();
                if (evaluation != null && !dev.isEmpty() && (last || (cfg.evalEvery() > 0 && step % cfg.evalEvery() == 0))) {
                    Map<String, Double> metrics;
                    try (RelexModel view = model.inferenceView(1)) {
                        metrics = evaluation.evaluate(view, dev);
                    }
                    Double score = metrics.get(evaluation.primaryMetric());
                    if (score == null) throw new IllegalStateException("the evaluation did not report " + evaluation.primaryMetric());
                    boolean best = state.bestStep() < 0 || score > state.bestScore();
                    appendEvaluation(step, metrics, best);
                    if (best) {
                        state = state.withBest(step, score, metrics);
                        writeModel(model, output.resolve("best"), step, state, data);
                    }
                    listener.evaluated(step, metrics, best);
                }
                state = state.at(step, data.drawn(), skipped);
                if (last || (cfg.saveEvery() > 0 && step % cfg.saveEvery() == 0)) {
                    TrainerState snapshot = state;
                    long savedStep = step;
                    Path saved = store.save(step, dir -> {
                        model.saveState(dir, provenance(savedStep, snapshot, data));
                        optimizer.exportState().writeTo(new SafeTensorsWriter()).write(dir.resolve(OPTIMIZER_FILE));
                        Files.writeString(dir.resolve(STATE_FILE), JSON.writeValueAsString(snapshot.toJson(cfg)) + "\n");
                    });
                    listener.saved(step, saved);
                }
            }
            Path finalDir = output.resolve("final");
            writeModel(model, finalDir, step, state, data);
            for (TrainingData.SourceSummary s : data.summaries()) {
                listener.message("data " + s.source().path() + " (" + s.source().dataset() + "): " + s.report().summary()
                        + (s.epochs() > 1 ? "; " + s.epochs() + " epochs started" : ""));
            }
            return new Result(step, finalDir, state.bestStep() < 0 ? null : output.resolve("best"), state.bestMetrics(),
                    state.bestStep(), (System.nanoTime() - started) / 1e9, examples, skipped);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private record Batch(List<Example> examples, List<EncodedInput> inputs, BatchTargets targets, long skipped) {}

    /**
     * The next micro-batch: examples, their targets, and the examples left out because the encoder cannot
     * take all their words with their label prompt (reported, counted).
     */
    private Batch nextBatch(TrainableRelexModel model, TargetBuilder builder, TrainingData data, long step, int micro) {
        List<Example> examples = new ArrayList<>(data.next(cfg.batchSize()));
        long skipped = 0;
        for (int attempt = 0; ; attempt++) {
            BatchTargets t = builder.build(examples, rng(step, micro, 1 + 10 * attempt));
            List<Example> keep = new ArrayList<>(examples.size());
            List<EncodedInput> inputs = new ArrayList<>(examples.size());
            for (int i = 0; i < examples.size(); i++) {
                ExampleTargets et = t.get(i);
                if (et.entityLabels().isEmpty()) {
                    // The reference would run it with an empty entity prompt: no entity or relation target.
                    skipped++;
                    listener.message("step " + (step + 1) + ": skipped example " + examples.get(i).id()
                            + ": no entity label left after label sampling and augmentation (nothing to learn from it)");
                    continue;
                }
                try {
                    inputs.add(model.input(examples.get(i), et));
                    keep.add(examples.get(i));
                } catch (IllegalArgumentException e) {
                    skipped++;
                    listener.message("step " + (step + 1) + ": skipped " + e.getMessage());
                }
            }
            if (keep.size() == examples.size() || keep.isEmpty()) {
                return new Batch(keep, inputs, keep.isEmpty() ? null : t, skipped);
            }
            examples = keep;
        }
    }

    private static LossBreakdown add(LossBreakdown a, LossBreakdown b) {
        return new LossBreakdown(a.entity() + b.entity(), a.adjacency() + b.adjacency(), a.relation() + b.relation(),
                a.total() + b.total());
    }

    private SplittableRandom rng(long step, int micro, int purpose) {
        long s = cfg.seed() * 0x9E3779B97F4A7C15L + (step + 1) * 0xBF58476D1CE4E5B9L + micro * 0x94D049BB133111EBL + purpose;
        return new SplittableRandom(s);
    }

    private TrainingDivergedException diverged(long step, String what, CheckpointStore store) {
        String last = store.latest().map(p -> p.toString()).orElse("none (no state was saved yet)");
        return new TrainingDivergedException(step, "training diverged at step " + step + ": " + what
                + "; stopped without saving this step; the last good state is " + last);
    }

    private LossSettings lossSettings(TrainableRelexModel model) {
        LossSettings.Builder b = cfg.lossSettings();
        JsonNode raw = model.config().raw();
        if (raw != null) {
            if (raw.hasNonNull("span_loss_coef")) b.spanLossCoef(raw.get("span_loss_coef").asDouble());
            if (raw.hasNonNull("adjacency_loss_coef")) b.adjacencyLossCoef(raw.get("adjacency_loss_coef").asDouble());
            if (raw.hasNonNull("relation_loss_coef")) b.relationLossCoef(raw.get("relation_loss_coef").asDouble());
        }
        return b.build();
    }

    private List<Example> readDev() {
        List<Example> dev = new ArrayList<>();
        for (TrainerConfig.Source s : cfg.dev()) {
            DatasetInfo info = TrainingData.info(s);
            ReadReport report = new ReadReport();
            try {
                List<Example> all = info.newReader().readAll(Path.of(s.path()), TrainingData.mapping(s, LabelMappings.builtin()),
                        cfg.skipBadRecords() ? ErrorPolicy.SKIP : ErrorPolicy.FAIL, report);
                dev.addAll(s.limit() > 0 && all.size() > s.limit() ? all.subList(0, s.limit().intValue()) : all);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read development data " + s.path() + ": " + e.getMessage(), e);
            }
            listener.message("dev " + s.path() + ": " + report.summary());
        }
        return dev;
    }

    private void checkSameConfiguration(JsonNode saved) {
        JsonNode now;
        try {
            now = LINE.readTree(LINE.writeValueAsString(cfg.toJson())); // same number node types as the saved file
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> differ = new ArrayList<>();
        Iterator<String> names = now.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (k.equals("log_every")) continue;
            JsonNode a = now.get(k), b = saved == null ? null : saved.get(k);
            if (b == null || !a.equals(b)) differ.add(k);
        }
        if (!differ.isEmpty()) {
            throw new IllegalStateException("cannot resume: the configuration differs from the interrupted run's in "
                    + String.join(", ", differ) + " (resuming must continue the same run; start a new output directory instead)");
        }
    }

    private void writeConfig() {
        try {
            Files.createDirectories(output);
            Files.writeString(output.resolve("config.json"), JSON.writeValueAsString(cfg.toJson()) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output.resolve("config.json") + ": " + e.getMessage(), e);
        }
    }

    private void appendMetrics(long step, LossBreakdown loss, double lr, double norm) throws IOException {
        ObjectNode o = LINE.createObjectNode();
        o.put("step", step).put("loss", loss.total()).put("entity_loss", loss.entity());
        if (Double.isFinite(loss.adjacency())) o.put("adjacency_loss", loss.adjacency());
        if (Double.isFinite(loss.relation())) o.put("relation_loss", loss.relation());
        o.put("learning_rate", lr).put("grad_norm", norm);
        appendLine(o);
    }

    private void appendEvaluation(long step, Map<String, Double> metrics, boolean best) throws IOException {
        ObjectNode o = LINE.createObjectNode();
        o.put("step", step).put("eval", true).put("best", best);
        ObjectNode m = o.putObject("metrics");
        metrics.forEach(m::put);
        appendLine(o);
    }

    private void appendLine(ObjectNode o) throws IOException {
        Files.writeString(output.resolve("metrics.jsonl"), LINE.writeValueAsString(o) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void writeModel(TrainableRelexModel model, Path dir, long step, TrainerState state, TrainingData data)
            throws IOException {
        CheckpointStore.replaceDirectory(dir, d -> model.save(d, provenance(step, state, data)));
    }

    private JsonNode provenance(long step, TrainerState state, TrainingData data) throws IOException {
        ObjectNode p = JSON.createObjectNode();
        p.put("created", Instant.now().toString());
        p.put("trainer", "relex-train " + version());
        p.put("base_model", cfg.model());
        p.put("steps", step);
        p.put("examples_drawn", data.drawn());
        p.put("seed", cfg.seed());
        p.put("threads", Ops.threads());
        p.put("kernels", Ops.implementation());
        ArrayNode files = p.putArray("data");
        for (TrainingData.SourceSummary s : data.summaries()) {
            ObjectNode f = files.addObject();
            f.put("path", s.source().path()).put("dataset", s.source().dataset()).put("weight", s.source().weight());
            Path file = Path.of(s.source().path());
            if (Files.isRegularFile(file)) f.put("sha256", Provenance.sha256(file)).put("bytes", Files.size(file));
            f.put("records_read_first_epoch", s.report().recordsRead())
                    .put("examples_first_epoch", s.report().examplesProduced())
                    .put("records_skipped_first_epoch", s.report().recordsSkipped())
                    .put("epochs_started", s.epochs());
        }
        for (TrainerConfig.Source s : cfg.dev()) {
            Path file = Path.of(s.path());
            ObjectNode f = p.withArray("dev").addObject();
            f.put("path", s.path()).put("dataset", s.dataset());
            if (Files.isRegularFile(file)) f.put("sha256", Provenance.sha256(file));
        }
        p.set("config", cfg.toJson());
        if (state.bestStep() >= 0) {
            ObjectNode best = p.putObject("best_dev");
            best.put("step", state.bestStep());
            state.bestMetrics().forEach(best::put);
        }
        return p;
    }

    static String version() {
        String v = Trainer.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    private static long count(List<Parameter> ps) {
        long n = 0;
        for (Parameter p : ps) n += p.size();
        return n;
    }

    /** What a resumable state records besides parameters and optimizer moments. */
    record TrainerState(long step, long examplesDrawn, long skippedExamples, long bestStep, double bestScore,
                        Map<String, Double> bestMetrics, JsonNode config) {
        static TrainerState fresh() {
            return new TrainerState(0, 0, 0, -1, Double.NEGATIVE_INFINITY, Map.of(), null);
        }

        TrainerState at(long s, long drawn, long skipped) {
            return new TrainerState(s, drawn, skipped, bestStep, bestScore, bestMetrics, config);
        }

        TrainerState withBest(long s, double score, Map<String, Double> metrics) {
            return new TrainerState(step, examplesDrawn, skippedExamples, s, score, new LinkedHashMap<>(metrics), config);
        }

        ObjectNode toJson(TrainerConfig cfg) {
            ObjectNode o = LINE.createObjectNode();
            o.put("format", "relex-trainer-state-1");
            o.put("step", step).put("examples_drawn", examplesDrawn).put("skipped_examples", skippedExamples);
            o.put("best_step", bestStep);
            if (bestStep >= 0) o.put("best_score", bestScore);
            ObjectNode m = o.putObject("best_metrics");
            bestMetrics.forEach(m::put);
            o.set("config", cfg.toJson());
            return o;
        }

        static TrainerState read(Path file) {
            try {
                JsonNode o = LINE.readTree(file.toFile());
                if (!"relex-trainer-state-1".equals(o.path("format").asText())) {
                    throw new IllegalStateException(file + " is not a relex trainer state (format " + o.path("format") + ")");
                }
                Map<String, Double> best = new LinkedHashMap<>();
                o.path("best_metrics").fields().forEachRemaining(e -> best.put(e.getKey(), e.getValue().asDouble()));
                long bestStep = o.path("best_step").asLong(-1);
                return new TrainerState(o.get("step").asLong(), o.get("examples_drawn").asLong(),
                        o.path("skipped_examples").asLong(), bestStep,
                        bestStep >= 0 ? o.get("best_score").asDouble() : Double.NEGATIVE_INFINITY, best, o.get("config"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read trainer state " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
