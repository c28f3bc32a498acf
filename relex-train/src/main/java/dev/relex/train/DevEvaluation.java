package dev.relex.train;

import dev.relex.RelexModel;
import dev.relex.data.Example;

import java.util.List;
import java.util.Map;

/**
 * Scores the model being trained on the development examples. The trainer keeps the checkpoint with the
 * best {@link #primaryMetric()}.
 */
public interface DevEvaluation {
    /** Name of the metric that selects the best checkpoint (higher is better). */
    String primaryMetric();

    /** Named scores of {@code model} on {@code dev}; must contain {@link #primaryMetric()}. */
    Map<String, Double> evaluate(RelexModel model, List<Example> dev);
}
