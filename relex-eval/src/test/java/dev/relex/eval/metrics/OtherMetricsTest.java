package dev.relex.eval.metrics;

import dev.relex.eval.metrics.ClassificationMetrics.Instance;
import dev.relex.eval.metrics.DocumentRelationMetrics.Fact;
import dev.relex.eval.metrics.DocumentRelationMetrics.NamedFact;
import dev.relex.eval.metrics.TextTripleMetrics.Gold;
import dev.relex.eval.metrics.TextTripleMetrics.Predicted;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Text-level, DocRED document-level and classification metrics on hand-computed examples. */
class OtherMetricsTest {
    static final double EPS = 1e-3;

    @Test
    void normalisation() {
        assertEquals("white house", TextNormalizer.normalize("  The White   House "));
        assertEquals("washington, d.c.", TextNormalizer.normalize("Washington , D.C ."));
        assertEquals("f(x) [1 ]", TextNormalizer.normalize("F( x ) [ 1 ]"));   // spec: no rule for a space before "]"
        assertEquals("theodore", TextNormalizer.normalize("Theodore"));   // not an article
        assertEquals("apple", TextNormalizer.normalize("an apple"));
        assertEquals("a", TextNormalizer.normalize("A"));                  // only a leading article followed by a space
    }

    @Test
    void textLevelMatchesNormalisedTextsAndIgnoresTypes() {
        List<Gold> gold = List.of(Gold.of("John Smith", "work for", "IBM"),
                Gold.of("The White House", "located in", "Washington , D.C ."));
        TypedScores s = new TextTripleMetrics().add(gold, List.of(
                new Predicted("john  smith", "work for", "ibm", 0.9),
                new Predicted("White House", "located in", "Washington, D.C.", 0.8))).result();
        assertEquals(new Prf(2, 2, 2), s.micro());
        // wrong direction and wrong relation
        s = new TextTripleMetrics().add(gold, List.of(new Predicted("IBM", "work for", "John Smith", 0.9),
                new Predicted("John Smith", "located in", "IBM", 0.5))).result();
        assertEquals(new Prf(0, 2, 2), s.micro());
        assertEquals(0, s.macroF1(), EPS);
    }

    @Test
    void textLevelDuplicatesCountOnceAndAliasesMatchOneToOne() {
        Gold obama = new Gold(List.of("Barack Obama", "Obama"), "spouse", List.of("Michelle Obama"));
        TypedScores s = new TextTripleMetrics().add(List.of(obama, obama), List.of(
                new Predicted("Obama", "spouse", "Michelle Obama", 0.7),
                new Predicted("obama", "spouse", "Michelle  Obama", 0.9),      // same triple after normalisation
                new Predicted("Barack Obama", "spouse", "Michelle Obama", 0.8))).result();
        // gold: one triple (the duplicate collapses); predictions: two distinct; one-to-one → one correct
        assertEquals(new Prf(1, 2, 1), s.micro());
        assertEquals(50, s.micro().precision(), EPS);
        assertEquals(100, s.micro().recall(), EPS);
    }

    @Test
    void textLevelGreedyUsesScoreOrderAndPerLabelMacro() {
        // Two gold triples with the same head/tail texts but different relations; a relation type absent from gold.
        List<Gold> gold = List.of(Gold.of("A", "r1", "B"), Gold.of("A", "r2", "B"));
        TypedScores s = new TextTripleMetrics().add(gold, List.of(new Predicted("A", "r1", "B", 0.9),
                new Predicted("A", "r3", "B", 0.8))).result();
        assertEquals(new Prf(1, 2, 2), s.micro());
        assertEquals(100.0 / 3, s.macroF1(), EPS);     // r1 100, r2 0, r3 0
        // at most one label per (head, tail): the best-scoring r1 survives, r3 is dropped
        s = new TextTripleMetrics(1).add(gold, List.of(new Predicted("A", "r3", "B", 0.8),
                new Predicted("A", "r1", "B", 0.9))).result();
        assertEquals(new Prf(1, 1, 2), s.micro());
    }

