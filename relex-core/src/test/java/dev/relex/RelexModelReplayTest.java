package dev.relex;

import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.encoder.Encoder;
import dev.relex.golden.RelexGolden;
import dev.relex.golden.RelexGolden.Example;
import dev.relex.golden.RelexGolden.PerText;
import dev.relex.heads.HeadOutput;
import dev.relex.text.EncodedInput;
import dev.relex.text.InputBuilder;
import dev.relex.text.RelexTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The wiring of {@link RelexModel} with the real tokenizer and input builder but the network replaced by
 * the reference's recorded head outputs: a fake encoder checks the (padded) sequences it gets, a fake head
 * looks the text's recorded outputs up by its token ids (which must equal the reference's). Single calls
 * and {@link RelexModel#extractBatch} (incl. the 6-text batch with empty texts) must reproduce
 * expected.json; texts without words must never reach the network.
 */
class RelexModelReplayTest {

    @TestFactory
    List<DynamicNode> replayedHeadsReproduceReference() {
        List<Path> cases = RelexGolden.cases();
        assumeFalse(cases.isEmpty(), "no golden data under " + RelexGolden.golden());
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path caseDir : cases) {
            List<DynamicNode> tests = new ArrayList<>();
            for (Example ex : RelexGolden.examples(caseDir)) {
                tests.add(DynamicTest.dynamicTest(ex.id(), () -> replay(ex, tokenizer(caseDir))));
            }
            nodes.add(DynamicContainer.dynamicContainer(caseDir.getFileName().toString(), tests));
        }
        return nodes;
    }

    private static final Map<Path, RelexTokenizer> TOKENIZERS = new HashMap<>();

    /** Loading a 128k-entry tokenizer.json takes a while: one per case, closed after all tests. */
    private static synchronized RelexTokenizer tokenizer(Path caseDir) {
        return TOKENIZERS.computeIfAbsent(caseDir, d -> RelexTokenizer.load(RelexGolden.tokenizerFor(d)));
    }

    @AfterAll
    static synchronized void closeTokenizers() {
        TOKENIZERS.values().forEach(RelexTokenizer::close);
        TOKENIZERS.clear();
    }

    private static void replay(Example ex, RelexTokenizer tokenizer) {
        Path caseDir = ex.caseDir();
        GlinerConfig config = GlinerConfig.read(caseDir.resolve("model/gliner_config.json"));
        boolean spanLevel = config.modelKind() == GlinerConfig.ModelKind.SPAN_RELEX;
        Map<String, HeadOutput> recorded = new HashMap<>();
        if (Files.exists(ex.tensorFile())) {
            try (SafeTensors t = SafeTensors.open(ex.tensorFile())) {
                for (PerText p : ex.perText()) {
                    if (p.batchRow() != null) recorded.put(Arrays.toString(p.inputIds()), RelexGolden.recordedHeadOutput(t, ex, p, spanLevel));
                }
            }
        }
        AtomicInteger encoderCalls = new AtomicInteger();
        Encoder encoder = new Encoder() {
            @Override
            public int hiddenSize() {
                return 3;
            }

            @Override
            public void forward(int[] ids, int[] mask, int batch, int seqLen, float[] out) {
                encoderCalls.addAndGet(batch);
                assertTrue(ids.length >= batch * seqLen && mask.length >= batch * seqLen);
                boolean someRowFull = false;
                for (int b = 0; b < batch; b++) {
                    int len = 0;
                    while (len < seqLen && mask[b * seqLen + len] == 1) len++;
                    for (int t = len; t < seqLen; t++) {
                        assertEquals(0, mask[b * seqLen + t], "right padding only");
                        assertEquals(0, ids[b * seqLen + t], "padding id 0");
                    }
                    assertTrue(len > 0, "no empty rows");
                    someRowFull |= len == seqLen;
                    Arrays.fill(out, b * seqLen * 3, (b * seqLen + len) * 3, 0.25f);
                    Arrays.fill(out, (b * seqLen + len) * 3, (b + 1) * seqLen * 3, Float.NaN);
                }
                assertTrue(someRowFull, "padded to the longest row only");
            }
        };
        RelexModel.Heads heads = (float[] states, int offset, EncodedInput input, double ent, double adj) -> {
            assertEquals(0, offset % 3);
            assertTrue(states.length >= offset + input.tokenCount() * 3, "states hold T × Denc values");
            for (int i = 0; i < input.tokenCount() * 3; i++) assertEquals(0.25f, states[offset + i], "this text's states");
            assertEquals(ex.threshold(), ent);
            assertEquals(ex.adjacencyThreshold(), adj);
            HeadOutput out = recorded.get(Arrays.toString(input.inputIds()));
            assertNotNull(out, "token ids differ from every recorded text: " + Arrays.toString(input.inputIds()));
            return out;
        };
        // The tokenizer is shared by the case's tests, so the model gets no resources to close.
        try (RelexModel model = new RelexModel(config, new InputBuilder(tokenizer, config), encoder, heads, 2)) {
            int expectedCalls = recorded.isEmpty() ? 0 : (int) ex.perText().stream().filter(p -> p.batchRow() != null).count();
            for (OffsetUnit unit : OffsetUnit.values()) {
                ExtractionOptions options = ex.options(unit);
                encoderCalls.set(0);
                for (int i = 0; i < ex.texts().size(); i++) {
                    ExtractionResult r = model.extract(ex.texts().get(i), ex.entityLabels(), ex.relationLabels(), options);
                    RelexGolden.assertMatches(ex.perText().get(i), r, unit, ex + "[" + i + "] single " + unit);
                }
                assertEquals(expectedCalls, encoderCalls.get(), "encoder runs once per non-empty text");
                encoderCalls.set(0);
                List<ExtractionRequest> requests = new ArrayList<>();
                for (String text : ex.texts()) {
                    requests.add(new ExtractionRequest(text, ex.entityLabels(), ex.relationLabels(), options));
                }
                List<ExtractionResult> batch = model.extractBatch(requests);
                assertEquals(expectedCalls, encoderCalls.get(), "each non-empty text encoded once in the batch");
                assertEquals(ex.texts().size(), batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    RelexGolden.assertMatches(ex.perText().get(i), batch.get(i), unit, ex + "[" + i + "] batch " + unit);
                }
            }
        }
        RelexModel closed = new RelexModel(config, new InputBuilder(tokenizer, config), encoder, heads, 1);
        closed.close();
        closed.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> closed.extract("x", List.of("a"), List.of()), "closed model");
    }
}
