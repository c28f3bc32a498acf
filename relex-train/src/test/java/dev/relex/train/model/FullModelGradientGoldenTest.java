package dev.relex.train.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.data.Example;
import dev.relex.engine.Parameter;
import dev.relex.golden.RelexGolden;
import dev.relex.train.golden.TrainingGolden;
import dev.relex.train.loss.LossBreakdown;
import dev.relex.train.loss.LossGoldenTest;
import dev.relex.train.target.BatchTargets;
import dev.relex.train.target.FixedPairs;
import dev.relex.train.target.ReferencePairSampler;
import dev.relex.train.target.TargetBuilder;
import dev.relex.train.target.TargetGoldenTest;
import dev.relex.train.target.TargetSettings;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole training computation against the reference, for every case of {@code golden/training}: our
 * targets of the golden batch (the reference's sampled pairs injected), our input ids, the encoder and
 * heads training forward, the losses, and every backward pass, compared with the reference's loss
 * components ({@code expected.json}) and the gradient of every parameter ({@code grads.safetensors} for
 * setting A, {@code grads_lossopts.safetensors} for setting B), with the golden README's tolerance:
 * |Δ| ≤ 1e-4·max|g_T| + 1e-7·max over all tensors |g|.
 */
class FullModelGradientGoldenTest {

    @TestFactory
    List<DynamicTest> gradientsOfEveryParameterMatchTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : TrainingGolden.cases()) {
            for (String setting : new String[] {"loss_A", "loss_B"}) {
                tests.add(DynamicTest.dynamicTest(dir.getFileName() + " " + setting, () -> check(dir, setting)));
            }
        }
        assertFalse(tests.isEmpty(), "no golden training cases");
        return tests;
    }

    private static void check(Path dir, String setting) {
        Path modelCase = RelexGolden.golden().resolve(dir.getFileName());
        JsonNode batchJson = TrainingGolden.json(dir.resolve("batch.json"));
        JsonNode expected = TrainingGolden.json(dir.resolve("expected.json")).get(setting);
        TargetSettings ts = TargetGoldenTest.settings(dir);
        List<Example> examples = TargetGoldenTest.examples(batchJson);
        BatchTargets targets = new TargetBuilder(ts, ts.allPairs() ? new ReferencePairSampler()
                : new FixedPairs(TargetGoldenTest.recordedPairs(batchJson))).build(examples, new SplittableRandom(1));
        try (TrainableRelexModel model = TrainableRelexModel.load(modelCase.resolve("model"),
                RelexGolden.tokenizerFor(modelCase))) {
            model.headDropout(0); // the reference's batch was made with every dropout at 0
            LossBreakdown loss = model.forwardBackward(examples, targets, LossGoldenTest.settings(expected.get("loss_kwargs")),
                    new SplittableRandom(2), 0, 1.0);
            assertLoss(expected, "entity_loss", loss.entity());
            assertLoss(expected, "relation_loss", loss.relation());
            if (!expected.get("adjacency_loss").isNull()) assertLoss(expected, "adjacency_loss", loss.adjacency());
            assertLoss(expected, "total", loss.total());

            String file = setting.equals("loss_A") ? "grads.safetensors" : "grads_lossopts.safetensors";
            try (SafeTensors g = SafeTensors.open(dir.resolve(file))) {
                Map<String, float[]> ref = new HashMap<>();
                double globalMax = 0;
                for (Parameter p : model.parameters()) {
                    float[] r = referenceGradient(g, p);
                    ref.put(p.name(), r);
                    for (float v : r) globalMax = Math.max(globalMax, Math.abs(v));
                }
                List<String> failures = new ArrayList<>();
                for (Parameter p : model.parameters()) {
                    float[] r = ref.get(p.name());
                    float[] ours = p.hasGrad() ? p.grad() : new float[p.data().length];
                    double tensorMax = 0;
                    for (float v : r) tensorMax = Math.max(tensorMax, Math.abs(v));
                    double tol = 1e-4 * tensorMax + 1e-7 * globalMax;
                    double worst = 0;
                    int at = -1;
                    for (int i = 0; i < p.size(); i++) {
                        double d = Math.abs(ours[p.offset() + i] - r[i]);
                        if (d > worst) {
                            worst = d;
                            at = i;
                        }
                    }
                    if (worst > tol) {
                        failures.add(p.name() + ": max |Δ| " + worst + " at " + at + " (ours " + ours[p.offset() + at]
                                + ", reference " + r[at] + ") > tolerance " + tol);
                    }
                }
                assertTrue(failures.isEmpty(), failures.size() + " of " + model.parameters().size()
                        + " gradients differ:\n" + String.join("\n", failures));
                // Every trained parameter of the reference is one of ours, and vice versa.
                for (String name : g.names()) {
                    String base = name.replace("::rows", "").replace("::values", "");
                    assertTrue(ref.containsKey(base) || model.untrainedKeys().contains(base),
                            "reference gradient " + base + " has no parameter here");
                }
            }
        }
    }

    private static void assertLoss(JsonNode expected, String key, double actual) {
        double e = expected.get(key).asDouble();
        assertEquals(e, actual, 1e-4 * Math.abs(e) + 1e-6, key);
    }

    /** The reference gradient of p as a dense array (the word embedding is stored sparse). */
    private static float[] referenceGradient(SafeTensors g, Parameter p) {
        if (g.names().contains(p.name())) return g.floats(p.name());
        String rowsKey = p.name() + "::rows";
        assertTrue(g.names().contains(rowsKey), "no reference gradient for " + p.name());
        long[] rows = g.longs(rowsKey);
        float[] values = g.floats(p.name() + "::values");
        int width = p.shape()[1];
        float[] dense = new float[p.size()];
        for (int i = 0; i < rows.length; i++) System.arraycopy(values, i * width, dense, (int) rows[i] * width, width);
        return dense;
    }
}
