package dev.relex.eval.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.RelexModel;
import dev.relex.data.Example;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Evaluation runs with the golden random-weight model on CoNLL04 dev sentences: scores do not depend on threads
 * or batch size, reports are byte-identical apart from timings, and a sweep's scores at a triple equal a
 * separate evaluation at that triple.
 */
class EvaluatorGoldenTest {
    static RelexModel model;
    static List<Example> examples;

    @BeforeAll
    static void load() throws Exception {
        model = RelexModel.load(TestData.goldenModel());
        examples = TestData.conll04("dev", 40);
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    static EvaluationConfig.Builder config() {
        return EvaluationConfig.builder().threshold(0.6).adjacencyThreshold(0.5).relationThreshold(0.5);
    }

    static String withoutTimings(ObjectNode report) throws Exception {
        ObjectNode copy = report.deepCopy();
        copy.remove("timings");
        return ReportJson.MAPPER.writeValueAsString(copy);
    }

    @Test
    void scoresDoNotDependOnThreadsOrBatchSize() throws Exception {
        String reference = withoutTimings(ReportJson.evaluation(new Evaluator(config().build()).evaluate(model, examples)));
        for (int[] tb : new int[][] {{2, 8}, {2, 3}, {1, 1}, {1, 40}}) {
            EvaluationResult r = new Evaluator(config().threads(tb[0]).batchSize(tb[1]).build()).evaluate(model, examples);
            String json = withoutTimings(ReportJson.evaluation(r));
            // the config is in the report only through thresholds and labels; batch size/threads are not
            assertEquals(reference, json, "threads " + tb[0] + ", batch " + tb[1]);
        }
        // the model predicts something, so the comparison is not between empty reports
        EvaluationResult r = new Evaluator(config().build()).evaluate(model, examples);
        assertTrue(r.span().entitiesStrict().micro().predicted() > 0, "no entity predicted");
        assertTrue(r.span().relationsStrict().micro().predicted() > 0, "no relation predicted");
        assertEquals(examples.size(), r.texts());
    }

    @Test
    void reportIsByteIdenticalApartFromTimings() throws Exception {
        int[] calls = new int[1];
        EvaluationResult a = new Evaluator(config().threads(2).build()).evaluate(model, examples, (done, total) -> calls[0]++);
        EvaluationResult b = new Evaluator(config().threads(2).build()).evaluate(model, examples);
        assertEquals(5, calls[0]);   // 40 texts in batches of 8
        String ja = ReportJson.MAPPER.writeValueAsString(ReportJson.evaluation(a));
        String jb = ReportJson.MAPPER.writeValueAsString(ReportJson.evaluation(b));
        assertEquals(withoutTimings(ReportJson.evaluation(a)), withoutTimings(ReportJson.evaluation(b)));
        assertTrue(ja.contains("\"timings\""));
        // different thresholds give a different report (the comparison can fail)
        EvaluationResult c = new Evaluator(config().threshold(0.55).build()).evaluate(model, examples);
        assertNotEquals(withoutTimings(ReportJson.evaluation(a)), withoutTimings(ReportJson.evaluation(c)));
    }

    @Test
    void sweepScoresEqualSeparateEvaluations() throws Exception {
        SweepConfig grid = new SweepConfig(new double[] {0.55, 0.65}, new double[] {0.4, 0.6}, new double[] {0.5, 0.7}, 0.05);
        ThresholdSweep.Result sweep = new ThresholdSweep(config().threads(2).build(), grid).run(model, examples, ProgressListener.NONE);
        assertEquals(8, sweep.coarse().size());
        for (ThresholdSweep.Scores s : sweep.coarse()) check(s);
        for (ThresholdSweep.Scores s : sweep.best().values()) check(s);
        // refinement: relation thresholds 0.45 ... 0.75 around the best coarse value, ±1 coarse step (0.2) in 0.05
        assertTrue(sweep.triplesScored() > 8);
    }

    private static void check(ThresholdSweep.Scores s) throws Exception {
        EvaluationResult r = new Evaluator(config().threshold(s.entityThreshold()).adjacencyThreshold(s.adjacencyThreshold())
                .relationThreshold(s.relationThreshold()).build()).evaluate(model, examples);
        String label = s.entityThreshold() + "/" + s.adjacencyThreshold() + "/" + s.relationThreshold();
        assertEquals(ReportJson.MAPPER.writeValueAsString(ReportJson.metrics(r.span().entitiesStrict(), r.span().relationsStrict(),
                        r.span().relationsBoundaries(), r.textLevel())),
                ReportJson.MAPPER.writeValueAsString(ReportJson.metrics(s.span().entitiesStrict(), s.span().relationsStrict(),
                        s.span().relationsBoundaries(), s.textLevel())), label);
    }
}
