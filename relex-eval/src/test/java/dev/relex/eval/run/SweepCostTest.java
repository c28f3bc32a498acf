package dev.relex.eval.run;

import dev.relex.RelexModel;
import dev.relex.data.Example;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cost of a 100-triple sweep relative to one evaluation pass (the target: at most 1.5×), on CoNLL04 dev
 * with the golden model. Prints the measurement; asserts the ratio only with {@code -Drelex.eval.assertCost=true}
 * (a shared machine makes single timings noisy); {@code -Drelex.eval.costReps=3} repeats the measurement (the
 * figures in docs/RESULTS.md are the best of 3).
 */
class SweepCostTest {
    @Test
    void sweepOfHundredTriplesCostsAtMostOneAndAHalfEvaluations() throws Exception {
        int limit = Integer.getInteger("relex.eval.costTexts", 231);
        int threads = Integer.getInteger("relex.eval.costThreads", 1);
        List<Example> examples = TestData.conll04("dev", limit);
        String modelDir = System.getProperty("relex.eval.costModel");   // e.g. relex-bench/target/relex-bge-small
        try (RelexModel model = RelexModel.load(modelDir == null ? TestData.goldenModel() : java.nio.file.Path.of(modelDir))) {
            // "default": the default grid, evaluation at 0.5. The random model then finds ~12 entities and hundreds of
            // relations per sentence, so the heads and decoding (per entity threshold) dwarf its tiny encoder.
            // "sparse": thresholds where it finds a few entities and relations per sentence, as a trained model does.
            boolean sparse = "sparse".equals(System.getProperty("relex.eval.costGrid", "default"));
            EvaluationConfig cfg = EvaluationConfig.builder().threshold(sparse ? 0.7 : 0.5).adjacencyThreshold(sparse ? 0.65 : 0.5)
                    .relationThreshold(sparse ? 0.75 : 0.5).threads(threads).build();
            SweepConfig grid = sparse ? new SweepConfig(new double[] {0.7, 0.75}, new double[] {0.55, 0.6, 0.65, 0.7, 0.75},
                    new double[] {0.7, 0.72, 0.74, 0.76, 0.78, 0.8, 0.82, 0.84, 0.86, 0.88}, 0.005) : SweepConfig.defaults();
            assertEquals(100, grid.triples());
            new Evaluator(cfg).evaluate(model, examples.subList(0, Math.min(20, examples.size()))); // warm-up
            new ThresholdSweep(cfg, grid).run(model, examples.subList(0, Math.min(20, examples.size())), ProgressListener.NONE);
            double bestRatio = Double.POSITIVE_INFINITY;
            for (int rep = 0; rep < Integer.getInteger("relex.eval.costReps", 1); rep++) {
                long t0 = System.nanoTime();
                EvaluationResult eval = new Evaluator(cfg).evaluate(model, examples);
                long t1 = System.nanoTime();
                ThresholdSweep.Result sweep = new ThresholdSweep(cfg, grid).run(model, examples, ProgressListener.NONE);
                long t2 = System.nanoTime();
                double ratio = (double) (t2 - t1) / (t1 - t0);
                bestRatio = Math.min(bestRatio, ratio);
                System.out.printf("sweep cost (" + (modelDir == null ? "golden relex-span-gcn" : modelDir) + ", %s grid, %d entities, %d relations predicted at the evaluation's thresholds): %d texts, %d threads: evaluation %.0f ms (model %.0f ms), sweep of %d triples "
                                + "(%d scored with refinement) %.0f ms (model %.0f ms): ratio %.2f%n", sparse ? "sparse" : "default",
                        eval.span().entitiesStrict().micro().predicted(), eval.span().relationsStrict().micro().predicted(), examples.size(), threads,
                        (t1 - t0) / 1e6, eval.timings().modelNanos() / 1e6, grid.triples(), sweep.triplesScored(),
                        (t2 - t1) / 1e6, sweep.modelNanos() / 1e6, ratio);
            }
            if (Boolean.getBoolean("relex.eval.assertCost")) assertTrue(bestRatio <= 1.5, "ratio " + bestRatio);
        }
    }
}
