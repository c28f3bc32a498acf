package dev.relex.eval.run;

import dev.relex.eval.metrics.SpanMetrics;
import dev.relex.eval.metrics.TypedScores;

import java.util.List;

/**
 * Scores of one evaluation run.
 *
 * @param texts                 examples evaluated
 * @param span                  entities strict, relations strict, relations boundaries
 * @param textLevel             text-level relation triples
 * @param config                the settings used
 * @param entityLabels          dataset-level entity labels in the prompt (examples with fixed labels use theirs)
 * @param relationLabels        dataset-level relation labels
 * @param truncatedTexts        texts longer than the model reads (their tail was not read; gold there stays
 *                              gold, i.e. counts as missed)
 * @param goldEntitiesUnread    gold entities ending beyond the words the model read
 * @param goldRelationsUnread   gold relations with an argument beyond the words the model read
 * @param failures              examples the model rejected (scored as empty predictions), with the message
 * @param timings               wall-clock and model time
 */
public record EvaluationResult(int texts, SpanMetrics.Result span, TypedScores textLevel, EvaluationConfig config,
                               List<String> entityLabels, List<String> relationLabels, int truncatedTexts,
                               int goldEntitiesUnread, int goldRelationsUnread, List<Failure> failures, Timings timings) {
    public record Failure(String exampleId, String message) {}

    /**
     * @param wallNanos  whole run (model, conversion, scoring)
     * @param modelNanos sum over model calls (with several threads this exceeds the wall time)
     */
    public record Timings(long wallNanos, long modelNanos) {
        public double textsPerSecond(int texts) {
            return wallNanos == 0 ? 0 : texts / (wallNanos / 1e9);
        }
    }
}
