package dev.relex.encoder;

import dev.relex.golden.RelexGolden;

import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.engine.Linear;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every golden GLiNER-Relex case (reference: urchade/GLiNER on transformers 4.57): the encoder inside
 * the checkpoint must reproduce {@code encoder_last_hidden_state} (and, through a naive projection,
 * {@code token_embeddings}) for each example's padded batch.
 */
class RelexEncoderGoldenTest {
    static final double TOL = 1e-4;

    @TestFactory
    Stream<DynamicNode> relexCasesMatchReferenceEncoder() throws IOException {
        List<Path> cases = RelexGolden.modelCases();
        assumeTrue(!cases.isEmpty(), "golden data not present");
        return cases.stream().map(c -> DynamicContainer.dynamicContainer(c.getFileName().toString(), examples(c)));
    }

    private static Stream<DynamicNode> examples(Path caseDir) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(caseDir.resolve("tensors"))) {
            s.filter(p -> p.toString().endsWith(".safetensors")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return Stream.of(DynamicTest.dynamicTest("all examples", () -> checkCase(caseDir, files)));
    }

    private static void checkCase(Path caseDir, List<Path> files) {
        assertFalse(files.isEmpty(), "no tensor files in " + caseDir);
        try (Checkpoint ckpt = Checkpoint.open(caseDir.resolve("model"))) {
            GlinerConfig cfg = ckpt.config();
            Encoder enc = Encoders.create(cfg.encoder(), ckpt.weights(), Encoders.GLINER_PREFIX);
            int h = enc.hiddenSize();
            assertEquals(cfg.encoder().hiddenSize(), h);
            Linear projection = null;
            if (cfg.hasProjection()) {
                projection = new Linear(ckpt.weights().floats("token_rep_layer.projection.weight"),
                        ckpt.weights().floats("token_rep_layer.projection.bias"), h, cfg.hiddenSize());
            }
            for (Path f : files) {
                try (SafeTensors t = SafeTensors.open(f)) {
                    int[] shape = t.info("input_ids").intShape();
                    int batch = shape[0], seqLen = shape[1];
                    int[] ids = GoldenData.ints(t, "input_ids");
                    int[] mask = GoldenData.ints(t, "attention_mask");
                    float[] out = new float[batch * seqLen * h];
                    enc.forward(ids, mask, batch, seqLen, out);
                    double err = GoldenData.maxAbsDiffOnRealTokens(out, t.floats("encoder_last_hidden_state"), mask, h);
                    String name = caseDir.getFileName() + "/" + f.getFileName();
                    System.out.printf("%s [%dx%d] encoder_last_hidden_state max abs err %.3g%n", name, batch, seqLen, err);
                    assertTrue(err <= TOL, name + ": encoder_last_hidden_state max abs error " + err);
                    if (projection != null) {
                        float[] projected = naiveLinear(out, batch * seqLen, projection);
                        double perr = GoldenData.maxAbsDiffOnRealTokens(projected, t.floats("token_embeddings"), mask,
                                projection.out());
                        System.out.printf("%s token_embeddings max abs err %.3g%n", name, perr);
                        assertTrue(perr <= TOL, name + ": token_embeddings max abs error " + perr);
                    }
                }
            }
        }
    }

    /** y = x·Wᵀ + b in double, independent of the engine's kernels. */
    static float[] naiveLinear(float[] x, int rows, Linear l) {
        float[] y = new float[rows * l.out()];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < l.out(); o++) {
                double s = l.bias() == null ? 0 : l.bias()[o];
                for (int i = 0; i < l.in(); i++) s += (double) x[r * l.in() + i] * l.weight()[o * l.in() + i];
                y[r * l.out() + o] = (float) s;
            }
        }
        return y;
    }
}