    @Test
    void textLevelGoldAsPredictionScores100() {
        List<Gold> gold = List.of(Gold.of("A b", "r1", "C"), Gold.of("A b", "r1", "D"), Gold.of("D", "r2", "C"));
        List<Predicted> pred = gold.stream().map(g -> new Predicted(g.headAliases().get(0), g.relation(),
                g.tailAliases().get(0), 1)).toList();
        TypedScores s = new TextTripleMetrics().add(gold, pred).result();
        assertEquals(100, s.micro().f1(), EPS);
        assertEquals(100, s.macroF1(), EPS);
    }

    @Test
    void docredFactsAndIgnF1() {
        List<List<String>> names = List.of(List.of("Obama", "Barack Obama"), List.of("Hawaii"), List.of("USA"));
        List<Fact> gold = List.of(new Fact(0, 1, "P19"), new Fact(1, 2, "P17"));
        List<Fact> pred = List.of(new Fact(0, 1, "P19"), new Fact(0, 1, "P19"), new Fact(0, 2, "P27"));
        DocumentRelationMetrics.Result r = new DocumentRelationMetrics(Set.of()).add(names, gold, pred).result();
        assertEquals(new Prf(1, 2, 2), r.facts().micro());
        assertEquals(50, r.ignF1(), EPS);   // nothing to ignore: Ign F1 = F1
        // (Barack Obama, Hawaii, P19) is a training fact: the correct prediction leaves both counts
        r = new DocumentRelationMetrics(Set.of(new NamedFact("Barack Obama", "Hawaii", "P19")))
                .add(names, gold, pred).result();
        assertEquals(1, r.correctInTrain());
        assertEquals(0, r.ignPrecision(), EPS);   // (1 - 1) / (2 - 1)
        assertEquals(0, r.ignF1(), EPS);
        assertEquals(50, r.facts().micro().f1(), EPS);
        // the training fact in the other direction does not count
        r = new DocumentRelationMetrics(Set.of(new NamedFact("Hawaii", "Obama", "P19"))).add(names, gold, pred).result();
        assertEquals(0, r.correctInTrain());
        r = new DocumentRelationMetrics(Set.of()).add(names, gold, gold).result();
        assertEquals(100, r.facts().micro().f1(), EPS);
        assertEquals(100, r.ignF1(), EPS);
    }

    @Test
    void fewrelSingleLabelMacro() {
        List<String> labels = List.of("a", "b", "c");
        ClassificationMetrics.Result r = ClassificationMetrics.singleLabel(labels, List.of(
                Instance.single("a", "a"), Instance.single("a", "b"), Instance.single("b", "b"), Instance.single("c", "b")));
        // a: P 1/1, R 1/2; b: P 1/3, R 1/1; c: never predicted, P 0, R 0
        assertEquals((100 + 100.0 / 3 + 0) / 3, r.macroPrecision(), EPS);
        assertEquals((50 + 100 + 0) / 3.0, r.macroRecall(), EPS);
        assertEquals(47.0588, r.macroF1(), EPS);                  // 2 · 44.444 · 50 / 94.444
        assertEquals((200.0 / 3 + 50 + 0) / 3, r.meanPerLabelF1(), EPS);
        r = ClassificationMetrics.singleLabel(labels, List.of(Instance.single("a", "a"), Instance.single("b", "b"),
                Instance.single("c", "c")));
        assertEquals(100, r.macroF1(), EPS);
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.singleLabel(labels,
                List.of(new Instance(Set.of("a", "b"), Set.of("a")))));
    }

    @Test
    void crossreMultiLabelMacroOverGoldLabels() {
        List<Instance> inst = List.of(new Instance(Set.of("x", "y"), Set.of("x")),
                new Instance(Set.of("y"), Set.of("y", "z")));
        ClassificationMetrics.Result r = ClassificationMetrics.multiLabel(List.of("x", "y"), inst);
        // x: 1/1, 1/1 → 100; y: P 1/1, R 1/2 → 66.667; z is not a gold label and is not averaged
        assertEquals((100 + 200.0 / 3) / 2, r.macroF1(), EPS);
        assertEquals(new Prf(0, 1, 0), r.perLabel().perType().get("z"));
        r = ClassificationMetrics.multiLabel(List.of("x", "y"), List.of(new Instance(Set.of("x", "y"), Set.of("x", "y"))));
        assertEquals(100, r.macroF1(), EPS);
    }
}
