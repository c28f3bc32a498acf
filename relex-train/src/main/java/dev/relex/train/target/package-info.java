/**
 * Training targets: what the reference's collator ({@code RelationExtractionSpanProcessor} /
 * {@code RelationExtractionTokenProcessor}, {@code prepare_labels=True}) makes of a batch of
 * {@link dev.relex.data.Example}s, per example and unpadded.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * TargetSettings settings = TargetSettings.fromConfig(glinerConfig);        // or TargetSettings.builder()...
 * TargetBuilder builder = new TargetBuilder(settings);                      // reference pair sampling
 * BatchTargets batch = builder.build(examples, rng);                       // one seeded RandomGenerator per run
 * for (ExampleTargets t : batch.examples()) {
 *     // prompt = t.entityLabels() then t.relationLabels(), in this order (class ids 1.. = prompt order)
 *     // text  = the first t.words() words of the example
 *     // relation candidates for training = gold spans t.candidateStarts()/candidateEnds() (compact indices)
 *     // pairs to score = t.pairs() (sorted; the model's gold-adjacency pair selection gives the same order)
 *     // targets: t.entityTargets(), t.adjacencyTarget() (null for relations_layer "none"), t.relationTargets()
 *     // t.notes(): annotations that could not be represented (log them)
 * }
 * }</pre>
 *
 * <h2>Layouts</h2>
 * Span head: entity targets (words·K, C), flat span f = start·K + (end − start), valid iff start + width
 * &lt; words. Token head: (words, C, 3) = [start, end, inside]. Adjacency target (E, E), 1 at every
 * sampled pair (positive or negative). Relation targets (pairs, R) multi-hot for positive pairs.
 * {@link dev.relex.train.target.BatchTargets} also renders the reference's padded batch tensors
 * ({@code labels}, {@code span_idx}, {@code span_mask}, {@code adj_matrix}, {@code rel_matrix}).
 *
 * <h2>Randomness</h2>
 * All of it (augmentation, negative label types, label-set shuffles, random negative pairs) comes from the
 * one {@link java.util.random.RandomGenerator} passed to {@link dev.relex.train.target.TargetBuilder#build},
 * so a seed reproduces a batch. Python's {@code random} cannot be replayed, so only the rules and
 * distributions equal the reference's. To reproduce a reference batch exactly, use fixed label sets,
 * augmentation off, and inject its pairs with {@link dev.relex.train.target.FixedPairs}.
 *
 * <h2>Deliberate differences from the reference</h2>
 * The span head's compact candidate indices stay consistent with the candidates (the reference shifts them
 * when an entity's label is outside the label set or two entities share a span); self-relations are
 * dropped (the reference gets its relation rows out of step); batches where every example has at most one
 * candidate work for the token head (the reference raises a TypeError). Each dropped annotation is listed
 * in {@link dev.relex.train.target.ExampleTargets#notes()}. See {@link dev.relex.train.target.TargetBuilder}.
 */
package dev.relex.train.target;
