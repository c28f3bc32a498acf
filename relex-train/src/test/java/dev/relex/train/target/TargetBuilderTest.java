package dev.relex.train.target;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetBuilderTest {
    static final List<String> WORDS = List.of("a", "b", "c", "d", "e", "f");

    static TargetSettings span(int k) {
        return TargetSettings.builder().head(EntityHead.SPAN).maxWidth(k).augmentDataProb(0).build();
    }

    static Example fixed(List<EntityMention> ents, List<RelationMention> rels, List<String> entLabels, List<String> relLabels) {
        return new Example("ex", WORDS, ents, rels, entLabels, null, relLabels, null);
    }

    @Test
    void spanTargetsByHand() {
        // entities given unsorted; flat index = start·K + (end − start), K = 3
        Example ex = fixed(List.of(new EntityMention(3, 4, "loc"), new EntityMention(0, 0, "per"), new EntityMention(0, 0, "loc")),
                List.of(new RelationMention(1, 0, "in")), List.of("per", "loc"), List.of("in"));
        ExampleTargets t = new TargetBuilder(span(3), new FixedPairs(List.of(List.of(new CandidatePair(0, 1))))).build(List.of(ex), new SplittableRandom(0)).get(0);
        assertEquals(List.of(new EntityMention(0, 0, "per"), new EntityMention(0, 0, "loc"), new EntityMention(3, 4, "loc")), t.entities());
        assertEquals(List.of(new RelationMention(0, 2, "in")), t.relations());
        float[] expected = new float[6 * 3 * 2];
        expected[0] = 1;                 // (0,0) per
        expected[1] = 1;                 // (0,0) loc: multi-hot
        expected[(3 * 3 + 1) * 2 + 1] = 1;  // (3,4) loc
        assertArrayEquals(expected, t.entityTargets());
        // two entities on one span are one candidate (the reference would shift its compact indices, difference 4)
        assertArrayEquals(new int[] {0, 3}, t.candidateStarts());
        assertArrayEquals(new int[] {0, 4}, t.candidateEnds());
        assertArrayEquals(new int[] {0, 0, 1}, t.entityCandidates());
        assertEquals(List.of(new CandidatePair(0, 1)), t.pairs());
        assertArrayEquals(new float[] {0, 1, 0, 0}, t.adjacencyTarget());
        assertArrayEquals(new float[] {1}, t.relationTargets());
        assertEquals(3 * 4 + 2 + 1, t.validSpans(), "valid spans: 3 per start except the last two starts");
        assertTrue(t.spanValid(3 * 3 + 2) && !t.spanValid(5 * 3 + 1));
    }

    @Test
    void labelOutsideTheSetWiderThanKAndSelfRelationsAreReportedNotShifted() {
        Example ex = fixed(List.of(new EntityMention(0, 0, "per"), new EntityMention(1, 1, "misc"), new EntityMention(2, 5, "org"),
                        new EntityMention(4, 4, "org"), new EntityMention(4, 4, "per")),
                List.of(new RelationMention(0, 1, "r"), new RelationMention(0, 2, "r"), new RelationMention(3, 4, "r"),
                        new RelationMention(0, 3, "r"), new RelationMention(0, 3, "unknown")),
                List.of("per", "org"), List.of("r"));
        ExampleTargets t = new TargetBuilder(span(3)).build(List.of(ex), new SplittableRandom(0)).get(0);
        // candidates: (0,0) and (4,4); "misc" not in the set, (2,5) wider than K = 3
        assertEquals(2, t.candidates());
        assertArrayEquals(new int[] {0, -1, -1, 1, 1}, t.entityCandidates());
        // only (0,3) → candidates (0,1) survives; 4 notes for the dropped relations, 2 for the entities
        assertTrue(t.pairs().contains(new CandidatePair(0, 1)));
        assertEquals(1, countPositives(t));
        assertEquals(6, t.notes().size(), t.notes().toString());
        assertTrue(t.notes().stream().anyMatch(n -> n.contains("self-relation")), t.notes().toString());
        assertTrue(t.notes().stream().anyMatch(n -> n.contains("wider than max_width")), t.notes().toString());
        assertTrue(t.notes().stream().anyMatch(n -> n.contains("unknown")), t.notes().toString());
    }

    @Test
    void tokenTargetsByHandAndSingleCandidateBatches() {
        TargetSettings s = TargetSettings.builder().head(EntityHead.TOKEN).maxWidth(2).augmentDataProb(0).build();
        Example ex = fixed(List.of(new EntityMention(1, 4, "org")), List.of(), List.of("per", "org"), List.of("r"));
        // every example has ≤ 1 candidate: the reference raises a TypeError here (difference 5)
        BatchTargets b = new TargetBuilder(s).build(List.of(ex, ex), new SplittableRandom(0));
        ExampleTargets t = b.get(0);
        float[] expected = new float[6 * 2 * 3];
        expected[(1 * 2 + 1) * 3] = 1;          // start word 1, class org
        expected[(4 * 2 + 1) * 3 + 1] = 1;      // end word 4
        for (int w = 1; w <= 4; w++) expected[(w * 2 + 1) * 3 + 2] = 1;
        assertArrayEquals(expected, t.entityTargets());
        assertArrayEquals(new int[] {1}, t.candidateStarts());   // no width limit for the token head
        assertTrue(t.pairs().isEmpty());
        assertArrayEquals(new float[] {0}, t.adjacencyTarget());
        assertEquals(1, b.maxCandidates());
    }

    @Test
    void allPairsModeIsRowMajorWithoutAdjacency() {
        TargetSettings s = TargetSettings.builder().maxWidth(2).augmentDataProb(0).allPairs(true).build();
        Example ex = fixed(List.of(new EntityMention(0, 0, "p"), new EntityMention(2, 2, "p"), new EntityMention(4, 4, "p")),
                List.of(new RelationMention(2, 0, "r")), List.of("p"), List.of("q", "r"));
        ExampleTargets t = new TargetBuilder(s).build(List.of(ex), new SplittableRandom(0)).get(0);
        assertEquals(List.of(new CandidatePair(0, 1), new CandidatePair(0, 2), new CandidatePair(1, 0), new CandidatePair(1, 2),
                new CandidatePair(2, 0), new CandidatePair(2, 1)), t.pairs());
        assertNull(t.adjacencyTarget());
        assertTrue(Double.isNaN(t.negativeRatio()));
        float[] rel = new float[6 * 2];
        rel[4 * 2 + 1] = 1;                      // pair (2,0), class r
        assertArrayEquals(rel, t.relationTargets());
    }

    @Test
    void truncationToMaxLenIsReported() {
        TargetSettings s = TargetSettings.builder().maxWidth(2).maxLen(4).augmentDataProb(0).build();
        Example ex = fixed(List.of(new EntityMention(0, 0, "p"), new EntityMention(4, 5, "p")), List.of(new RelationMention(0, 1, "r")),
                List.of("p"), List.of("r"));
        ExampleTargets t = new TargetBuilder(s).build(List.of(ex), new SplittableRandom(0)).get(0);
        assertEquals(4, t.words());
        assertEquals(1, t.candidates());
        assertEquals(3, t.notes().size(), t.notes().toString());   // truncation, entity beyond, relation dropped
    }

    @Test
    void emptyTextContributesNothingAndIsReported() {
        Example empty = new Example("empty", List.of(), List.of(), List.of(), List.of("p"), null, List.of("r"), null);
        ExampleTargets t = new TargetBuilder(span(2)).build(List.of(empty), new SplittableRandom(0)).get(0);
        assertEquals(0, t.words());
        assertEquals(0, t.validSpans());
        assertEquals(0, t.entityTargets().length);
        assertEquals(1, t.notes().size(), t.notes().toString());
    }

    @Test
    void repeatedFixedLabelIsRejectedNamingTheExample() {
        Example ex = fixed(List.of(), List.of(), List.of("p", "q", "p"), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TargetBuilder(span(2)).build(List.of(ex), new SplittableRandom(0)));
        assertTrue(e.getMessage().startsWith("ex:"), e.getMessage());
    }

    @Test
    void injectedPairsMustBeConsistent() {
        Example ex = fixed(List.of(new EntityMention(0, 0, "p"), new EntityMention(2, 2, "p")), List.of(new RelationMention(0, 1, "r")),
                List.of("p"), List.of("r"));
        assertThrows(IllegalArgumentException.class, () -> new TargetBuilder(span(2), new FixedPairs(List.of(List.of(new CandidatePair(1, 0)))))
                .build(List.of(ex), new SplittableRandom(0)));      // positive (0,1) missing
        assertThrows(IllegalArgumentException.class, () -> new TargetBuilder(span(2),
                new FixedPairs(List.of(List.of(new CandidatePair(1, 0), new CandidatePair(0, 1))))).build(List.of(ex), new SplittableRandom(0)));
    }

    @Test
    void sampledLabelSetsFollowTheRules() {
        TargetSettings s = TargetSettings.builder().maxWidth(3).augmentDataProb(0).maxNegTypeRatio(2).maxTypes(4).build();
        Example a = new Example("a", WORDS, List.of(new EntityMention(0, 0, "per"), new EntityMention(1, 1, "org")),
                List.of(new RelationMention(0, 1, "works for")));
        Example b = new Example("b", WORDS, List.of(new EntityMention(2, 2, "city"), new EntityMention(3, 3, "date"), new EntityMention(4, 4, "per")),
                List.of(new RelationMention(0, 1, "founded"), new RelationMention(2, 0, "born in")));
        Example c = new Example("c", WORDS, List.of(new EntityMention(0, 0, "per")), List.of(), null, List.of("animal"), null, List.of("eats"));
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            BatchTargets t = new TargetBuilder(s).build(List.of(a, b, c), new SplittableRandom(seed));
            for (ExampleTargets e : t.examples()) {
                assertTrue(e.entityLabels().size() <= 4 && new HashSet<>(e.entityLabels()).size() == e.entityLabels().size());
                Set<String> pool = Set.of("per", "org", "city", "date");
                if (e.id().equals("c")) {
                    assertEquals(Set.of("per", "animal"), new HashSet<>(e.entityLabels()), "explicit negatives");
                } else {
                    assertTrue(pool.containsAll(e.entityLabels()), e.entityLabels().toString());
                }
                if (e.id().equals("a")) {
                    assertTrue(e.entityLabels().containsAll(List.of("per", "org")), "positives kept: " + e.entityLabels());
                    seen.add(e.entityLabels());
                }
            }
            assertEquals(summary(t), summary(new TargetBuilder(s).build(List.of(a, b, c), new SplittableRandom(seed))), "deterministic per seed");
        }
        assertTrue(seen.size() > 2, "label order and negatives vary with the seed: " + seen);
    }

    @Test
    void augmentationDropsTypesButKeepsIndicesConsistent() {
        TargetSettings s = TargetSettings.builder().maxWidth(3).augmentDataProb(1).augmentEntDropProb(0.5, 0.5)
                .augmentRelDropProb(0.3, 0.3).augmentAddOtherProb(0.5).build();
        List<EntityMention> ents = List.of(new EntityMention(0, 0, "per"), new EntityMention(1, 1, "org"), new EntityMention(2, 2, "loc"),
                new EntityMention(3, 3, "date"));
        List<RelationMention> rels = List.of(new RelationMention(0, 1, "works for"), new RelationMention(1, 2, "located in"));
        boolean sawOther = false, sawDrop = false;
        for (long seed = 0; seed < 200; seed++) {
            ExampleTargets t = new TargetBuilder(s).build(List.of(new Example("x", WORDS, ents, rels)), new SplittableRandom(seed)).get(0);
            sawOther |= t.entities().stream().anyMatch(e -> e.label().equals(TargetSettings.OTHER));
            sawDrop |= t.entities().size() < 4;
            for (EntityMention e : t.entities()) assertTrue(e.label().equals("other") || ents.contains(e), e.toString());
            for (RelationMention r : t.relations()) {
                EntityMention h = t.entities().get(r.head()), tl = t.entities().get(r.tail());
                RelationMention orig = rels.stream().filter(o -> o.label().equals(r.label())).findFirst().orElseThrow();
                assertEquals(ents.get(orig.head()).start(), h.start(), "relation head still on its span");
                assertEquals(ents.get(orig.tail()).start(), tl.start(), "relation tail still on its span");
            }
            for (EntityMention e : t.entities()) assertTrue(t.entityLabels().contains(e.label()), "dynamic label set holds kept types");
            assertTrue(t.notes().isEmpty(), t.notes().toString());
        }
        assertTrue(sawOther && sawDrop);
    }

    @Test
    void fixedLabelSetsAreAugmentedToo() {
        TargetSettings s = TargetSettings.builder().maxWidth(3).augmentDataProb(1).augmentEntDropProb(1, 1).augmentAddOtherProb(0).build();
        Example ex = fixed(List.of(new EntityMention(0, 0, "per")), List.of(), List.of("per", "org"), List.of());
        ExampleTargets t = new TargetBuilder(s).build(List.of(ex), new SplittableRandom(0)).get(0);
        assertTrue(t.entities().isEmpty());
        assertEquals(List.of("per", "org"), t.entityLabels());
    }

    private static int countPositives(ExampleTargets t) {
        int n = 0;
        for (boolean b : t.pairPositive()) if (b) n++;
        return n;
    }

    private static List<String> summary(BatchTargets b) {
        List<String> out = new ArrayList<>();
        for (ExampleTargets t : b.examples()) {
            out.add(t.entityLabels() + " " + t.relationLabels() + " " + t.pairs() + " " + t.negativeRatio() + " "
                    + java.util.Arrays.toString(t.entityTargets()) + " " + java.util.Arrays.toString(t.relationTargets()));
        }
        return out;
    }
}
