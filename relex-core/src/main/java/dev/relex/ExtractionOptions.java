package dev.relex;

/**
 * Decoding options (spec §4.5). Thresholds are probabilities in [0, 1]; the adjacency and relation
 * thresholds default to the entity threshold, as in the reference.
 *
 * @param threshold           entity threshold; also selects relation candidates inside the model
 * @param adjacencyThreshold  pair selection threshold of the adjacency layer
 * @param relationThreshold   final relation probability threshold
 * @param flatNer             true: non-overlapping entities; false: nested entities allowed
 * @param multiLabel          allow several labels for the same span
 * @param offsetUnit          UTF-16 (default) or code points
 * @param failOnTruncation    false (default): a text longer than the model accepts is processed up to the
 *                            limit and the result's {@link ExtractionResult#truncation()} says where it
 *                            stopped; true: throw {@link TextTooLongException} instead
 * @param preTokenized        false (default): words are found by GLiNER's word splitter (punctuation split
 *                            off); true: the text is already tokenized and its words are separated by
 *                            whitespace — each whitespace-separated token is one word, as the reference
 *                            reads {@code tokenized_text} in training and evaluation data
 */
public record ExtractionOptions(double threshold, double adjacencyThreshold, double relationThreshold,
                                boolean flatNer, boolean multiLabel, OffsetUnit offsetUnit, boolean failOnTruncation,
                                boolean preTokenized) {
    public ExtractionOptions {
        check("threshold", threshold);
        check("adjacency threshold", adjacencyThreshold);
        check("relation threshold", relationThreshold);
        if (offsetUnit == null) offsetUnit = OffsetUnit.UTF16;
    }

    /** Options that report (rather than reject) truncated texts. */
    public ExtractionOptions(double threshold, double adjacencyThreshold, double relationThreshold,
                             boolean flatNer, boolean multiLabel, OffsetUnit offsetUnit) {
        this(threshold, adjacencyThreshold, relationThreshold, flatNer, multiLabel, offsetUnit, false, false);
    }

    /** Options without pre-tokenized input. */
    public ExtractionOptions(double threshold, double adjacencyThreshold, double relationThreshold,
                             boolean flatNer, boolean multiLabel, OffsetUnit offsetUnit, boolean failOnTruncation) {
        this(threshold, adjacencyThreshold, relationThreshold, flatNer, multiLabel, offsetUnit, failOnTruncation, false);
    }

    private static void check(String name, double v) {
        if (!(v >= 0.0 && v <= 1.0)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + v);
        }
    }

    public static ExtractionOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.threshold = threshold;
        b.adjacencyThreshold = adjacencyThreshold;
        b.relationThreshold = relationThreshold;
        b.flatNer = flatNer;
        b.multiLabel = multiLabel;
        b.offsetUnit = offsetUnit;
        b.failOnTruncation = failOnTruncation;
        b.preTokenized = preTokenized;
        return b;
    }

    /** Mutable builder; unset adjacency/relation thresholds follow the entity threshold. */
    public static final class Builder {
        private double threshold = 0.5;
        private Double adjacencyThreshold;
        private Double relationThreshold;
        private boolean flatNer = true;
        private boolean multiLabel;
        private OffsetUnit offsetUnit = OffsetUnit.UTF16;
        private boolean failOnTruncation;
        private boolean preTokenized;

        public Builder threshold(double t) { threshold = t; return this; }
        public Builder adjacencyThreshold(double t) { adjacencyThreshold = t; return this; }
        public Builder relationThreshold(double t) { relationThreshold = t; return this; }
        public Builder flatNer(boolean f) { flatNer = f; return this; }
        public Builder nested(boolean n) { flatNer = !n; return this; }
        public Builder multiLabel(boolean m) { multiLabel = m; return this; }
        public Builder offsetUnit(OffsetUnit u) { offsetUnit = u; return this; }
        /** Throw {@link TextTooLongException} instead of reporting a truncation in the result. */
        public Builder failOnTruncation(boolean f) { failOnTruncation = f; return this; }
        /** The text is already tokenized: split on whitespace only (see {@link ExtractionOptions#preTokenized()}). */
        public Builder preTokenized(boolean p) { preTokenized = p; return this; }

        public ExtractionOptions build() {
            return new ExtractionOptions(threshold,
                    adjacencyThreshold == null ? threshold : adjacencyThreshold,
                    relationThreshold == null ? threshold : relationThreshold,
                    flatNer, multiLabel, offsetUnit, failOnTruncation, preTokenized);
        }
    }
}
