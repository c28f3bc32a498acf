package dev.relex.train.target;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.checkpoint.GlinerConfig;

/**
 * The model settings that shape the training targets (gliner_config fields; defaults = the relex config
 * defaults of the reference, config.py).
 *
 * @param head                  entity head (span_mode markerV0 → SPAN, token_level → TOKEN)
 * @param maxWidth              K, span widths 1..K (max_width, 12)
 * @param maxLen                words kept per example (max_len, 384); longer texts are truncated, as the
 *                              reference does, and the entities/relations lost are reported
 * @param maxTypes              cap on a sampled label set (max_types, 25)
 * @param maxNegTypeRatio       negative types per positive drawn from 0..ratio (max_neg_type_ratio, 1)
 * @param negativeTypePool      size of the batch's pool of negative types (the reference's 100)
 * @param augmentDataProb       probability of augmenting an example (augment_data_prob, 0.5)
 * @param augmentEntDropMin     range of the per-example entity-type drop probability (augment_ent_drop_prob, (0, 1))
 * @param augmentEntDropMax     see above
 * @param augmentRelDropMin     range of the relation-type drop probability (augment_rel_drop_prob, (0, 0.3))
 * @param augmentRelDropMax     see above
 * @param augmentAddOtherProb   probability of relabelling dropped entities that keep a relation "other" (0.5)
 * @param allPairs              relations_layer "none": every ordered pair, no adjacency target
 */
public record TargetSettings(EntityHead head, int maxWidth, int maxLen, int maxTypes, int maxNegTypeRatio,
                             int negativeTypePool, double augmentDataProb, double augmentEntDropMin,
                             double augmentEntDropMax, double augmentRelDropMin, double augmentRelDropMax,
                             double augmentAddOtherProb, boolean allPairs) {

    /** The label that augmentation gives to entities of a dropped type that still take part in a relation. */
    public static final String OTHER = "other";

    public TargetSettings {
        if (head == null) throw new IllegalArgumentException("entity head is required");
        if (maxWidth <= 0) throw new IllegalArgumentException("max_width must be positive, found " + maxWidth);
        if (maxLen <= 0) throw new IllegalArgumentException("max_len must be positive, found " + maxLen);
        if (maxTypes <= 0) throw new IllegalArgumentException("max_types must be positive, found " + maxTypes);
        if (maxNegTypeRatio < 0) throw new IllegalArgumentException("max_neg_type_ratio must be ≥ 0, found " + maxNegTypeRatio);
        if (negativeTypePool < 0) throw new IllegalArgumentException("negative type pool must be ≥ 0, found " + negativeTypePool);
        probability("augment_data_prob", augmentDataProb);
        probability("augment_add_other_prob", augmentAddOtherProb);
        range("augment_ent_drop_prob", augmentEntDropMin, augmentEntDropMax);
        range("augment_rel_drop_prob", augmentRelDropMin, augmentRelDropMax);
    }

    private static void probability(String name, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(name + " must be in [0, 1], found " + p);
    }

    private static void range(String name, double lo, double hi) {
        if (!(lo >= 0 && hi <= 1 && lo <= hi)) throw new IllegalArgumentException(name + " must be a range within [0, 1], found [" + lo + ", " + hi + "]");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return builder().head(head).maxWidth(maxWidth).maxLen(maxLen).maxTypes(maxTypes).maxNegTypeRatio(maxNegTypeRatio)
                .negativeTypePool(negativeTypePool).augmentDataProb(augmentDataProb)
                .augmentEntDropProb(augmentEntDropMin, augmentEntDropMax).augmentRelDropProb(augmentRelDropMin, augmentRelDropMax)
                .augmentAddOtherProb(augmentAddOtherProb).allPairs(allPairs);
    }

    /** The settings of a checkpoint's gliner_config.json (missing fields take the reference defaults). */
    public static TargetSettings fromConfig(GlinerConfig cfg) {
        JsonNode raw = cfg.raw();
        Builder b = builder()
                .head("token_level".equals(cfg.spanMode()) ? EntityHead.TOKEN : EntityHead.SPAN)
                .maxWidth(cfg.maxWidth()).maxLen(cfg.maxLen())
                .allPairs("none".equals(cfg.relationsLayer()));
        if (raw != null) {
            if (raw.hasNonNull("max_types")) b.maxTypes(raw.get("max_types").asInt());
            if (raw.hasNonNull("max_neg_type_ratio")) b.maxNegTypeRatio(raw.get("max_neg_type_ratio").asInt());
            if (raw.hasNonNull("augment_data_prob")) b.augmentDataProb(raw.get("augment_data_prob").asDouble());
            if (raw.hasNonNull("augment_add_other_prob")) b.augmentAddOtherProb(raw.get("augment_add_other_prob").asDouble());
            JsonNode ent = raw.get("augment_ent_drop_prob");
            if (ent != null && ent.isArray() && ent.size() == 2) b.augmentEntDropProb(ent.get(0).asDouble(), ent.get(1).asDouble());
            JsonNode rel = raw.get("augment_rel_drop_prob");
            if (rel != null && rel.isArray() && rel.size() == 2) b.augmentRelDropProb(rel.get(0).asDouble(), rel.get(1).asDouble());
        }
        return b.build();
    }

    /** Defaults: the reference relex config (config.py) with a span head. */
    public static final class Builder {
        private EntityHead head = EntityHead.SPAN;
        private int maxWidth = 12, maxLen = 384, maxTypes = 25, maxNegTypeRatio = 1, negativeTypePool = 100;
        private double augmentDataProb = 0.5, entMin = 0, entMax = 1, relMin = 0, relMax = 0.3, addOther = 0.5;
        private boolean allPairs;

        public Builder head(EntityHead v) { head = v; return this; }
        public Builder maxWidth(int v) { maxWidth = v; return this; }
        public Builder maxLen(int v) { maxLen = v; return this; }
        public Builder maxTypes(int v) { maxTypes = v; return this; }
        public Builder maxNegTypeRatio(int v) { maxNegTypeRatio = v; return this; }
        public Builder negativeTypePool(int v) { negativeTypePool = v; return this; }
        public Builder augmentDataProb(double v) { augmentDataProb = v; return this; }
        public Builder augmentEntDropProb(double lo, double hi) { entMin = lo; entMax = hi; return this; }
        public Builder augmentRelDropProb(double lo, double hi) { relMin = lo; relMax = hi; return this; }
        public Builder augmentAddOtherProb(double v) { addOther = v; return this; }
        public Builder allPairs(boolean v) { allPairs = v; return this; }

        public TargetSettings build() {
            return new TargetSettings(head, maxWidth, maxLen, maxTypes, maxNegTypeRatio, negativeTypePool,
                    augmentDataProb, entMin, entMax, relMin, relMax, addOther, allPairs);
        }
    }
}
