package dev.relex.train.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.engine.Parameter;
import dev.relex.golden.RelexGolden;
import dev.relex.train.golden.TrainingGolden;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * relex-span-gcn: the reference trainer's parameter groups ({@code expected.json["optimizer_step"]}) and one
 * AdamW step from {@code model.safetensors} + the recorded setting-A gradients, without and with
 * {@code clip_grad_norm_(1.0)}, against {@code optimizer_step*.safetensors} (abs 2e-6; the word
 * embedding is stored sparse: its rows with a gradient plus 8 without, which must change by decay only,
 * bit for bit).
 */
class OptimizerGoldenTest {
    static final String WORD_EMBEDDINGS = "token_rep_layer.bert_layer.model.embeddings.word_embeddings.weight";
    static final double LR = 2e-3, WD = 0.1, OTHERS_LR = 5e-3, OTHERS_WD = 0.05;

    static Path caseDir() {
        Path d = TrainingGolden.root().resolve("relex-span-gcn");
        Assumptions.assumeTrue(Files.isDirectory(d), "golden training data absent: " + d);
        return d;
    }

    /** The model's parameters (sorted by name: grouping must not depend on the order it is given). */
    static List<Parameter> loadParameters() {
        Path model = RelexGolden.golden().resolve("relex-span-gcn/model/model.safetensors");
        List<Parameter> out = new ArrayList<>();
        try (SafeTensors st = SafeTensors.open(model)) {
            for (String name : st.names().stream().sorted().toList()) {
                out.add(new Parameter(name, st.info(name).intShape(), st.floats(name)));
            }
        }
        return out;
    }

    static void loadGradients(List<Parameter> params, Path gradsFile) {
        try (SafeTensors st = SafeTensors.open(gradsFile)) {
            for (Parameter p : params) {
                float[] g = p.grad();
                if (p.name().equals(WORD_EMBEDDINGS)) {
                    long[] rows = st.longs(p.name() + "::rows");
                    float[] values = st.floats(p.name() + "::values");
                    int d = p.shape()[1];
                    for (int r = 0; r < rows.length; r++) System.arraycopy(values, r * d, g, p.offset() + (int) rows[r] * d, d);
                } else {
                    float[] v = st.floats(p.name());
                    assertEquals(p.size(), v.length, p.name());
                    System.arraycopy(v, 0, g, p.offset(), v.length);
                }
            }
        }
    }

    @Test
    void groupsEqualReference() {
        JsonNode groups = TrainingGolden.json(caseDir().resolve("expected.json")).get("optimizer_step").get("param_groups");
        List<Parameter> params = loadParameters();
        List<ParamGroup> ours = ParameterGroups.reference(params, LR, WD, OTHERS_LR, OTHERS_WD, p -> true);
        assertEquals(groups.size(), ours.size());
        for (int i = 0; i < ours.size(); i++) {
            JsonNode g = groups.get(i);
            assertEquals(g.get("lr").asDouble(), ours.get(i).learningRate(), "group " + i + " lr");
            assertEquals(g.get("weight_decay").asDouble(), ours.get(i).weightDecay(), "group " + i + " weight decay");
            Set<String> expected = new HashSet<>();
            g.get("params").forEach(n -> expected.add(n.asText()));
            assertEquals(expected, new HashSet<>(ours.get(i).names()), "group " + i + " members");
            assertEquals(expected.size(), ours.get(i).parameters().size());
        }
    }

    @Test
    void oneStepEqualsReference() {
        checkStep(false, "optimizer_step.safetensors");
    }

    @Test
    void oneClippedStepEqualsReference() {
        checkStep(true, "optimizer_step_clipped.safetensors");
    }

    private void checkStep(boolean clip, String expectedFile) {
        Path dir = caseDir();
        List<Parameter> params = loadParameters();
        float[] wordBefore = params.stream().filter(p -> p.name().equals(WORD_EMBEDDINGS)).findFirst().orElseThrow().copyValue();
        loadGradients(params, dir.resolve("grads.safetensors"));
        List<ParamGroup> groups = ParameterGroups.reference(params, LR, WD, OTHERS_LR, OTHERS_WD, p -> true);
        AdamW opt = new AdamW(groups);
        if (clip) {
            double norm = GradientClipping.clipGlobalNorm(opt.parameters(), 1.0);
            assertEquals(74471.8, norm, 0.1, "global gradient norm (golden README)");
        }
        opt.step(1.0);
        double worst = 0;
        String worstName = "";
        try (SafeTensors st = SafeTensors.open(dir.resolve(expectedFile))) {
            for (Parameter p : params) {
                float[] after = p.copyValue();
                if (p.name().equals(WORD_EMBEDDINGS)) {
                    long[] rows = st.longs(p.name() + "::rows");
                    float[] values = st.floats(p.name() + "::values");
                    int d = p.shape()[1];
                    float decay = (float) (1 - LR * WD);
                    float[] g = p.grad();
                    int decayOnlyRows = 0;
                    for (int r = 0; r < rows.length; r++) {
                        int row = (int) rows[r];
                        boolean hasGrad = false;
                        for (int j = 0; j < d; j++) hasGrad |= g[row * d + j] != 0f;
                        for (int j = 0; j < d; j++) {
                            float exp = values[r * d + j], got = after[row * d + j];
                            if (!hasGrad) assertEquals(wordBefore[row * d + j] * decay, got, 0f, "decay-only row " + row);
                            if (!hasGrad) assertEquals(exp, got, 0f, "decay-only row " + row + " vs reference");
                            double diff = Math.abs(exp - got);
                            if (diff > worst) { worst = diff; worstName = p.name() + " row " + row; }
                        }
                        if (!hasGrad) decayOnlyRows++;
                    }
                    assertEquals(8, decayOnlyRows, "stored rows without gradient (golden README)");
                } else {
                    float[] exp = st.floats(p.name());
                    for (int i = 0; i < exp.length; i++) {
                        double diff = Math.abs(exp[i] - after[i]);
                        if (diff > worst) { worst = diff; worstName = p.name() + "[" + i + "]"; }
                    }
                }
            }
        }
        System.out.printf("AdamW step%s: max |Δ| %.3g (%s)%n", clip ? " (clipped)" : "", worst, worstName);
        assertTrue(worst <= 2e-6, "max |Δ| " + worst + " at " + worstName);
    }
}
