package dev.relex.train.loss;

/**
 * Loss hyper-parameters as the reference trainer passes them to the model (gliner trainer.py:143-171):
 * entity α/γ; adjacency and relation α/γ (the {@code rel_focal_loss_*} arguments when set, else the entity
 * ones); smoothing, margin, reduction, masking and negatives shared by all three losses; and the config's
 * loss coefficients.
 */
public record LossSettings(FocalParams entity, FocalParams relation, Reduction reduction, Masking masking,
                           double negatives, double spanLossCoef, double adjacencyLossCoef, double relationLossCoef) {

    public LossSettings {
        if (entity == null || relation == null || reduction == null || masking == null) {
            throw new IllegalArgumentException("entity/relation focal parameters, reduction and masking are required");
        }
        if (!(negatives >= 0)) throw new IllegalArgumentException("negatives must be ≥ 0, found " + negatives);
    }

    /** The gliner {@code TrainingArguments} defaults: α −1, γ 0, no smoothing/margin, "sum", negatives 1, "global", coefficients 1. */
    public static LossSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Names follow the reference's {@code TrainingArguments}; unset relation α/γ fall back to the entity ones. */
    public static final class Builder {
        private double alpha = -1, gamma = 0, probMargin = 0, labelSmoothing = 0, negatives = 1;
        private Double relAlpha, relGamma;
        private Reduction reduction = Reduction.SUM;
        private Masking masking = Masking.GLOBAL;
        private double spanLossCoef = 1, adjacencyLossCoef = 1, relationLossCoef = 1;

        public Builder focalLossAlpha(double v) { alpha = v; return this; }
        public Builder focalLossGamma(double v) { gamma = v; return this; }
        public Builder relFocalLossAlpha(Double v) { relAlpha = v; return this; }
        public Builder relFocalLossGamma(Double v) { relGamma = v; return this; }
        public Builder focalLossProbMargin(double v) { probMargin = v; return this; }
        public Builder labelSmoothing(double v) { labelSmoothing = v; return this; }
        public Builder reduction(Reduction v) { reduction = v; return this; }
        public Builder masking(Masking v) { masking = v; return this; }
        public Builder negatives(double v) { negatives = v; return this; }
        public Builder spanLossCoef(double v) { spanLossCoef = v; return this; }
        public Builder adjacencyLossCoef(double v) { adjacencyLossCoef = v; return this; }
        public Builder relationLossCoef(double v) { relationLossCoef = v; return this; }

        public LossSettings build() {
            FocalParams ent = new FocalParams(alpha, gamma, labelSmoothing, probMargin);
            FocalParams rel = new FocalParams(relAlpha != null ? relAlpha : alpha, relGamma != null ? relGamma : gamma,
                    labelSmoothing, probMargin);
            return new LossSettings(ent, rel, reduction, masking, negatives, spanLossCoef, adjacencyLossCoef,
                    relationLossCoef);
        }
    }
}
