package dev.relex.train.target;

import java.util.List;

/**
 * The pairs of one example, sorted lexicographically, and the negative-ratio draw u that produced them
 * (NaN when none was drawn: fixed pairs, all-pairs mode).
 */
public record SampledPairs(List<CandidatePair> pairs, double negativeRatio) {
    public SampledPairs {
        pairs = List.copyOf(pairs);
    }
}
