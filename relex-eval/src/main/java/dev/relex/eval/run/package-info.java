/**
 * Evaluation runs of a {@link dev.relex.RelexModel} on {@link dev.relex.data.Example}s: batched extraction,
 * conversion of results to word spans, the metrics of {@link dev.relex.eval.metrics}, timings, threshold
 * sweeps from one model pass per text, relation classification with given arguments, and the JSON report.
 */
package dev.relex.eval.run;
