package dev.relex.train.target;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference's pair-sampling rules on random positive sets. */
class PairSamplerTest {

    @Test
    void rulesHoldOnRandomExamples() {
        SplittableRandom gen = new SplittableRandom(42);
        ReferencePairSampler sampler = new ReferencePairSampler();
        for (int trial = 0; trial < 500; trial++) {
            int E = gen.nextInt(0, 9);
            Set<CandidatePair> pos = new HashSet<>();
            int want = E > 1 ? gen.nextInt(0, Math.min(6, E * (E - 1)) + 1) : 0;
            while (pos.size() < want) {
                int a = gen.nextInt(E), b = gen.nextInt(E);
                if (a != b) pos.add(new CandidatePair(a, b));
            }
            long seed = gen.nextLong();
            SampledPairs s = sampler.sample(0, E, pos, new SplittableRandom(seed));
            List<CandidatePair> pairs = s.pairs();
            String where = "trial " + trial + " E " + E + " positives " + pos + " → " + pairs;
            assertTrue(s.negativeRatio() >= 1 && s.negativeRatio() < 10, where);
            for (int i = 1; i < pairs.size(); i++) assertTrue(pairs.get(i - 1).compareTo(pairs.get(i)) < 0, "sorted, distinct: " + where);
            for (CandidatePair p : pairs) {
                assertTrue(p.head() != p.tail() && p.head() < E && p.tail() < E, "valid pair: " + where);
            }
            assertTrue(pairs.containsAll(pos), "positives present: " + where);
            Set<CandidatePair> reversedNegatives = new HashSet<>();
            for (CandidatePair p : pos) if (!pos.contains(p.reversed())) reversedNegatives.add(p.reversed());
            assertTrue(pairs.containsAll(reversedNegatives), "reversed positives present: " + where);
            long target = Math.max(1, (long) (pos.size() * s.negativeRatio()));
            int negatives = pairs.size() - pos.size();
            int possibleNegatives = E * (E - 1) - pos.size();
            if (E <= 1) {
                assertEquals(reversedNegatives.size(), negatives, where);
            } else {
                // never more than the target unless the reversed positives alone exceed it
                assertTrue(negatives <= Math.max(target, reversedNegatives.size()), where);
                // 10·target attempts are plenty when at most half the ordered pairs are needed
                if (target <= possibleNegatives / 2) assertEquals(Math.max(target, reversedNegatives.size()), negatives, where);
            }
            assertEquals(pairs, sampler.sample(0, E, pos, new SplittableRandom(seed)).pairs(), "deterministic per seed: " + where);
        }
    }

    @Test
    void noPositivesStillGivesOneRandomNegative() {
        SampledPairs s = new ReferencePairSampler().sample(0, 2, Set.of(), new SplittableRandom(1));
        assertEquals(1, s.pairs().size());
        assertTrue(s.pairs().get(0).equals(new CandidatePair(0, 1)) || s.pairs().get(0).equals(new CandidatePair(1, 0)));
        assertTrue(new ReferencePairSampler().sample(0, 1, Set.of(), new SplittableRandom(1)).pairs().isEmpty());
    }

    @Test
    void reversedPositivesAreAddedBeyondTheTarget() {
        // 3 positives, u fixed at 1 → target 3; their 3 reversals are all added although random ones are not needed
        Set<CandidatePair> pos = Set.of(new CandidatePair(0, 1), new CandidatePair(0, 2), new CandidatePair(1, 2));
        SampledPairs s = new ReferencePairSampler(1, 1).sample(0, 3, pos, new SplittableRandom(1));
        assertEquals(List.of(new CandidatePair(0, 1), new CandidatePair(0, 2), new CandidatePair(1, 0), new CandidatePair(1, 2),
                new CandidatePair(2, 0), new CandidatePair(2, 1)), s.pairs());
        // symmetric positives have no reversed negatives: target 2 → two random draws among the 4 others
        Set<CandidatePair> sym = Set.of(new CandidatePair(0, 1), new CandidatePair(1, 0));
        SampledPairs t = new ReferencePairSampler(1, 1).sample(0, 3, sym, new SplittableRandom(2));
        assertEquals(4, t.pairs().size());
    }
}
