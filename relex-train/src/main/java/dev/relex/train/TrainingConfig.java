package dev.relex.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.engine.Parameter;
import dev.relex.train.loss.LossSettings;
import dev.relex.train.loss.Masking;
import dev.relex.train.loss.Reduction;
import dev.relex.train.optim.LearningRateSchedule;
import dev.relex.train.optim.ParamGroup;
import dev.relex.train.optim.ParameterGroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Training hyper-parameters with the defaults of the reference's {@code gliner.training.TrainingArguments}
 * (gliner trainer.py:45-86, which extends Hugging Face {@code transformers.TrainingArguments} 4.57). JSON
 * keys are the reference's argument names ({@link #fromJson}); an unknown key is an error, so a typo does
 * not silently fall back to a default.
 *
 * <p>Defaults (source): {@code learning_rate} 5e-5, {@code weight_decay} 0.0, {@code adam_beta1} 0.9,
 * {@code adam_beta2} 0.999, {@code adam_epsilon} 1e-8, {@code max_grad_norm} 1.0,
 * {@code lr_scheduler_type} "linear", {@code warmup_ratio} 0.0, {@code warmup_steps} 0,
 * {@code gradient_accumulation_steps} 1, {@code per_device_train_batch_size} 8, {@code num_train_epochs}
 * 3.0, {@code max_steps} −1 (= use epochs), {@code seed} 42 (all HF {@code TrainingArguments});
 * {@code others_lr} null (→ two parameter groups), {@code others_weight_decay} 0.0,
 * {@code focal_loss_alpha} −1, {@code focal_loss_gamma} 0, {@code rel_focal_loss_alpha} /
 * {@code rel_focal_loss_gamma} null (→ the entity ones), {@code focal_loss_prob_margin} 0,
 * {@code label_smoothing} 0, {@code loss_reduction} "sum", {@code negatives} 1.0, {@code masking} "global"
 * (gliner {@code TrainingArguments}). Note that {@code GLiNER.create_training_args} (model.py:1634-1726)
 * uses other defaults — weight_decay 0.01, others_lr = lr, masking "none", warmup_ratio 0.1 — golden README
 * difference 11; pass those explicitly to train like that entry point.
 *
 * <p>The loss coefficients are model settings (gliner_config {@code span_loss_coef},
 * {@code adjacency_loss_coef}, {@code relation_loss_coef}), so {@link #lossSettings} takes them.
 */
public record TrainingConfig(
        double learningRate, double weightDecay, Double othersLr, double othersWeightDecay,
        double adamBeta1, double adamBeta2, double adamEpsilon, double maxGradNorm,
        LearningRateSchedule.Kind lrSchedulerType, double warmupRatio, long warmupSteps,
        int gradientAccumulationSteps, int perDeviceTrainBatchSize, double numTrainEpochs, long maxSteps, long seed,
        double focalLossAlpha, double focalLossGamma, Double relFocalLossAlpha, Double relFocalLossGamma,
        double focalLossProbMargin, double labelSmoothing, Reduction lossReduction, double negatives, Masking masking) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("learning_rate", "weight_decay", "others_lr", "others_weight_decay",
            "adam_beta1", "adam_beta2", "adam_epsilon", "max_grad_norm", "lr_scheduler_type", "warmup_ratio", "warmup_steps",
            "gradient_accumulation_steps", "per_device_train_batch_size", "num_train_epochs", "max_steps", "seed",
            "focal_loss_alpha", "focal_loss_gamma", "rel_focal_loss_alpha", "rel_focal_loss_gamma", "focal_loss_prob_margin",
            "label_smoothing", "loss_reduction", "negatives", "masking");

    public TrainingConfig {
        require(learningRate >= 0, "learning_rate must be ≥ 0");
        require(weightDecay >= 0 && othersWeightDecay >= 0, "weight decays must be ≥ 0");
        require(othersLr == null || othersLr >= 0, "others_lr must be ≥ 0");
        require(adamBeta1 >= 0 && adamBeta1 < 1 && adamBeta2 >= 0 && adamBeta2 < 1, "adam betas must be in [0, 1)");
        require(adamEpsilon >= 0, "adam_epsilon must be ≥ 0");
        require(maxGradNorm >= 0, "max_grad_norm must be ≥ 0 (0 = no clipping)");
        require(lrSchedulerType != null, "lr_scheduler_type is required");
        require(warmupRatio >= 0 && warmupRatio <= 1, "warmup_ratio must be in [0, 1]");
        require(warmupSteps >= 0, "warmup_steps must be ≥ 0");
        require(gradientAccumulationSteps >= 1, "gradient_accumulation_steps must be ≥ 1");
        require(perDeviceTrainBatchSize >= 1, "per_device_train_batch_size must be ≥ 1");
        require(maxSteps > 0 || numTrainEpochs > 0, "either max_steps > 0 or num_train_epochs > 0");
        require(lossReduction != null && masking != null, "loss_reduction and masking are required");
        require(negatives >= 0, "negatives must be ≥ 0");
        // α, γ, smoothing and margin: the same checks as the loss settings built from them
        new dev.relex.train.loss.FocalParams(focalLossAlpha, focalLossGamma, labelSmoothing, focalLossProbMargin);
        new dev.relex.train.loss.FocalParams(relFocalLossAlpha != null ? relFocalLossAlpha : focalLossAlpha,
                relFocalLossGamma != null ? relFocalLossGamma : focalLossGamma, labelSmoothing, focalLossProbMargin);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    public static TrainingConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The loss settings the reference trainer passes to the model, with the model's loss coefficients. */
    public LossSettings lossSettings(double spanLossCoef, double adjacencyLossCoef, double relationLossCoef) {
        return LossSettings.builder().focalLossAlpha(focalLossAlpha).focalLossGamma(focalLossGamma)
                .relFocalLossAlpha(relFocalLossAlpha).relFocalLossGamma(relFocalLossGamma)
                .focalLossProbMargin(focalLossProbMargin).labelSmoothing(labelSmoothing).reduction(lossReduction)
                .negatives(negatives).masking(masking).spanLossCoef(spanLossCoef).adjacencyLossCoef(adjacencyLossCoef)
                .relationLossCoef(relationLossCoef).build();
    }

    /** The reference trainer's parameter groups over {@code parameters} (frozen ones: {@code trainable} false). */
    public List<ParamGroup> parameterGroups(List<Parameter> parameters, Predicate<Parameter> trainable) {
        return ParameterGroups.reference(parameters, learningRate, weightDecay, othersLr, othersWeightDecay, trainable);
    }

    /** The learning-rate schedule over {@code totalSteps} optimizer steps (warm-up steps win over the ratio). */
    public LearningRateSchedule schedule(long totalSteps) {
        return LearningRateSchedule.of(lrSchedulerType, totalSteps, LearningRateSchedule.warmupSteps(totalSteps, warmupSteps, warmupRatio));
    }

    /** Reads a JSON object of reference argument names; errors name the file and the key. */
    public static TrainingConfig read(Path file) {
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        try {
            return fromJson(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** From a JSON object of reference argument names; absent keys keep their defaults, null means "unset" for the optional ones. */
    public static TrainingConfig fromJson(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("training configuration must be a JSON object");
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) unknown.add(k);
        }
        if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown training argument(s) " + unknown + "; known: " + new java.util.TreeSet<>(KEYS));
        Builder b = builder();
        if (n.has("learning_rate")) b.learningRate(num(n, "learning_rate"));
        if (n.has("weight_decay")) b.weightDecay(num(n, "weight_decay"));
        if (n.has("others_lr")) b.othersLr(optNum(n, "others_lr"));
        if (n.has("others_weight_decay")) b.othersWeightDecay(n.get("others_weight_decay").isNull() ? 0.0 : num(n, "others_weight_decay"));
        if (n.has("adam_beta1")) b.adamBeta1(num(n, "adam_beta1"));
        if (n.has("adam_beta2")) b.adamBeta2(num(n, "adam_beta2"));
        if (n.has("adam_epsilon")) b.adamEpsilon(num(n, "adam_epsilon"));
        if (n.has("max_grad_norm")) b.maxGradNorm(num(n, "max_grad_norm"));
        if (n.has("lr_scheduler_type")) b.lrSchedulerType(LearningRateSchedule.Kind.parse(text(n, "lr_scheduler_type")));
        if (n.has("warmup_ratio")) b.warmupRatio(num(n, "warmup_ratio"));
        if (n.has("warmup_steps")) b.warmupSteps(integer(n, "warmup_steps"));
        if (n.has("gradient_accumulation_steps")) b.gradientAccumulationSteps(Math.toIntExact(integer(n, "gradient_accumulation_steps")));
        if (n.has("per_device_train_batch_size")) b.perDeviceTrainBatchSize(Math.toIntExact(integer(n, "per_device_train_batch_size")));
        if (n.has("num_train_epochs")) b.numTrainEpochs(num(n, "num_train_epochs"));
        if (n.has("max_steps")) b.maxSteps(integer(n, "max_steps"));
        if (n.has("seed")) b.seed(integer(n, "seed"));
        if (n.has("focal_loss_alpha")) b.focalLossAlpha(num(n, "focal_loss_alpha"));
        if (n.has("focal_loss_gamma")) b.focalLossGamma(num(n, "focal_loss_gamma"));
        if (n.has("rel_focal_loss_alpha")) b.relFocalLossAlpha(optNum(n, "rel_focal_loss_alpha"));
        if (n.has("rel_focal_loss_gamma")) b.relFocalLossGamma(optNum(n, "rel_focal_loss_gamma"));
        if (n.has("focal_loss_prob_margin")) b.focalLossProbMargin(num(n, "focal_loss_prob_margin"));
        if (n.has("label_smoothing")) b.labelSmoothing(num(n, "label_smoothing"));
        if (n.has("loss_reduction")) b.lossReduction(Reduction.parse(text(n, "loss_reduction")));
        if (n.has("negatives")) b.negatives(num(n, "negatives"));
        if (n.has("masking")) b.masking(Masking.parse(text(n, "masking")));
        return b.build();
    }

    private static double num(JsonNode n, String k) {
        JsonNode v = n.get(k);
        if (!v.isNumber()) throw new IllegalArgumentException(k + " must be a number, found " + v);
        return v.asDouble();
    }

    private static Double optNum(JsonNode n, String k) {
        return n.get(k).isNull() ? null : num(n, k);
    }

    private static long integer(JsonNode n, String k) {
        JsonNode v = n.get(k);
        if (!v.isIntegralNumber()) throw new IllegalArgumentException(k + " must be an integer, found " + v);
        return v.asLong();
    }

    private static String text(JsonNode n, String k) {
        JsonNode v = n.get(k);
        if (!v.isTextual()) throw new IllegalArgumentException(k + " must be a string, found " + v);
        return v.asText();
    }

    /** Starts from the reference defaults listed in {@link TrainingConfig}. */
    public static final class Builder {
        private double learningRate = 5e-5, weightDecay = 0.0, othersWeightDecay = 0.0;
        private Double othersLr;
        private double adamBeta1 = 0.9, adamBeta2 = 0.999, adamEpsilon = 1e-8, maxGradNorm = 1.0;
        private LearningRateSchedule.Kind lrSchedulerType = LearningRateSchedule.Kind.LINEAR;
        private double warmupRatio = 0.0;
        private long warmupSteps = 0;
        private int gradientAccumulationSteps = 1, perDeviceTrainBatchSize = 8;
        private double numTrainEpochs = 3.0;
        private long maxSteps = -1, seed = 42;
        private double focalLossAlpha = -1, focalLossGamma = 0, focalLossProbMargin = 0, labelSmoothing = 0, negatives = 1.0;
        private Double relFocalLossAlpha, relFocalLossGamma;
        private Reduction lossReduction = Reduction.SUM;
        private Masking masking = Masking.GLOBAL;

        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder othersLr(Double v) { othersLr = v; return this; }
        public Builder othersWeightDecay(double v) { othersWeightDecay = v; return this; }
        public Builder adamBeta1(double v) { adamBeta1 = v; return this; }
        public Builder adamBeta2(double v) { adamBeta2 = v; return this; }
        public Builder adamEpsilon(double v) { adamEpsilon = v; return this; }
        public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
        public Builder lrSchedulerType(LearningRateSchedule.Kind v) { lrSchedulerType = v; return this; }
        public Builder warmupRatio(double v) { warmupRatio = v; return this; }
        public Builder warmupSteps(long v) { warmupSteps = v; return this; }
        public Builder gradientAccumulationSteps(int v) { gradientAccumulationSteps = v; return this; }
        public Builder perDeviceTrainBatchSize(int v) { perDeviceTrainBatchSize = v; return this; }
        public Builder numTrainEpochs(double v) { numTrainEpochs = v; return this; }
        public Builder maxSteps(long v) { maxSteps = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder focalLossAlpha(double v) { focalLossAlpha = v; return this; }
        public Builder focalLossGamma(double v) { focalLossGamma = v; return this; }
        public Builder relFocalLossAlpha(Double v) { relFocalLossAlpha = v; return this; }
        public Builder relFocalLossGamma(Double v) { relFocalLossGamma = v; return this; }
        public Builder focalLossProbMargin(double v) { focalLossProbMargin = v; return this; }
        public Builder labelSmoothing(double v) { labelSmoothing = v; return this; }
        public Builder lossReduction(Reduction v) { lossReduction = v; return this; }
        public Builder negatives(double v) { negatives = v; return this; }
        public Builder masking(Masking v) { masking = v; return this; }

        public TrainingConfig build() {
            return new TrainingConfig(learningRate, weightDecay, othersLr, othersWeightDecay, adamBeta1, adamBeta2, adamEpsilon,
                    maxGradNorm, lrSchedulerType, warmupRatio, warmupSteps, gradientAccumulationSteps, perDeviceTrainBatchSize,
                    numTrainEpochs, maxSteps, seed, focalLossAlpha, focalLossGamma, relFocalLossAlpha, relFocalLossGamma,
                    focalLossProbMargin, labelSmoothing, lossReduction, negatives, masking);
        }
    }
}
