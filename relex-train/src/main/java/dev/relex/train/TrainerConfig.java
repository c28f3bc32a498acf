package dev.relex.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.relex.encoder.LoraConfig;
import dev.relex.train.loss.LossSettings;
import dev.relex.train.loss.Masking;
import dev.relex.train.loss.Reduction;
import dev.relex.train.optim.LearningRateSchedule;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;

/**
 * Everything a training run needs, immutable; read from a JSON or YAML file (snake_case keys, the
 * reference's {@code TrainingArguments} names where it has the option — {@code max_steps},
 * {@code per_device_train_batch_size}, {@code gradient_accumulation_steps}, {@code lr_scheduler_type},
 * {@code others_lr}, {@code focal_loss_alpha}, ...; unknown keys are errors so that a misspelt option is
 * never silently ignored) and overridable field by field
 * ({@link #withOverrides}). Defaults are those of the reference's {@code GLiNER.create_training_args}
 * where it has one (AdamW betas 0.9/0.999, eps 1e-8, linear schedule, warm-up ratio 0.1, max grad norm
 * 1.0, weight decay 0.01, batch 8) and the reference {@code TrainingArguments}' loss defaults (α −1, γ 0,
 * reduction sum, negatives 1, masking global).
 *
 * @param model          checkpoint directory to start from (a GLiNER-Relex model; new models come from
 *                       {@code bin/relex init-model})
 * @param output         run directory: {@code state/} (resumable states), {@code best/}, {@code final/}, logs
 * @param train          training sources, mixed by weight
 * @param dev            development sources for periodic evaluation (may be empty)
 * @param steps          optimizer steps
 * @param batchSize      examples per micro-batch
 * @param accumulation   micro-batches per optimizer step
 * @param seed           seed of every random draw (data order, label sampling, pairs, dropout, masking)
 * @param learningRate   encoder learning rate (parameters under {@code token_rep_layer}, as the reference)
 * @param othersLr       heads' learning rate; null = one learning rate for everything (2 groups)
 * @param weightDecay    encoder weight decay
 * @param othersWeightDecay heads' weight decay
 * @param freezeEncoder  train the heads only
 * @param headDropout    dropout of the heads; null = the model config's {@code dropout}
 * @param evalEvery      steps between dev evaluations (0 = only at the end)
 * @param saveEvery      steps between resumable states (0 = only at the end)
 * @param keepStates     resumable states kept on disk
 * @param logEvery       steps between progress lines
 * @param shuffleBuffer  examples held per source for shuffling (streamed sources larger than this are
 *                       shuffled within windows)
 * @param skipBadRecords true: bad records are reported and skipped; false: the first one stops the run
 * @param maxTypes       cap of sampled entity/relation label sets (null = the model config's)
 * @param augmentDataProb augmentation probability (null = the model config's)
 * @param loraRank       LoRA adapters of this rank on the encoder's linear layers (null = full fine-tuning):
 *                       the rest of the encoder is frozen, the heads train; exported models have the
 *                       adapters merged
 * @param loraAlpha      LoRA alpha (scaling alpha / rank; null = the rank, i.e. scaling 1)
 * @param loraTargets    adapted layers: query, key, value, attention_output, intermediate, output (null = all)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record TrainerConfig(
        @JsonProperty("model") String model,
        @JsonProperty("output") String output,
        @JsonProperty("train") List<Source> train,
        @JsonProperty("dev") List<Source> dev,
        @JsonProperty("max_steps") long steps,
        @JsonProperty("per_device_train_batch_size") int batchSize,
        @JsonProperty("gradient_accumulation_steps") int accumulation,
        @JsonProperty("seed") long seed,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("others_lr") Double othersLr,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("others_weight_decay") double othersWeightDecay,
        @JsonProperty("adam_beta1") double adamBeta1,
        @JsonProperty("adam_beta2") double adamBeta2,
        @JsonProperty("adam_epsilon") double adamEpsilon,
        @JsonProperty("max_grad_norm") double maxGradNorm,
        @JsonProperty("lr_scheduler_type") String scheduler,
        @JsonProperty("warmup_steps") long warmupSteps,
        @JsonProperty("warmup_ratio") double warmupRatio,
        @JsonProperty("freeze_encoder") boolean freezeEncoder,
        @JsonProperty("head_dropout") Double headDropout,
        @JsonProperty("focal_loss_alpha") double focalLossAlpha,
        @JsonProperty("focal_loss_gamma") double focalLossGamma,
        @JsonProperty("rel_focal_loss_alpha") Double relFocalLossAlpha,
        @JsonProperty("rel_focal_loss_gamma") Double relFocalLossGamma,
        @JsonProperty("focal_loss_prob_margin") double probMargin,
        @JsonProperty("label_smoothing") double labelSmoothing,
        @JsonProperty("loss_reduction") String lossReduction,
        @JsonProperty("negatives") double negatives,
        @JsonProperty("masking") String masking,
        @JsonProperty("max_types") Integer maxTypes,
        @JsonProperty("augment_data_prob") Double augmentDataProb,
        @JsonProperty("eval_every") long evalEvery,
        @JsonProperty("eval_threshold") double evalThreshold,
        @JsonProperty("save_every") long saveEvery,
        @JsonProperty("keep_states") int keepStates,
        @JsonProperty("log_every") long logEvery,
        @JsonProperty("shuffle_buffer") int shuffleBuffer,
        @JsonProperty("skip_bad_records") boolean skipBadRecords,
        @JsonProperty("lora_rank") Integer loraRank,
        @JsonProperty("lora_alpha") Double loraAlpha,
        @JsonProperty("lora_targets") List<String> loraTargets) {

    /**
     * One data file.
     *
     * @param path    the file
     * @param dataset its format/registry name ({@code conll04}, {@code gliner-json}, ...: {@code bin/relex
     *                data list}); also selects the default label mapping
     * @param weight  relative share of training draws (sources are mixed by weight, not by size)
     * @param labels  optional user label-mapping file overriding the built-in one
     * @param limit   at most this many examples of the file (0 = all)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(@JsonProperty("path") String path, @JsonProperty("dataset") String dataset,
                         @JsonProperty("weight") Double weight, @JsonProperty("labels") String labels,
                         @JsonProperty("limit") Long limit) {
        public Source {
            if (path == null || path.isBlank()) throw new IllegalArgumentException("a data source needs a path");
            if (dataset == null || dataset.isBlank()) throw new IllegalArgumentException("data source " + path + " needs a dataset (format) name");
            if (weight == null) weight = 1.0;
            if (limit == null) limit = 0L;
            if (!(weight > 0) || Double.isInfinite(weight)) throw new IllegalArgumentException("data source " + path + ": weight must be positive, got " + weight);
            if (limit < 0) throw new IllegalArgumentException("data source " + path + ": limit must be ≥ 0");
        }

        /** "PATH:DATASET[:WEIGHT]" as given on the command line. */
        public static Source parse(String spec) {
            String[] parts = spec.split(":");
            if (parts.length < 2 || parts.length > 3) {
                throw new IllegalArgumentException("data source '" + spec + "' must be PATH:DATASET or PATH:DATASET:WEIGHT");
            }
            double w = 1;
            if (parts.length == 3) {
                try {
                    w = Double.parseDouble(parts[2]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("data source '" + spec + "': weight '" + parts[2] + "' is not a number");
                }
            }
            return new Source(parts[0], parts[1], w, null, 0L);
        }
    }

    public TrainerConfig {
        train = train == null ? List.of() : List.copyOf(train);
        dev = dev == null ? List.of() : List.copyOf(dev);
        if (scheduler == null) scheduler = "linear";
        if (lossReduction == null) lossReduction = "sum";
        if (masking == null) masking = "global";
    }

    /** Checks every value; the message names the option. */
    public TrainerConfig validated() {
        require(model != null && !model.isBlank(), "model (the checkpoint directory to start from) is required");
        require(output != null && !output.isBlank(), "output (the run directory) is required");
        require(!train.isEmpty(), "at least one training source is required");
        require(steps > 0, "max_steps must be positive, got " + steps);
        require(batchSize > 0 && batchSize <= 4096, "per_device_train_batch_size must be in [1, 4096], got " + batchSize);
        require(accumulation > 0 && accumulation <= 4096, "gradient_accumulation_steps must be in [1, 4096], got " + accumulation);
        require(learningRate >= 0 && Double.isFinite(learningRate), "learning_rate must be ≥ 0, got " + learningRate);
        require(othersLr == null || (othersLr >= 0 && Double.isFinite(othersLr)), "others_lr must be ≥ 0, got " + othersLr);
        require(weightDecay >= 0 && othersWeightDecay >= 0, "weight decays must be ≥ 0");
        require(adamBeta1 >= 0 && adamBeta1 < 1 && adamBeta2 >= 0 && adamBeta2 < 1, "adam betas must be in [0, 1)");
        require(adamEpsilon > 0, "adam_epsilon must be positive");
        require(maxGradNorm >= 0, "max_grad_norm must be ≥ 0 (0 = no clipping)");
        require(warmupSteps >= 0 && warmupRatio >= 0 && warmupRatio <= 1, "warmup_steps ≥ 0 and warmup_ratio in [0, 1]");
        require(headDropout == null || (headDropout >= 0 && headDropout < 1), "head_dropout must be in [0, 1)");
        require(labelSmoothing >= 0 && labelSmoothing < 1, "label_smoothing must be in [0, 1)");
        require(negatives > 0 && negatives <= 1, "negatives must be in (0, 1]");
        require(maxTypes == null || maxTypes > 0, "max_types must be positive");
        require(augmentDataProb == null || (augmentDataProb >= 0 && augmentDataProb <= 1), "augment_data_prob must be in [0, 1]");
        require(evalEvery >= 0 && saveEvery >= 0 && logEvery >= 0, "eval_every, save_every and log_every must be ≥ 0");
        require(evalThreshold >= 0 && evalThreshold <= 1, "eval_threshold must be in [0, 1]");
        require(keepStates >= 1, "keep_states must be at least 1");
        require(shuffleBuffer >= 1, "shuffle_buffer must be at least 1");
        require(loraRank == null || loraRank > 0, "lora_rank must be positive");
        require(loraAlpha == null || loraAlpha > 0, "lora_alpha must be positive");
        if (loraRank != null) loraConfig();
        LearningRateSchedule.Kind.parse(scheduler);
        Reduction.parse(lossReduction);
        Masking.parse(masking);
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** The LoRA adapters of this run, or null (full fine-tuning). */
    public LoraConfig loraConfig() {
        if (loraRank == null) return null;
        Set<LoraConfig.Target> targets = EnumSet.noneOf(LoraConfig.Target.class);
        if (loraTargets == null) {
            targets.addAll(EnumSet.allOf(LoraConfig.Target.class));
        } else {
            for (String t : loraTargets) {
                try {
                    targets.add(LoraConfig.Target.valueOf(t.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("lora_targets: unknown layer '" + t
                            + "' (query, key, value, attention_output, intermediate, output)");
                }
            }
        }
        return new LoraConfig(loraRank, loraAlpha == null ? loraRank : loraAlpha, targets);
    }

    /** The loss settings of this run (coefficients from the model config are applied by the caller). */
    public LossSettings.Builder lossSettings() {
        return LossSettings.builder().focalLossAlpha(focalLossAlpha).focalLossGamma(focalLossGamma)
                .relFocalLossAlpha(relFocalLossAlpha).relFocalLossGamma(relFocalLossGamma)
                .focalLossProbMargin(probMargin).labelSmoothing(labelSmoothing)
                .reduction(Reduction.parse(lossReduction)).negatives(negatives).masking(Masking.parse(masking));
    }

    // ---- files ----

    private static ObjectMapper mapper(boolean yaml) {
        ObjectMapper m = yaml ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        return m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    private static boolean isYaml(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    /** The defaults as a JSON tree (the base that files and overrides are merged onto). */
    private static ObjectNode defaultsTree() {
        return new ObjectMapper().valueToTree(defaults());
    }

    /** Reads a JSON or YAML file (by extension) merged onto the defaults; unknown keys are errors. */
    public static TrainerConfig read(Path file) throws IOException {
        JsonNode tree = mapper(isYaml(file)).readTree(file.toFile());
        if (tree == null || !tree.isObject()) throw new IOException(file + ": a training configuration must be an object");
        return fromTree(merge(defaultsTree(), (ObjectNode) tree), file.toString());
    }

    /** This configuration with the given snake_case keys replaced (values as JSON trees). */
    public TrainerConfig withOverrides(ObjectNode overrides) {
        return fromTree(merge(new ObjectMapper().valueToTree(this), overrides), "command line");
    }

    private static ObjectNode merge(ObjectNode base, ObjectNode over) {
        ObjectNode out = base.deepCopy();
        over.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        return out;
    }

    private static TrainerConfig fromTree(ObjectNode tree, String source) {
        try {
            return mapper(false).treeToValue(tree, TrainerConfig.class);
        } catch (IOException e) {
            String msg = e.getMessage();
            int cut = msg.indexOf(" (through reference chain");
            throw new IllegalArgumentException(source + ": invalid training configuration: "
                    + (cut > 0 ? msg.substring(0, cut) : msg), e);
        }
    }

    /** This configuration as JSON (written beside every state and in provenance). */
    public ObjectNode toJson() {
        return new ObjectMapper().valueToTree(this);
    }

    public static TrainerConfig defaults() {
        return new TrainerConfig(null, null, List.of(), List.of(), 1000, 8, 1, 42,
                5e-5, null, 0.01, 0.01, 0.9, 0.999, 1e-8, 1.0, "linear", 0, 0.1, false, null,
                -1, 0, null, null, 0, 0, "sum", 1.0, "global", null, null,
                0, 0.5, 0, 2, 10, 10_000, true, null, null, null);
    }
}
