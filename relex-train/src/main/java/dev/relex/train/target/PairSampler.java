package dev.relex.train.target;

import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Chooses the candidate pairs of one example for the adjacency and relation targets (only used when the
 * model has an adjacency layer, i.e. {@code relations_layer ≠ "none"}). The result must contain every
 * positive pair, no pair (i, i), only indices below {@code candidates}, and be sorted lexicographically;
 * {@link TargetBuilder} checks this.
 */
public interface PairSampler {

    /**
     * @param exampleIndex position of the example in its batch
     * @param candidates   number of relation candidates E of the example
     * @param positives    its positive pairs (annotated relations with a label in the label set)
     * @param rng          the batch's random generator
     */
    SampledPairs sample(int exampleIndex, int candidates, Set<CandidatePair> positives, RandomGenerator rng);
}
