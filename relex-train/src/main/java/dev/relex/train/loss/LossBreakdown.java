package dev.relex.train.loss;

/**
 * One batch's loss: each component as the reference reports it (reduced: sum, or sum / its denominator)
 * and the total by the reference's rule (see {@link RelexLoss}). {@code adjacency} is NaN without an
 * adjacency term; {@code relation} is NaN when the batch has no relation term.
 */
public record LossBreakdown(double entity, double adjacency, double relation, double total) {}
