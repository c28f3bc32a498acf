package dev.relex.train.loss;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.train.golden.TrainingGolden;
import dev.relex.train.target.BatchTargets;
import dev.relex.train.target.EntityHead;
import dev.relex.train.target.ExampleTargets;
import dev.relex.train.target.FixedPairs;
import dev.relex.train.target.ReferencePairSampler;
import dev.relex.train.target.TargetBuilder;
import dev.relex.train.target.TargetGoldenTest;
import dev.relex.train.target.TargetSettings;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end without the model: our targets of the golden batch (recorded pairs injected) + the model
 * outputs the reference's loss functions received ({@code forward.safetensors}, cut per example to our
 * targets' shapes) → {@link RelexLoss} → components and total of loss_A and loss_B.
 */
class RelexLossGoldenTest {

    @TestFactory
    List<DynamicTest> relexLossMatchesReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : TrainingGolden.cases()) {
            for (String setting : new String[] {"loss_A", "loss_B"}) {
                tests.add(DynamicTest.dynamicTest(dir.getFileName() + " " + setting, () -> check(dir, setting)));
            }
        }
        assertFalse(tests.isEmpty());
        return tests;
    }

    private static void check(Path dir, String setting) {
        JsonNode batchJson = TrainingGolden.json(dir.resolve("batch.json"));
        JsonNode expected = TrainingGolden.json(dir.resolve("expected.json")).get(setting);
        TargetSettings ts = TargetGoldenTest.settings(dir);
        BatchTargets batch = new TargetBuilder(ts, ts.allPairs() ? new ReferencePairSampler() : new FixedPairs(TargetGoldenTest.recordedPairs(batchJson)))
                .build(TargetGoldenTest.examples(batchJson), new SplittableRandom(1));
        LossSettings ls = LossGoldenTest.settings(expected.get("loss_kwargs"));
        RelexLoss loss = new RelexLoss(ls, batch, null, 1.0);
        try (SafeTensors fw = SafeTensors.open(dir.resolve("forward.safetensors"))) {
            int[] es = fw.info("entity_logits").intShape();
            float[] ent = fw.floats("entity_logits");
            float[] rel = fw.floats("rel_logits");
            int[] rs = fw.info("rel_logits").intShape();
            boolean token = ts.head() == EntityHead.TOKEN;
            for (int b = 0; b < batch.size(); b++) {
                ExampleTargets t = batch.get(b);
                int W = t.words(), C = t.entityClasses();
                float[] x;
                if (token) {
                    x = new float[W * C * 3];
                    for (int w = 0; w < W; w++) for (int c = 0; c < C; c++) for (int k = 0; k < 3; k++)
                        x[(w * C + c) * 3 + k] = ent[((b * es[1] + w) * es[2] + c) * 3 + k];
                } else {
                    int K = es[2];
                    x = new float[W * K * C];
                    for (int f = 0; f < W * K; f++) for (int c = 0; c < C; c++) x[f * C + c] = ent[(b * es[1] * K + f) * es[3] + c];
                }
                loss.entity(b, x, 0, new float[x.length], 0);
                if (loss.includesAdjacencyTerm()) {
                    int E = t.candidates(), Emax = fw.info("adjacency").intShape()[1];
                    float[] adj = fw.floats("adjacency"), a = new float[E * E];
                    for (int i = 0; i < E; i++) for (int j = 0; j < E; j++) a[i * E + j] = adj[(b * Emax + i) * Emax + j];
                    loss.adjacency(b, a, 0, new float[a.length], 0);
                }
                int N = t.pairCount(), R = t.relationClasses();
                float[] r = new float[N * R];
                for (int n = 0; n < N; n++) for (int c = 0; c < R; c++) r[n * R + c] = rel[(b * rs[1] + n) * rs[2] + c];
                loss.relation(b, r, 0, new float[r.length], 0);
            }
        }
        LossBreakdown got = loss.result();
        String where = dir.getFileName() + " " + setting;
        LossGoldenTest.assertClose(expected.get("entity_loss").asDouble(), got.entity(), where + " entity");
        LossGoldenTest.assertClose(expected.get("relation_loss").asDouble(), got.relation(), where + " relation");
        if (expected.get("adjacency_loss").isNull()) assertTrue(Double.isNaN(got.adjacency()), where);
        else LossGoldenTest.assertClose(expected.get("adjacency_loss").asDouble(), got.adjacency(), where + " adjacency");
        LossGoldenTest.assertClose(expected.get("total").asDouble(), got.total(), where + " total");
        assertEquals(ts.allPairs(), !loss.includesAdjacencyTerm());
    }
}
