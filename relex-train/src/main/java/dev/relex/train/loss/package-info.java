/**
 * Training losses of GLiNER-Relex, exactly as the reference computes them (golden training README
 * "Losses"), with their input gradients so backward passes can start from them.
 *
 * <h2>Use (one batch)</h2>
 * <pre>{@code
 * LossSettings ls = LossSettings.builder().focalLossAlpha(0.75).focalLossGamma(2).reduction(Reduction.MEAN).build();
 * RelexLoss loss = new RelexLoss(ls, batchTargets, rng, 1.0 / accumulationSteps);
 * for (int i = 0; i < batchTargets.size(); i++) {
 *     loss.entity(i, entityLogits, 0, dEntityLogits, 0);          // span (W, K, C) or token (W, C, 3)
 *     if (loss.includesAdjacencyTerm()) loss.adjacency(i, adjacencyProbabilities, 0, dAdjacency, 0);   // (E, E)
 *     if (loss.includesRelationTerms()) loss.relation(i, relationLogits, 0, dRelationLogits, 0);        // (pairs, R)
 *     // ... backward from the d* arrays ...
 * }
 * LossBreakdown result = loss.result();   // entity, adjacency, relation, total (reference rule)
 * }</pre>
 * Every call overwrites its gradient block with d(total)/d(input) — coefficient, "mean" denominator and
 * upstream scale included. The adjacency gradient is with respect to the adjacency <em>probabilities</em>
 * (the loss takes the module's output; no sigmoid inside).
 *
 * <h2>Pieces</h2>
 * {@link dev.relex.train.loss.FocalBce}: the element-wise focal BCE (float32 intermediates as torch, so
 * the 1e-6 clamps and the rounding of 1 − p match; double accumulation; torch's clamp gradient rules).
 * {@link dev.relex.train.loss.ComponentLosses}: the span, token, adjacency and relation losses of one
 * example on plain arrays. {@link dev.relex.train.loss.NegativeMasking}: {@code negatives}/{@code masking}
 * sub-sampling with per-element Bernoulli draws from the passed generator.
 * {@link dev.relex.train.loss.LossDenominators}: the batch-level "mean" divisors (spans; words·classes;
 * Σ E²; Σ pairs·relation classes). {@link dev.relex.train.loss.RelexLoss}: coefficients, the total rule
 * (bare entity loss without relation classes), accumulation.
 */
package dev.relex.train.loss;
