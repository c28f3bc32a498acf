package dev.relex.heads;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.DType;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.encoder.Encoder;
import dev.relex.encoder.Encoders;
import dev.relex.engine.Parameter;
import dev.relex.golden.RelexGolden;
import dev.relex.text.EncodedInput;
import dev.relex.text.InputBuilder;
import dev.relex.text.RelexTokenizer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The heads' training forward and backward against the reference's golden training data
 * (golden/training/README.md): per example of the batch, relex-core's encoder on the example's real
 * tokens, then {@link RelexHeads#forwardTraining} with the recorded gold candidates and pairs; entity
 * logits, adjacency and relation logits against {@code forward.safetensors} on valid positions; then the
 * loss-setting-A gradients (BCE with logits summed: σ(x) − y; adjacency BCE on probabilities with the
 * reference's 1e-6 clamps, diagonal included), summed over the batch through {@link RelexHeads#backward},
 * against every head parameter of {@code grads.safetensors} with the README's tolerance
 * |Δ| ≤ 1e-4·max|g_T| + 1e-7·max over all tensors |g|.
 */
class HeadsTrainingGoldenTest {
    /** Forward tolerances of golden/README.md: logits abs 5e-4 or rel 1e-4; adjacency abs 1e-5. */
    private static final double LOGIT_ABS = 5e-4, LOGIT_REL = 1e-4, ADJ_ABS = 1e-5;

    static Path trainingGolden() {
        return RelexGolden.golden().resolve("training");
    }

    static List<Path> trainingCases() {
        Path dir = trainingGolden();
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("grads.safetensors"))).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @TestFactory
    List<DynamicTest> gradientsMatchReference() {
        List<Path> cases = trainingCases();
        assumeTrue(!cases.isEmpty(), "no golden training data under " + trainingGolden());
        assertEquals(5, cases.size(), "training case folders");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path c : cases) tests.add(DynamicTest.dynamicTest(c.getFileName().toString(), () -> checkCase(c)));
        return tests;
    }

    private static void checkCase(Path caseDir) throws Exception {
        Path modelCase = RelexGolden.golden().resolve(caseDir.getFileName());
        JsonNode batch = RelexGolden.JSON.readTree(caseDir.resolve("batch.json").toFile());
        try (Checkpoint ckpt = Checkpoint.open(modelCase.resolve("model"), RelexGolden.tokenizerFor(modelCase));
             RelexTokenizer tokenizer = RelexTokenizer.load(RelexGolden.tokenizerFor(modelCase));
             SafeTensors in = SafeTensors.open(caseDir.resolve("batch.safetensors"));
             SafeTensors fwd = SafeTensors.open(caseDir.resolve("forward.safetensors"));
             SafeTensors grads = SafeTensors.open(caseDir.resolve("grads.safetensors"))) {
            GlinerConfig cfg = ckpt.config();
            RelexHeads heads = RelexHeads.create(cfg, ckpt.weights());
            Encoder encoder = Encoders.create(cfg.encoder(), ckpt.weights(), Encoders.GLINER_PREFIX);
            InputBuilder builder = new InputBuilder(tokenizer, cfg);
            for (Parameter p : heads.parameters()) p.zeroGrad();
            HeadsTrainingState state = new HeadsTrainingState();
            int denc = cfg.encoder().hiddenSize();
            int k = cfg.maxWidth();
            boolean span = heads.spanLevel();
            boolean hasAdj = !"none".equals(heads.relationsLayer());

            int[] idsShape = in.info("input_ids").intShape();
            int seq = idsShape[1];
            long[] ids = in.longs("input_ids"), attention = in.longs("attention_mask"), wordsMask = in.longs("words_mask");
            float[] labels = in.floats("labels");
            int[] labelShape = in.info("labels").intShape();
            float[] adjTarget = hasAdj ? in.floats("adj_matrix") : null;
            int eMax = fwd.info("candidate_mask").intShape()[1];
            float[] relTarget = in.floats("rel_matrix");
            int[] relShape = in.info("rel_matrix").intShape();
            float[] goldLogits = fwd.floats("entity_logits");
            int[] gls = fwd.info("entity_logits").intShape();
            long[] classMask = fwd.longs("entity_class_mask");
            int cMax = fwd.info("entity_class_mask").intShape()[1];
            long[] posMask = fwd.longs(span ? "loss_span_mask" : "loss_word_mask");
            int posWidth = fwd.info(span ? "loss_span_mask" : "loss_word_mask").intShape()[1];
            float[] goldAdj = hasAdj ? fwd.floats("adjacency") : null;
            float[] goldRel = fwd.floats("rel_logits");
            int[] grs = fwd.info("rel_logits").intShape();
            long[] relValid = fwd.longs("rel_pair_mask"), relClassValid = fwd.longs("rel_class_mask");

            double worstLogit = 0, worstAdj = 0, worstRel = 0;
            JsonNode examples = batch.get("examples");
            for (int b = 0; b < examples.size(); b++) {
                JsonNode ex = examples.get(b);
                JsonNode per = batch.get("per_example").get(b);
                assertEquals(b, per.get("batch_row").asInt());
                String where = caseDir.getFileName() + " row " + b;
                EncodedInput input = builder.buildWords(strings(ex.get("tokenized_text")), strings(ex.get("ner_labels")),
                        strings(ex.get("rel_labels")));
                int tokens = 0;
                for (int t = 0; t < seq; t++) tokens += (int) attention[b * seq + t];
                assertEquals(tokens, input.tokenCount(), where + ": tokens");
                for (int t = 0; t < tokens; t++) {
                    assertEquals(ids[b * seq + t], input.inputIds()[t], where + ": input id " + t);
                    assertEquals(wordsMask[b * seq + t], input.wordsMask()[t], where + ": words mask " + t);
                }
                int[] attn = new int[tokens];
                Arrays.fill(attn, 1);
                float[] states = new float[tokens * denc];
                encoder.forward(input.inputIds(), attn, 1, tokens, states);

                int[] cands = flatPairs(per.get("candidates"));
                int[] pairs = flatPairs(per.get("pairs"));
                heads.forwardTraining(states, 0, input, cands, pairs, state);
                int words = input.textLength();
                int classes = input.entityLabels().size(), relations = input.relationLabels().size();
                int e = cands.length / 2, n = pairs.length / 2;
                assertEquals(words, state.numWords());
                assertEquals(e, state.numCandidates());
                assertEquals(n, state.numPairs());

                // Entity logits and their loss gradient σ(x) − y on valid (position, class) elements.
                float[] logits = state.entityLogits();
                float[] dLogits = new float[state.entityLogitCount()];
                int per3 = span ? 1 : 3;
                int positions = span ? words * k : words;
                for (int pos = 0; pos < positions; pos++) {
                    int w = span ? pos / k : pos, kk = span ? pos % k : 0;
                    int goldPos = span ? w * k + kk : w;
                    boolean valid = posMask[b * posWidth + goldPos] != 0;
                    for (int c = 0; c < classes; c++) {
                        if (!valid || classMask[b * cMax + c] == 0) continue;
                        for (int q = 0; q < per3; q++) {
                            int mine = (pos * classes + c) * per3 + q;
                            int gold = span ? ((b * gls[1] + w) * gls[2] + kk) * gls[3] + c
                                    : ((b * gls[1] + w) * gls[2] + c) * gls[3] + q;
                            worstLogit = Math.max(worstLogit, check(where + ": entity logit " + pos + "/" + c + "/" + q,
                                    goldLogits[gold], logits[mine], LOGIT_ABS, LOGIT_REL));
                            float y = span ? labels[(b * labelShape[1] + goldPos) * labelShape[2] + c]
                                    : labels[((b * labelShape[1] + w) * labelShape[2] + c) * labelShape[3] + q];
                            dLogits[mine] = sigmoid(logits[mine]) - y;
                        }
                    }
                }

                // Adjacency probabilities and dL/dp of the clamped BCE on probabilities, diagonal included.
                float[] dAdj = null;
                if (hasAdj) {
                    float[] adj = state.adjacency();
                    dAdj = new float[e * e];
                    for (int i = 0; i < e; i++) {
                        for (int j = 0; j < e; j++) {
                            float p = adj[i * e + j];
                            worstAdj = Math.max(worstAdj, check(where + ": adjacency " + i + "," + j,
                                    goldAdj[(b * eMax + i) * eMax + j], p, ADJ_ABS, 0));
                            float y = adjTarget[(b * eMax + i) * eMax + j];
                            float oneMinus = 1f - p;
                            float g = 0f;
                            if (p > 1e-6f) g -= y / p;
                            if (oneMinus > 1e-6f) g += (1f - y) / oneMinus;
                            dAdj[i * e + j] = g;
                        }
                    }
                }

                // Relation logits and σ(x) − y on valid (pair, class) elements.
                float[] rel = state.relationLogits();
                float[] dRel = new float[n * relations];
                for (int i = 0; i < n; i++) {
                    for (int r = 0; r < relations; r++) {
                        int gi = (b * grs[1] + i) * grs[2] + r;
                        if (relValid[gi] == 0 || relClassValid[gi] == 0) continue;
                        worstRel = Math.max(worstRel, check(where + ": relation logit " + i + "/" + r, goldRel[gi],
                                rel[i * relations + r], LOGIT_ABS, LOGIT_REL));
                        float y = relTarget[(b * relShape[1] + i) * relShape[2] + r];
                        dRel[i * relations + r] = sigmoid(rel[i * relations + r]) - y;
                    }
                }
                float[] dStates = new float[tokens * denc];
                heads.backward(state, dLogits, dAdj, dRel, dStates, 0);
            }

            // Gradients of every head parameter against the reference.
            double globalMax = 0;
            for (String name : grads.names()) {
                if (grads.info(name).dtype() != DType.F32) continue;
                for (float v : grads.floats(name)) globalMax = Math.max(globalMax, Math.abs(v));
            }
            Map<String, Double> relErr = new LinkedHashMap<>();
            for (Parameter p : heads.parameters()) {
                assertTrue(grads.contains(p.name()), p.name() + " not in grads.safetensors");
                float[] expected = grads.floats(p.name());
                assertEquals(expected.length, p.size(), p.name() + " size");
                double maxT = 0;
                for (float v : expected) maxT = Math.max(maxT, Math.abs(v));
                double tol = 1e-4 * maxT + 1e-7 * globalMax;
                float[] g = p.grad();
                double worst = 0;
                for (int i = 0; i < expected.length; i++) {
                    double err = Math.abs((double) g[p.offset() + i] - expected[i]);
                    if (!(err <= tol)) {
                        fail(caseDir.getFileName() + ": gradient of " + p.name() + "[" + i + "] expected " + expected[i]
                                + " got " + g[p.offset() + i] + " (err " + err + ", tolerance " + tol + ")");
                    }
                    worst = Math.max(worst, err);
                }
                relErr.put(p.name(), maxT == 0 ? worst : worst / maxT);
            }
            List<String> headNames = new ArrayList<>();
            for (String name : grads.names()) {
                if (!name.startsWith("token_rep_layer.bert_layer.")) headNames.add(name);
            }
            assertEquals(headNames.stream().sorted().toList(),
                    heads.parameters().stream().map(Parameter::name).sorted().toList(), "head parameter names");
            double worstRelErr = relErr.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            String worstName = relErr.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("-");
            System.out.printf("%s: max |Δ| entity logits %.2e, adjacency %.2e, relation logits %.2e; head gradients: "
                            + "max |Δ|/max|g_T| %.2e (%s)%n", caseDir.getFileName(), worstLogit, worstAdj, worstRel,
                    worstRelErr, worstName);
        }
    }

    private static double check(String what, float expected, float actual, double abs, double rel) {
        double err = Math.abs((double) actual - expected);
        if (!(err <= Math.max(abs, rel * Math.abs(expected)))) fail(what + ": expected " + expected + " got " + actual);
        return err;
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static int[] flatPairs(JsonNode array) {
        int[] out = new int[2 * array.size()];
        for (int i = 0; i < array.size(); i++) {
            out[2 * i] = array.get(i).get(0).asInt();
            out[2 * i + 1] = array.get(i).get(1).asInt();
        }
        return out;
    }
}
