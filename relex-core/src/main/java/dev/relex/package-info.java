/**
 * Public API. {@link dev.relex.RelexModel} loads a GLiNER-Relex checkpoint directory and extracts
 * entities and relations for labels named at call time; results are immutable records
 * ({@link dev.relex.ExtractionResult}, {@link dev.relex.Entity}, {@link dev.relex.Relation},
 * {@link dev.relex.Truncation}).
 *
 * <p>Defaults follow the Python reference ({@code model.inference}): thresholds 0.5 with the adjacency and
 * relation thresholds following the entity threshold, flat (non-overlapping) entities, one label per span.
 * Offsets are Java {@code String} indices (UTF-16 units) unless {@link dev.relex.OffsetUnit#CODE_POINTS}
 * is asked for (the reference's unit); {@code entity.text()} is always the exact substring of the input.
 * Deviations from the reference, all deliberate: texts longer than the model accepts are reported
 * ({@link dev.relex.Truncation}) or rejected instead of cut silently; invalid labels fail with a message.
 */
package dev.relex;
