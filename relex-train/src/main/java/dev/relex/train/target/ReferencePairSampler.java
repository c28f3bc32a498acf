package dev.relex.train.target;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The reference's pair sampling (processor.py:1840-1981, golden README "Pairs" and difference 3): draw
 * u ~ U(min, max) (for every example, even without positives); target = max(1, ⌊#positives·u⌋); add every
 * reversed positive that is not itself positive (all of them, even beyond the target); then, only if
 * E > 1 and fewer negatives than the target, draw ordered pairs (i, j) uniformly with i ≠ j that are not
 * yet present, for at most 10·target attempts; sort everything lexicographically.
 *
 * <p>Random calls per example: one {@code nextDouble(min, max)}, then two {@code nextInt(E)} per
 * attempt. Python's {@code random} cannot be replayed in Java, so the sampled pairs follow the same rules
 * and distribution as the reference but are not the same pairs.
 */
public final class ReferencePairSampler implements PairSampler {
    private final double minRatio, maxRatio;

    /** The reference's {@code negative_ratio = (1.0, 10.0)}. */
    public ReferencePairSampler() {
        this(1.0, 10.0);
    }

    public ReferencePairSampler(double minRatio, double maxRatio) {
        if (!(minRatio >= 0 && maxRatio >= minRatio)) {
            throw new IllegalArgumentException("negative ratio range must satisfy 0 ≤ min ≤ max, found [" + minRatio + ", " + maxRatio + "]");
        }
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
    }

    @Override
    public SampledPairs sample(int exampleIndex, int candidates, Set<CandidatePair> positives, RandomGenerator rng) {
        double u = minRatio == maxRatio ? minRatio : rng.nextDouble(minRatio, maxRatio);
        long target = Math.max(1, (long) (positives.size() * u));
        Set<CandidatePair> negatives = new LinkedHashSet<>();
        for (CandidatePair p : positives) {
            CandidatePair r = p.reversed();
            if (!positives.contains(r)) negatives.add(r);
        }
        if (candidates > 1 && negatives.size() < target) {
            long attempts = 0, maxAttempts = target * 10;
            while (negatives.size() < target && attempts < maxAttempts) {
                attempts++;
                int a = rng.nextInt(candidates), b = rng.nextInt(candidates);
                if (a == b) continue;
                CandidatePair p = new CandidatePair(a, b);
                if (positives.contains(p) || negatives.contains(p)) continue;
                negatives.add(p);
            }
        }
        List<CandidatePair> all = new ArrayList<>(positives.size() + negatives.size());
        all.addAll(positives);
        all.addAll(negatives);
        all.sort(null);
        return new SampledPairs(all, u);
    }
}
