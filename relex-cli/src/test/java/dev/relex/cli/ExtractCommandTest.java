package dev.relex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.ExtractionOptions;
import dev.relex.ExtractionRequest;
import dev.relex.OffsetUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractCommandTest {

    @TempDir
    Path tmp;

    private final FakeExtractor fake = new FakeExtractor();
    private final List<Path> loaded = new ArrayList<>();
    private final List<Path> tokenizers = new ArrayList<>();

    private Extractor load(Path dir, Path tokenizer) {
        loaded.add(dir);
        tokenizers.add(tokenizer);
        return fake;
    }

    private CliRunner.Result runWithStdin(String stdin, String... args) {
        return CliRunner.runWithStdin(this::load, stdin, args);
    }

    private CliRunner.Result run(String... args) {
        return runWithStdin("", args);
    }

    private Path file(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void positionalTextsGiveOneLinePerTextWithReferenceFieldNames() {
        CliRunner.Result r = run("extract", "--model", "m", "--entities", "person,city", "--relations", "born in",
                "Ada Lovelace was born in London", "no entities here");
        assertEquals(0, r.code(), r.stderr());
        assertEquals(Path.of("m"), loaded.get(0));
        assertEquals(null, tokenizers.get(0));
        assertTrue(fake.closed, "extractor closed at the end");
        List<JsonNode> lines = r.lines();
        assertEquals(2, lines.size());

        JsonNode first = lines.get(0);
        assertEquals(1, first.get("line").asInt());
        assertEquals("Ada Lovelace was born in London", first.get("text").asText());
        assertFalse(first.get("truncated").asBoolean());
        assertFalse(first.has("truncation"));
        JsonNode ents = first.get("entities");
        assertEquals(3, ents.size());
        // "Ada" [0,3), "Lovelace" [4,12), "London" [25,31): counted by hand.
        assertEntity(ents.get(0), 0, 3, "Ada", "person", 0.9);
        assertEntity(ents.get(1), 4, 12, "Lovelace", "person", 0.9);
        assertEntity(ents.get(2), 25, 31, "London", "person", 0.9);
        JsonNode rels = first.get("relations");
        assertEquals(2, rels.size());
        JsonNode rel = rels.get(1);
        assertEquals(List.of("head", "tail", "relation", "score"), fieldNames(rel));
        assertEquals("born in", rel.get("relation").asText());
        assertEquals(0.8, rel.get("score").asDouble());
        assertEquals(List.of("start", "end", "text", "type", "entity_idx"), fieldNames(rel.get("head")));
        assertEquals(4, rel.get("head").get("start").asInt());
        assertEquals("Lovelace", rel.get("head").get("text").asText());
        assertEquals("person", rel.get("head").get("type").asText());
        assertEquals(1, rel.get("head").get("entity_idx").asInt());
        assertEquals(25, rel.get("tail").get("start").asInt());
        assertEquals(31, rel.get("tail").get("end").asInt());
        assertEquals(2, rel.get("tail").get("entity_idx").asInt());

        JsonNode second = lines.get(1);
        assertEquals(2, second.get("line").asInt());
        assertEquals(0, second.get("entities").size());
        assertEquals(0, second.get("relations").size());

        ExtractionRequest req = fake.received.get(0);
        assertEquals(List.of("person", "city"), req.entityLabels());
        assertEquals(List.of("born in"), req.relationLabels());
        assertEquals(new ExtractionOptions(0.5, 0.5, 0.5, true, false, OffsetUnit.UTF16), req.options());
    }

    @Test
    void optionsReachTheModel() {
        CliRunner.Result r = run("extract", "--model", "m", "-e", "person", "--threshold", "0.3",
                "--adjacency-threshold", "0.55", "--relation-threshold", "0.8", "--nested", "--multi-label",
                "--offsets", "codepoints", "--tokenizer", "tok.json", "Some text");
        assertEquals(0, r.code(), r.stderr());
        assertEquals(new ExtractionOptions(0.3, 0.55, 0.8, false, true, OffsetUnit.CODE_POINTS),
                fake.received.get(0).options());
        assertEquals(Path.of("tok.json"), tokenizers.get(0));
        assertEquals(List.of(), fake.received.get(0).relationLabels());
    }

    @Test
    void adjacencyAndRelationThresholdsFollowTheEntityThresholdByDefault() {
        run("extract", "--model", "m", "-e", "person", "-t", "0.25", "x");
        assertEquals(new ExtractionOptions(0.25, 0.25, 0.25, true, false, OffsetUnit.UTF16),
                fake.received.get(0).options());
    }

    @Test
    void offsetsFlagChangesOffsetsAfterSupplementaryCharacters() {
        // "🎉" is 2 UTF-16 units but 1 code point, so "Tokyo" starts at 3 (UTF-16) or 2 (code points).
        String text = "🎉 Tokyo";
        JsonNode utf16 = run("extract", "--model", "m", "-e", "city", text).lines().get(0);
        assertEntity(utf16.get("entities").get(0), 3, 8, "Tokyo", "city", 0.9);
        JsonNode cp = run("extract", "--model", "m", "-e", "city", "--offsets", "codepoints", text).lines().get(0);
        assertEntity(cp.get("entities").get(0), 2, 7, "Tokyo", "city", 0.9);
        assertEquals(OffsetUnit.CODE_POINTS, fake.received.get(1).options().offsetUnit());
        assertEquals(0, run("extract", "--model", "m", "-e", "city", "--offsets", "UTF-16", text).code());
    }

    @Test
    void labelsFromRepeatedFlagsVerbatimFlagsAndFiles() throws IOException {
        Path labels = file("labels.txt", "\uFEFF# entity types\nperson\n\n  city, state  \n");
        Path rels = file("rels.txt", "born in\nlives in, near\n");
        CliRunner.Result r = run("extract", "--model", "m", "-e", "org, date", "-e", "event", "--entity", "country, region",
                "--entities-file", labels.toString(), "--relations", "works for", "--relation", "a, b",
                "--relations-file", rels.toString(), "Text");
        assertEquals(0, r.code(), r.stderr());
        ExtractionRequest req = fake.received.get(0);
        assertEquals(List.of("org", "date", "event", "country, region", "person", "city, state"), req.entityLabels());
        assertEquals(List.of("works for", "a, b", "born in", "lives in, near"), req.relationLabels());
    }

    @Test
    void jsonlInputWithPerLineOverrides() throws IOException {
        Path in = file("in.jsonl", String.join("\n",
                "{\"text\": \"Alice met Bob\"}",
                "{\"text\": \"Carol\", \"entities\": [\"org\", \"a, b\"], \"relations\": [], \"threshold\": 0.2}",
                "{\"text\": \"Dan\", \"adjacency_threshold\": 0.1, \"relation_threshold\": 0.9, \"nested\": true,"
                        + " \"multi_label\": true, \"id\": {\"doc\": 7}}",
                "{\"text\": \"Eve\", \"flat_ner\": false, \"threshold\": 0.4, \"relation_threshold\": null}",
                "\"Frank as a JSON string\""));
        CliRunner.Result r = run("extract", "--model", "m", "-e", "person", "-r", "knows", "--relation-threshold", "0.7",
                "--input", in.toString());
        assertEquals(0, r.code(), r.stderr());
        List<ExtractionRequest> reqs = fake.received;
        assertEquals(5, reqs.size());
        assertEquals(List.of("person"), reqs.get(0).entityLabels());
        assertEquals(List.of("knows"), reqs.get(0).relationLabels());
        assertEquals(new ExtractionOptions(0.5, 0.5, 0.7, true, false, OffsetUnit.UTF16), reqs.get(0).options());
        assertEquals(List.of("org", "a, b"), reqs.get(1).entityLabels());
        assertEquals(List.of(), reqs.get(1).relationLabels());
        // line threshold 0.2: adjacency follows it, the explicit --relation-threshold stays.
        assertEquals(new ExtractionOptions(0.2, 0.2, 0.7, true, false, OffsetUnit.UTF16), reqs.get(1).options());
        assertEquals(new ExtractionOptions(0.5, 0.1, 0.9, false, true, OffsetUnit.UTF16), reqs.get(2).options());
        assertEquals(new ExtractionOptions(0.4, 0.4, 0.7, false, false, OffsetUnit.UTF16), reqs.get(3).options());
        assertEquals("Frank as a JSON string", reqs.get(4).text());

        List<JsonNode> out = r.lines();
        assertEquals(5, out.size());
        for (int i = 0; i < 5; i++) assertEquals(i + 1, out.get(i).get("line").asInt());
        assertEquals(7, out.get(2).get("id").get("doc").asInt());
        assertFalse(out.get(0).has("id"));
        assertEquals("org", out.get(1).get("entities").get(0).get("label").asText());
    }

    @Test
    void badLinesBecomeErrorLinesWithLineNumbersAndOthersStillRun() throws IOException {
        Path in = file("in.jsonl", String.join("\n",
                "{\"text\": \"Good One\"}",                       // 1
                "{\"text\": \"broken",                            // 2 invalid JSON
                "",                                               // 3 blank: skipped
                "{\"txt\": \"typo\"}",                            // 4 unknown key
                "{\"id\": 5}",                                    // 5 missing text
                "{\"text\": 42}",                                 // 6 text not a string
                "{\"text\": \"x\", \"threshold\": \"high\"}",     // 7 wrong type
                "{\"text\": \"x\", \"threshold\": 1.5}",          // 8 out of range
                "[1, 2]",                                         // 9 not an object
                "{\"text\": \"x\", \"entities\": []}",            // 10 no labels
                "{\"text\": \"a\"} {\"text\": \"b\"}",            // 11 two objects on a line
                "{\"text\": \"a\", \"text\": \"b\"}",             // 12 duplicate key
                "{\"text\": \"Good Two\", \"id\": \"last\"}"));   // 13
        CliRunner.Result r = run("extract", "--model", "m", "-e", "person", "-i", in.toString());
        assertEquals(ExitCodes.LINE_ERRORS, r.code());
        List<JsonNode> out = r.lines();
        List<Integer> lineNumbers = out.stream().map(n -> n.get("line").asInt()).toList();
        assertEquals(List.of(1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), lineNumbers);
        assertFalse(out.get(0).has("error"));
        assertEquals(2, out.get(0).get("entities").size());
        for (int i = 1; i <= 10; i++) {
            assertTrue(out.get(i).has("error"), "line " + lineNumbers.get(i) + " should be an error: " + out.get(i));
            assertFalse(out.get(i).has("entities"));
        }
        assertTrue(out.get(1).get("error").asText().startsWith("invalid JSON"), out.get(1).toString());
        assertTrue(out.get(2).get("error").asText().contains("\"txt\""));
        assertTrue(out.get(3).get("error").asText().contains("missing \"text\""));
        assertEquals(5, out.get(3).get("id").asInt(), "id echoed on error lines");
        assertTrue(out.get(4).get("error").asText().contains("\"text\" must be a string"));
        assertTrue(out.get(5).get("error").asText().contains("\"threshold\" must be a number"));
        assertTrue(out.get(6).get("error").asText().contains("[0, 1]"));
        assertTrue(out.get(7).get("error").asText().contains("JSON object"));
        assertTrue(out.get(8).get("error").asText().contains("no entity labels"));
        assertTrue(out.get(10).get("error").asText().toLowerCase().contains("duplicate"));
        assertEquals("last", out.get(11).get("id").asText());
        assertEquals(2, out.get(11).get("entities").size());

        assertTrue(r.stderr().contains("relex: line 2: invalid JSON"), r.stderr());
        assertTrue(r.stderr().contains("relex: line 13") == false, r.stderr());
        assertTrue(r.stderr().contains("10 of 12 inputs failed"), r.stderr());
    }

    @Test
    void aTextTheModelRejectsFailsAloneInsideItsBatch() {
        CliRunner.Result r = run("extract", "--model", "m", "-e", "person", "--batch-size", "4",
                "First One", "BOOM here", "Third", "Fourth");
        assertEquals(ExitCodes.LINE_ERRORS, r.code());
        List<JsonNode> out = r.lines();
        assertEquals(4, out.size());
        assertEquals("fake model cannot handle BOOM", out.get(1).get("error").asText());
        assertEquals(2, out.get(1).get("line").asInt());
        assertEquals("First One", out.get(0).get("text").asText());
        assertEquals("Third", out.get(2).get("text").asText());
        assertEquals("Fourth", out.get(3).get("text").asText());
        assertTrue(r.stderr().contains("relex: text 2: fake model cannot handle BOOM"), r.stderr());
    }

    @Test
    void batchesAreFilledUpToBatchSize() {
        String[] args = {"extract", "--model", "m", "-e", "p", "--batch-size", "3", "a", "b", "c", "d", "e", "f", "g"};
        assertEquals(0, run(args).code());
        assertEquals(List.of(3, 3, 1), fake.batchSizes);
    }

    @Test
    void severalThreadsKeepInputOrder() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 40; i++) sb.append("{\"text\": \"Word").append(i).append(" x\"}\n");
        Path in = file("many.jsonl", sb.toString());
        Path outFile = tmp.resolve("out.jsonl");
        CliRunner.Result r = run("extract", "--model", "m", "-e", "p", "--threads", "3", "--batch-size", "2",
                "--input", in.toString(), "--output", outFile.toString());
        assertEquals(0, r.code(), r.stderr());
        assertEquals("", r.stdout(), "results go to the --output file");
        List<JsonNode> out = CliRunner.parseJsonl(Files.readString(outFile, StandardCharsets.UTF_8));
        assertEquals(40, out.size());
        for (int i = 0; i < 40; i++) {
            assertEquals(i + 1, out.get(i).get("line").asInt());
            assertEquals("Word" + (i + 1), out.get(i).get("entities").get(0).get("text").asText());
        }
    }

    @Test
    void standardInputIsReadWhenNoTextAndNoInputGiven() {
        CliRunner.Result r = runWithStdin("{\"text\": \"From Stdin\"}\n\n{\"text\": \"Again\"}\n",
                "extract", "--model", "m", "-e", "p");
        assertEquals(0, r.code(), r.stderr());
        List<JsonNode> out = r.lines();
        assertEquals(2, out.size());
        assertEquals(3, out.get(1).get("line").asInt(), "blank lines are skipped but counted");
        CliRunner.Result dash = runWithStdin("{\"text\": \"Dash\"}\n", "extract", "--model", "m", "-e", "p", "--input", "-");
        assertEquals("Dash", dash.lines().get(0).get("text").asText());
    }

    @Test
    void plainTextInputFormat() throws IOException {
        Path in = file("in.txt", "\uFEFFFirst line of Text\n\n{\"text\": \"not parsed\"}\r\n");
        CliRunner.Result r = run("extract", "--model", "m", "-e", "p", "--input-format", "text", "-i", in.toString());
        assertEquals(0, r.code(), r.stderr());
        List<JsonNode> out = r.lines();
        assertEquals(2, out.size());
        assertEquals("First line of Text", out.get(0).get("text").asText());
        assertEquals(3, out.get(1).get("line").asInt());
        assertEquals("{\"text\": \"not parsed\"}", out.get(1).get("text").asText());
    }

    @Test
    void failOnTruncationFromFlagAndPerLine() throws IOException {
        Path in = file("in.jsonl", "{\"text\": \"a\"}\n{\"text\": \"b\", \"fail_on_truncation\": false}\n");
        assertEquals(0, run("extract", "--model", "m", "-e", "p", "--fail-on-truncation", "-i", in.toString()).code());
        assertTrue(fake.received.get(0).options().failOnTruncation());
        assertFalse(fake.received.get(1).options().failOnTruncation());
        assertEquals(0, run("extract", "--model", "m", "-e", "p", "x").code());
        assertFalse(fake.received.get(2).options().failOnTruncation(), "default: report, do not fail");
    }

    @Test
    void truncationIsReported() {
        // 10 words, the fake keeps 8: processing stops after "h" at UTF-16 offset 15.
        CliRunner.Result r = run("extract", "--model", "m", "-e", "p", "a b c d e f g h i j");
        JsonNode line = r.lines().get(0);
        assertTrue(line.get("truncated").asBoolean());
        JsonNode t = line.get("truncation");
        assertEquals(10, t.get("total_words").asInt());
        assertEquals(8, t.get("processed_words").asInt());
        assertEquals(15, t.get("processed_chars").asInt());
    }

    @Test
    void nonAsciiTextIsWrittenAsUtf8() {
        CliRunner.Result r = run("extract", "--model", "m", "-e", "p", "Zoë Saldaña 東京");
        assertTrue(r.stdout().contains("\"Zoë Saldaña 東京\""), r.stdout());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(ExitCodes.USAGE, run("extract", "-e", "p", "text").code(), "missing --model");
        assertEquals(ExitCodes.USAGE, run("extract", "--model", "m", "text").code(), "no entity labels");
        assertEquals(ExitCodes.USAGE, run("extract", "--model", "m", "-e", "p", "-t", "1.5", "x").code());
        assertEquals(ExitCodes.USAGE, run("extract", "--model", "m", "-e", "p", "-t", "abc", "x").code());
        assertEquals(ExitCodes.USAGE, run("extract", "--model", "m", "-e", "p", "--relation-threshold", "-0.1", "x").code());
        assertEquals(ExitCodes.USAGE, run("extract", "--model", "m", "-e", "p", "--offsets", "bytes", "x").code());
        assertEquals(ExitCodes.USAGE, run("extract", "--model", "m", "-e", "p", "--threads", "0", "x").code());
        assertEquals(ExitCodes.USAGE, run("extract", "--model", "m", "-e", "p", "--bogus", "x").code());
        assertEquals(ExitCodes.USAGE, run("extract", "--model", "m", "-e", "p", "-i", "f.jsonl", "x").code());
        assertEquals(ExitCodes.USAGE, run("extract", "--model", "m", "--entity", " ", "x").code());
        assertEquals(ExitCodes.USAGE, run().code(), "no subcommand");
        CliRunner.Result bad = run("extract", "--model", "m", "-e", "p", "--offsets", "bytes", "x");
        assertTrue(bad.stderr().contains("utf16 or codepoints"), bad.stderr());
        assertTrue(loaded.isEmpty(), "no model is loaded for an invalid command line");
    }

    @Test
    void unusableModelOrFilesExitWithThree() {
        CliRunner.Result r = CliRunner.run((dir, tokenizer) -> {
            throw new IllegalStateException("no gliner_config.json in " + dir);
        }, "extract", "--model", "nowhere", "-e", "p", "x");
        assertEquals(ExitCodes.FATAL, r.code());
        assertTrue(r.stderr().contains("cannot load model nowhere"), r.stderr());
        assertTrue(r.stderr().contains("no gliner_config.json in nowhere"), r.stderr());
        assertEquals("", r.stdout());

        CliRunner.Result missing = run("extract", "--model", "m", "-e", "p", "-i", tmp.resolve("absent.jsonl").toString());
        assertEquals(ExitCodes.FATAL, missing.code());
        assertTrue(missing.stderr().contains("absent.jsonl"), missing.stderr());
        assertTrue(loaded.isEmpty(), "input is checked before the (slow) model load");

        CliRunner.Result badOutput = run("extract", "--model", "m", "-e", "p", "-o",
                tmp.resolve("no/such/dir/out.jsonl").toString(), "x");
        assertEquals(ExitCodes.FATAL, badOutput.code());
        assertTrue(badOutput.stderr().contains("cannot write output file"), badOutput.stderr());
        assertTrue(loaded.isEmpty(), "output is checked before the model load");

        CliRunner.Result missingLabels = run("extract", "--model", "m", "--entities-file", "/nonexistent/labels", "x");
        assertEquals(ExitCodes.USAGE, missingLabels.code());
        assertTrue(missingLabels.stderr().contains("/nonexistent/labels"), missingLabels.stderr());
    }

    @Test
    void helpAndVersionExitZero() {
        CliRunner.Result help = run("extract", "--help");
        assertEquals(0, help.code());
        assertTrue(help.stdout().contains("--adjacency-threshold"));
        assertTrue(help.stdout().contains("--offsets"));
        assertEquals(0, run("--version").code());
    }

    private static void assertEntity(JsonNode e, int start, int end, String text, String label, double score) {
        assertEquals(List.of("start", "end", "text", "label", "score"), fieldNames(e));
        assertEquals(start, e.get("start").asInt(), e.toString());
        assertEquals(end, e.get("end").asInt(), e.toString());
        assertEquals(text, e.get("text").asText());
        assertEquals(label, e.get("label").asText());
        assertEquals(score, e.get("score").asDouble());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
