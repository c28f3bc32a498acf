package dev.relex.eval.run;

import dev.relex.GivenEntity;
import dev.relex.RelationScores;
import dev.relex.RelexModel;
import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.eval.metrics.ClassificationMetrics;
import dev.relex.eval.metrics.Prf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Classification runs against direct {@code scoreRelations} calls, and failure handling of the evaluator. */
class ClassificationAndFailuresTest {
    static RelexModel model;
    static final List<String> LABELS = List.of("born in", "works for", "capital of");

    @BeforeAll
    static void load() {
        model = RelexModel.load(TestData.goldenModel());
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    /** "Ada Lovelace worked with Charles Babbage in London ." with gold relations between the three entities. */
    static Example example(String id, List<RelationMention> rels) {
        List<String> words = List.of("Ada", "Lovelace", "worked", "with", "Charles", "Babbage", "in", "London", ".");
        List<EntityMention> ents = List.of(new EntityMention(0, 1, "person"), new EntityMention(4, 5, "person"),
                new EntityMention(7, 7, "city"));
        return new Example(id, words, ents, rels);
    }

    @Test
    void singleLabelPredictionIsTheArgMaxOfTheModelsScores() {
        List<Example> examples = List.of(
                example("a", List.of(new RelationMention(0, 2, "born in"), new RelationMention(1, 0, "works for"))),
                example("b", List.of(new RelationMention(2, 1, "capital of"))));
        ClassificationRun.Result r = new ClassificationRun(ClassificationRun.Protocol.SINGLE_LABEL, LABELS, 0, 2)
                .run(model, examples, ProgressListener.NONE);
        assertEquals(3, r.instances());
        assertTrue(r.failures().isEmpty());
        // independent: one scoreRelations call per pair, arg-max by hand
        List<ClassificationMetrics.Instance> expected = new ArrayList<>();
        String text = "Ada Lovelace worked with Charles Babbage in London .";
        List<GivenEntity> given = List.of(new GivenEntity(0, 12, "person"), new GivenEntity(25, 40, "person"),
                new GivenEntity(44, 50, "city"));
        int[][] pairs = {{0, 2}, {1, 0}, {2, 1}};
        String[] gold = {"born in", "works for", "capital of"};
        for (int k = 0; k < pairs.length; k++) {
            RelationScores s = model.scoreRelations(text, given, null, LABELS, List.of(pairs[k]), true);
            float[] p = s.pairs().get(0).probabilities();
            int best = 0;
            for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
            expected.add(ClassificationMetrics.Instance.single(gold[k], LABELS.get(best)));
        }
        ClassificationMetrics.Result e = ClassificationMetrics.singleLabel(LABELS, expected);
        assertEquals(e.perLabel(), r.scores().perLabel());
        assertEquals(e.macroF1(), r.scores().macroF1(), 1e-12);
    }

    @Test
    void multiLabelGroupsLabelsPerPairAndThresholdsZeroAndOne() {
        List<Example> examples = List.of(example("a", List.of(new RelationMention(0, 2, "born in"),
                new RelationMention(0, 2, "works for"), new RelationMention(1, 0, "works for"))));
        // threshold 0: every label predicted for both pairs
        ClassificationRun.Result all = new ClassificationRun(ClassificationRun.Protocol.MULTI_LABEL, LABELS, 0, 1)
                .run(model, examples, ProgressListener.NONE);
        assertEquals(2, all.instances());
        assertEquals(new Prf(1, 2, 1), all.scores().perLabel().perType().get("born in"));
        assertEquals(new Prf(2, 2, 2), all.scores().perLabel().perType().get("works for"));
        assertEquals(List.of("born in", "works for"), all.scores().labels());   // gold types only are averaged
        // born in F1 = 2·50·100/150, works for 100
        assertEquals((200.0 / 3 + 100) / 2, all.scores().macroF1(), 1e-9);
        ClassificationRun.Result none = new ClassificationRun(ClassificationRun.Protocol.MULTI_LABEL, LABELS, 1, 1)
                .run(model, examples, ProgressListener.NONE);
        assertEquals(0, none.scores().macroF1(), 1e-12);
        assertEquals(new Prf(0, 0, 3), none.scores().perLabel().micro());
    }

    @Test
    void singleLabelWithAGoldLabelOutsideThePromptIsReportedNotScored() {
        List<Example> examples = List.of(example("bad", List.of(new RelationMention(0, 2, "married to"))),
                example("ok", List.of(new RelationMention(0, 2, "born in"))));
        ClassificationRun.Result r = new ClassificationRun(ClassificationRun.Protocol.SINGLE_LABEL, LABELS, 0, 1)
                .run(model, examples, ProgressListener.NONE);
        assertEquals(1, r.failures().size());
        assertEquals("bad", r.failures().get(0).exampleId());
        assertTrue(r.failures().get(0).message().contains("married to"), r.failures().get(0).message());
        assertEquals(1, r.scores().perLabel().micro().gold());
    }

    @Test
    void anExampleTheModelRejectsIsReportedAndScoredEmptyWithoutCostingTheOthers() {
        Example good = example("good", List.of(new RelationMention(0, 2, "born in")));
        // fixed, empty entity label set: the model rejects it ("no entity labels")
        Example bad = new Example("bad", good.words(), good.entities(), good.relations(), List.of(), null, null, null);
        EvaluationConfig cfg = EvaluationConfig.builder().threshold(0.6).build();
        EvaluationResult alone = new Evaluator(cfg).evaluate(model, List.of(good, good));
        EvaluationResult mixed = new Evaluator(cfg).evaluate(model, List.of(good, bad, good));
        assertEquals(1, mixed.failures().size());
        assertEquals("bad", mixed.failures().get(0).exampleId());
        Prf a = alone.span().entitiesStrict().micro(), m = mixed.span().entitiesStrict().micro();
        // same predictions as without the bad example, and its 3 gold entities count as missed
        assertEquals(new Prf(a.correct(), a.predicted(), a.gold() + 3), m);
        assertEquals(Set.of("city", "person"), Set.copyOf(mixed.entityLabels()));
    }

    @Test
    void aWordWithWhitespaceIsReportedByEvaluationAndSweep() {
        Example good = example("good", List.of(new RelationMention(0, 2, "born in")));
        List<String> words = new ArrayList<>(good.words());
        words.set(7, "New York");   // would become two words when read pre-tokenized
        Example bad = new Example("spaced", words, good.entities(), good.relations());
        EvaluationConfig cfg = EvaluationConfig.builder().threshold(0.6).build();
        EvaluationResult r = new Evaluator(cfg).evaluate(model, List.of(good, bad));
        assertEquals(1, r.failures().size());
        assertTrue(r.failures().get(0).message().contains("New York"), r.failures().get(0).message());
        assertEquals(6, r.span().entitiesStrict().micro().gold());
        ThresholdSweep.Result s = new ThresholdSweep(cfg, new SweepConfig(new double[] {0.6}, new double[] {0.6},
                new double[] {0.6}, 0.05)).run(model, List.of(good, bad), ProgressListener.NONE);
        assertEquals(List.of("spaced"), s.failures().stream().map(EvaluationResult.Failure::exampleId).toList());
        assertEquals(r.span().entitiesStrict().micro(), s.coarse().get(0).span().entitiesStrict().micro());
    }
}
