package dev.relex.eval.run;

import dev.relex.ExtractionOptions;

import java.util.List;

/**
 * Settings of an evaluation run. Thresholds as {@link ExtractionOptions} (adjacency and relation thresholds
 * default to the entity threshold). Labels: explicit {@code entityLabels}/{@code relationLabels} are used for
 * every example; when null, an example's fixed label sets ({@code ner_labels}/{@code rel_labels}) are used if
 * it has them, otherwise the dataset's label set: {@code datasetEntityLabels}/{@code datasetRelationLabels} if
 * given (e.g. every label of the whole split, so that evaluating a subset does not change the prompt), else every
 * gold label of the evaluated examples, sorted.
 *
 * @param batchSize            texts per {@code extractBatch} call
 * @param threads              batches in flight at once (scores do not depend on it)
 * @param textMaxLabelsPerPair text-level metric: keep at most this many relations per (head text, tail text),
 *                             0 = all (the co-author's harness uses 3)
 */
public record EvaluationConfig(double threshold, double adjacencyThreshold, double relationThreshold, boolean flatNer,
                               boolean multiLabel, List<String> entityLabels, List<String> relationLabels,
                               List<String> datasetEntityLabels, List<String> datasetRelationLabels, int batchSize,
                               int threads, int textMaxLabelsPerPair) {
    public EvaluationConfig {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (textMaxLabelsPerPair < 0) throw new IllegalArgumentException("textMaxLabelsPerPair must be >= 0");
        entityLabels = entityLabels == null ? null : List.copyOf(entityLabels);
        relationLabels = relationLabels == null ? null : List.copyOf(relationLabels);
        datasetEntityLabels = datasetEntityLabels == null ? null : List.copyOf(datasetEntityLabels);
        datasetRelationLabels = datasetRelationLabels == null ? null : List.copyOf(datasetRelationLabels);
        options(threshold, adjacencyThreshold, relationThreshold, flatNer, multiLabel); // validates thresholds
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
        b.entityLabels = entityLabels;
        b.relationLabels = relationLabels;
        b.datasetEntityLabels = datasetEntityLabels;
        b.datasetRelationLabels = datasetRelationLabels;
        b.batchSize = batchSize;
        b.threads = threads;
        b.textMaxLabelsPerPair = textMaxLabelsPerPair;
        return b;
    }

    /** Extraction options of this run (pre-tokenized: each dataset word is one model word). */
    public ExtractionOptions options() {
        return options(threshold, adjacencyThreshold, relationThreshold, flatNer, multiLabel);
    }

    private static ExtractionOptions options(double t, double a, double r, boolean flat, boolean multi) {
        return ExtractionOptions.builder().threshold(t).adjacencyThreshold(a).relationThreshold(r).nested(!flat)
                .multiLabel(multi).preTokenized(true).build();
    }

    public static final class Builder {
        private double threshold = 0.5;
        private double adjacencyThreshold = Double.NaN;
        private double relationThreshold = Double.NaN;
        private boolean flatNer = true;
        private boolean multiLabel;
        private List<String> entityLabels;
        private List<String> relationLabels;
        private List<String> datasetEntityLabels;
        private List<String> datasetRelationLabels;
        private int batchSize = 8;
        private int threads = 1;
        private int textMaxLabelsPerPair;

        public Builder threshold(double v) { threshold = v; return this; }
        /** NaN = follow the entity threshold. */
        public Builder adjacencyThreshold(double v) { adjacencyThreshold = v; return this; }
        /** NaN = follow the entity threshold. */
        public Builder relationThreshold(double v) { relationThreshold = v; return this; }
        public Builder flatNer(boolean v) { flatNer = v; return this; }
        public Builder multiLabel(boolean v) { multiLabel = v; return this; }
        public Builder entityLabels(List<String> v) { entityLabels = v; return this; }
        public Builder relationLabels(List<String> v) { relationLabels = v; return this; }
        public Builder datasetEntityLabels(List<String> v) { datasetEntityLabels = v; return this; }
        public Builder datasetRelationLabels(List<String> v) { datasetRelationLabels = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder textMaxLabelsPerPair(int v) { textMaxLabelsPerPair = v; return this; }

        public EvaluationConfig build() {
            return new EvaluationConfig(threshold, Double.isNaN(adjacencyThreshold) ? threshold : adjacencyThreshold,
                    Double.isNaN(relationThreshold) ? threshold : relationThreshold, flatNer, multiLabel, entityLabels,
                    relationLabels, datasetEntityLabels, datasetRelationLabels, batchSize, threads, textMaxLabelsPerPair);
        }
    }
}
