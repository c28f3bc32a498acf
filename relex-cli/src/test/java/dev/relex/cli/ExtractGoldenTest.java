package dev.relex.cli;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.RelexModel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: the real CLI with the real {@link RelexModel} on every golden relex case; every example
 * of inputs.json becomes a JSONL line with its own labels and thresholds (per-line overrides), and the
 * output must equal the Python reference's entities and relations (expected.json, code-point offsets;
 * probabilities within the README's 1e-5).
 */
class ExtractGoldenTest {
    /** expected.json holds Infinity for margins of examples without compared values. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final double PROB_TOL = 1e-5;

    @TempDir
    static Path tmp;

    @TestFactory
    List<DynamicTest> cliReproducesTheReferenceOnEveryGoldenCase() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path caseDir : GoldenData.relexCases()) {
            tests.add(DynamicTest.dynamicTest(caseDir.getFileName().toString(), () -> checkCase(caseDir)));
        }
        assertFalse(tests.isEmpty(), "no relex-* golden cases under " + GoldenData.GOLDEN);
        return tests;
    }

    private static void checkCase(Path caseDir) throws IOException {
        JsonNode inputs = JSON.readTree(caseDir.resolve("inputs.json").toFile());
        JsonNode expected = JSON.readTree(caseDir.resolve("expected.json").toFile());
        StringBuilder jsonl = new StringBuilder();
        List<JsonNode> expectedPerLine = new ArrayList<>();
        for (JsonNode example : inputs.get("examples")) {
            JsonNode exp = findExample(expected, example.get("id").asText());
            JsonNode texts = example.get("texts");
            for (int i = 0; i < texts.size(); i++) {
                ObjectNode line = JSON.createObjectNode();
                line.put("id", example.get("id").asText() + "#" + i);
                line.set("text", texts.get(i));
                line.set("entities", example.get("entity_labels"));
                line.set("relations", example.get("relation_labels"));
                line.set("threshold", example.get("threshold"));
                line.set("adjacency_threshold", example.get("adjacency_threshold"));
                line.set("relation_threshold", example.get("relation_threshold"));
                line.set("flat_ner", example.get("flat_ner"));
                line.set("multi_label", example.get("multi_label"));
                jsonl.append(line).append('\n');
                expectedPerLine.add(exp.get("per_text").get(i));
            }
        }
        Path input = tmp.resolve(caseDir.getFileName() + ".jsonl");
        Files.writeString(input, jsonl, StandardCharsets.UTF_8);
        Path model = caseDir.resolve("model");
        List<String> args = new ArrayList<>(List.of("extract", "--model", model.toString(),
                "--offsets", "codepoints", "--input", input.toString()));
        if (!Files.exists(model.resolve("tokenizer.json"))) {
            // README: the DeBERTa cases share relex-span-gcn's tokenizer.
            args.addAll(List.of("--tokenizer", GoldenData.SPAN_GCN_MODEL.resolve("tokenizer.json").toString()));
        }
        CliRunner.Result r = CliRunner.run(RelexModelExtractor::load, args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, r.code(), r.stderr());
        List<JsonNode> out = r.lines();
        assertEquals(expectedPerLine.size(), out.size());
        for (int k = 0; k < out.size(); k++) {
            JsonNode got = out.get(k);
            String where = caseDir.getFileName() + " " + got.get("id").asText();
            assertFalse(got.has("error"), where + ": " + got);
            assertEquals(k + 1, got.get("line").asInt(), where);
            JsonNode exp = expectedPerLine.get(k);
            assertEquals(exp.get("text").asText(), got.get("text").asText(), where);
            assertEntities(where, exp.get("entities"), got.get("entities"));
            assertRelations(where, exp.get("relations"), got.get("relations"));
        }
    }

    @Test
    void utf16OffsetsIndexJavaStrings() throws IOException {
        JsonNode inputs = JSON.readTree(GoldenData.GOLDEN.resolve("relex-span-gcn/inputs.json").toFile());
        JsonNode unicode = null;
        for (JsonNode e : inputs.get("examples")) if (e.get("id").asText().equals("unicode")) unicode = e;
        assertNotNull(unicode, "golden example 'unicode' missing from relex-span-gcn/inputs.json");
        String text = unicode.get("texts").get(0).asText();
        ObjectNode line = JSON.createObjectNode();
        line.put("text", text);
        line.set("entities", unicode.get("entity_labels"));
        line.set("relations", unicode.get("relation_labels"));
        line.set("threshold", unicode.get("threshold"));
        Path input = tmp.resolve("unicode.jsonl");
        Files.writeString(input, line + "\n", StandardCharsets.UTF_8);
        CliRunner.Result r = CliRunner.run(RelexModelExtractor::load, "extract", "--model",
                GoldenData.SPAN_GCN_MODEL.toString(), "--input", input.toString());
        assertEquals(ExitCodes.OK, r.code(), r.stderr());
        JsonNode entities = r.lines().get(0).get("entities");
        assertTrue(entities.size() > 0, "expected some entities: " + r.stdout());
        for (JsonNode e : entities) {
            assertEquals(e.get("text").asText(), text.substring(e.get("start").asInt(), e.get("end").asInt()), e.toString());
        }
    }

    private static JsonNode findExample(JsonNode expected, String id) {
        for (JsonNode e : expected.get("examples")) if (e.get("id").asText().equals(id)) return e;
        throw new AssertionError("expected.json has no example " + id);
    }

    private static void assertEntities(String where, JsonNode exp, JsonNode got) {
        assertEquals(exp.size(), got.size(), where + ": entity count\nexpected " + exp + "\ngot      " + got);
        for (int i = 0; i < exp.size(); i++) {
            assertSameEntity(where + " entity " + i, exp.get(i), got.get(i), "label");
            assertEquals(exp.get(i).get("score").asDouble(), got.get(i).get("score").asDouble(), PROB_TOL,
                    where + " entity " + i + " score");
        }
    }

    private static void assertRelations(String where, JsonNode exp, JsonNode got) {
        assertEquals(exp.size(), got.size(), where + ": relation count\nexpected " + exp + "\ngot      " + got);
        for (int i = 0; i < exp.size(); i++) {
            JsonNode e = exp.get(i);
            JsonNode g = got.get(i);
            String w = where + " relation " + i;
            assertSameEntity(w + " head", e.get("head"), g.get("head"), "type");
            assertSameEntity(w + " tail", e.get("tail"), g.get("tail"), "type");
            assertEquals(e.get("head").get("entity_idx").asInt(), g.get("head").get("entity_idx").asInt(), w);
            assertEquals(e.get("tail").get("entity_idx").asInt(), g.get("tail").get("entity_idx").asInt(), w);
            assertEquals(e.get("relation").asText(), g.get("relation").asText(), w);
            assertEquals(e.get("score").asDouble(), g.get("score").asDouble(), PROB_TOL, w + " score");
        }
    }

    private static void assertSameEntity(String where, JsonNode exp, JsonNode got, String labelKey) {
        assertEquals(exp.get("start").asInt(), got.get("start").asInt(), where + " start: " + got);
        assertEquals(exp.get("end").asInt(), got.get("end").asInt(), where + " end: " + got);
        assertEquals(exp.get("text").asText(), got.get("text").asText(), where + " text");
        assertEquals(exp.get(labelKey).asText(), got.get(labelKey).asText(), where + " " + labelKey);
    }
}
