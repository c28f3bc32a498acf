package dev.relex.text;

import dev.relex.golden.RelexGolden;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.SafeTensors;
import org.junit.jupiter.api.AfterAll;
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
 * Every text of every {@code golden/relex-*} case: words (code-point offsets), tokens, input ids, words
 * mask and text length exactly as the Python reference produced them, and the span tensors of the span
 * cases.
 */
class InputBuilderGoldenTest {

    private static final ObjectMapper JSON = RelexGolden.JSON;
    private static final List<RelexTokenizer> OPENED = new ArrayList<>();

    @AfterAll
    static void closeTokenizers() {
        OPENED.forEach(RelexTokenizer::close);
        OPENED.clear();
    }

    @TestFactory
    Stream<DynamicNode> goldenCases() throws IOException {
        List<Path> cases = RelexGolden.cases();
        assumeTrue(!cases.isEmpty(), "no golden relex-* cases under " + RelexGolden.golden());
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path caseDir : cases) nodes.add(caseContainer(caseDir));
        return nodes.stream();
    }

    private DynamicContainer caseContainer(Path caseDir) throws IOException {
        GlinerConfig config = GlinerConfig.read(caseDir.resolve("model/gliner_config.json"));
        RelexTokenizer tokenizer = RelexTokenizer.load(RelexGolden.tokenizerFor(caseDir));
        OPENED.add(tokenizer);
        InputBuilder builder = new InputBuilder(tokenizer, config);
        JsonNode inputs = JSON.readTree(caseDir.resolve("inputs.json").toFile());
        JsonNode expected = JSON.readTree(caseDir.resolve("expected.json").toFile());
        List<DynamicNode> tests = new ArrayList<>();
        for (JsonNode example : expected.get("examples")) {
            String id = example.get("id").asText();
            JsonNode input = findExample(inputs, id);
            JsonNode perText = example.get("per_text");
            assertEquals(input.get("texts").size(), perText.size(), id + ": texts vs per_text");
            for (int i = 0; i < perText.size(); i++) {
                JsonNode exp = perText.get(i);
                String text = input.get("texts").get(i).asText();
                int index = i;
                tests.add(DynamicTest.dynamicTest(id + "[" + i + "]",
                        () -> checkText(caseDir, config, builder, input, exp, text, id, index)));
            }
        }
        return DynamicContainer.dynamicContainer(caseDir.getFileName().toString(), tests);
    }

    private static JsonNode findExample(JsonNode inputs, String id) {
        for (JsonNode e : inputs.get("examples")) if (e.get("id").asText().equals(id)) return e;
        throw new AssertionError("inputs.json has no example " + id);
    }

    private static void checkText(Path caseDir, GlinerConfig config, InputBuilder builder, JsonNode input,
                                  JsonNode exp, String text, String id, int index) {
        assertEquals(exp.get("text").asText(), text, "text");
        List<String> ents = strings(input.get("entity_labels"));
        List<String> rels = strings(input.get("relation_labels"));
        EncodedInput enc = builder.build(text, ents, rels);

        // Words with Python code-point offsets.
        Offsets offsets = Offsets.of(text);
        JsonNode expWords = exp.get("words");
        List<Word> words = enc.words();
        assertEquals(expWords.size(), words.size(), "word count");
        assertEquals(expWords.size(), enc.totalWords(), "total words");
        for (int w = 0; w < words.size(); w++) {
            JsonNode e = expWords.get(w);
            Word got = words.get(w);
            String where = "word " + w;
            assertEquals(e.get(0).asText(), got.text(), where);
            assertEquals(e.get(1).asInt(), offsets.toCodePoint(got.start()), where + " start");
            assertEquals(e.get(2).asInt(), offsets.toCodePoint(got.end()), where + " end");
            assertEquals(got.text(), text.substring(got.start(), got.end()), where + " substring");
        }

        if (exp.get("batch_row") == null || exp.get("batch_row").isNull()) {
            assertTrue(enc.isEmpty(), "skipped text must give an empty input");
            assertEquals(0, enc.tokenCount());
            return;
        }
        assertFalse(enc.isEmpty());
        assertFalse(enc.truncated());
        assertEquals(List.copyOf(new java.util.LinkedHashSet<>(ents)), enc.entityLabels(), "entity labels de-duplicated");
        assertEquals(List.copyOf(new java.util.LinkedHashSet<>(rels)), enc.relationLabels(), "relation labels de-duplicated");

        // Tokens through the tokenizer directly, for a readable diff when ids disagree.
        List<String> wordList = new ArrayList<>(builder.promptWords(enc.entityLabels(), enc.relationLabels()));
        words.forEach(w -> wordList.add(w.text()));
        assertEquals(strings(exp.get("tokens")), List.of(builder.tokenizer().encodeWords(wordList).tokens()), "tokens");

        assertArrayEquals(ints(exp.get("input_ids")), enc.inputIds(), "input_ids");
        assertArrayEquals(ints(exp.get("words_mask")), enc.wordsMask(), "words_mask");
        assertEquals(exp.get("text_length").asInt(), enc.textLength(), "text_length");
        int c = enc.entityLabels().size(), r = enc.relationLabels().size();
        assertEquals(2 * c + 1 + 2 * r + 1, enc.promptLength(), "prompt length");

        checkTensors(caseDir, config, exp, enc, id);
    }

    /** The padded batch tensors of the reference: this text's row of input_ids, words_mask, span_idx, span_mask. */
    private static void checkTensors(Path caseDir, GlinerConfig config, JsonNode exp, EncodedInput enc, String id) {
        Path file = caseDir.resolve("tensors").resolve(id + ".safetensors");
        assertTrue(Files.isRegularFile(file), "missing " + file);
        int row = exp.get("batch_row").asInt();
        try (SafeTensors st = SafeTensors.open(file)) {
            long[] shape = st.info("input_ids").shape();
            int tokens = (int) shape[1];
            long[] ids = st.longs("input_ids");
            long[] attention = st.longs("attention_mask");
            long[] wordsMask = st.longs("words_mask");
            for (int t = 0; t < tokens; t++) {
                boolean real = t < enc.tokenCount();
                assertEquals(real ? 1 : 0, attention[row * tokens + t], "attention_mask[" + t + "]");
                assertEquals(real ? enc.inputIds()[t] : 0, ids[row * tokens + t], "input_ids[" + t + "]");
                assertEquals(real ? enc.wordsMask()[t] : 0, wordsMask[row * tokens + t], "words_mask[" + t + "]");
            }
            assertEquals(enc.textLength(), st.longs("text_lengths")[row], "text_lengths");
            if (!st.names().contains("span_idx")) {
                assertEquals("token_level", config.spanMode(), "span model without span_idx");
                return;
            }
            int k = config.maxWidth();
            int spans = (int) st.info("span_idx").shape()[1];
            assertEquals(0, spans % k, "span rows multiple of max_width");
            int padded = spans / k;
            int[] idx = SpanEnumeration.spanIndex(enc.textLength(), k, padded);
            boolean[] mask = SpanEnumeration.spanMask(enc.textLength(), k, padded);
            long[] expIdx = st.longs("span_idx");
            long[] expMask = st.longs("span_mask");
            int valid = 0;
            for (int f = 0; f < spans; f++) {
                assertEquals(expIdx[(row * spans + f) * 2], idx[2 * f], "span_idx[" + f + "] start");
                assertEquals(expIdx[(row * spans + f) * 2 + 1], idx[2 * f + 1], "span_idx[" + f + "] end");
                assertEquals(expMask[row * spans + f] != 0, mask[f], "span_mask[" + f + "]");
                assertEquals(mask[f], SpanEnumeration.valid(f, enc.textLength(), k), "valid(" + f + ")");
                if (mask[f]) {
                    valid++;
                    assertEquals(idx[2 * f], SpanEnumeration.start(f, k));
                    assertEquals(idx[2 * f + 1], SpanEnumeration.end(f, k));
                }
            }
            assertEquals(SpanEnumeration.validCount(enc.textLength(), k), valid, "valid span count");
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
