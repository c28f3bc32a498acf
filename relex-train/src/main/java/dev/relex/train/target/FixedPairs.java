package dev.relex.train.target;

import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Pairs given from outside, one list per example of the batch (e.g. the pairs the reference sampled,
 * {@code batch.json["per_example"][i]["pairs"]}, to compare targets with its batch). Draws nothing.
 */
public final class FixedPairs implements PairSampler {
    private final List<List<CandidatePair>> perExample;

    public FixedPairs(List<List<CandidatePair>> perExample) {
        this.perExample = perExample.stream().map(List::copyOf).toList();
    }

    @Override
    public SampledPairs sample(int exampleIndex, int candidates, Set<CandidatePair> positives, RandomGenerator rng) {
        if (exampleIndex >= perExample.size()) {
            throw new IllegalArgumentException("no fixed pairs given for example " + exampleIndex + " (" + perExample.size() + " lists)");
        }
        return new SampledPairs(perExample.get(exampleIndex), Double.NaN);
    }
}
