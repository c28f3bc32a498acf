package dev.relex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code relex eval} with the golden random-weight model on the shared datasets. */
class EvalCommandTest {
    static final Path DATASETS = GoldenData.SHARED.resolve("datasets");

    static void assumeData() {
        assumeTrue(Files.isDirectory(GoldenData.SPAN_GCN_MODEL) && Files.isDirectory(DATASETS), "shared data missing");
    }

    static String[] args(Path out, String... extra) {
        String[] base = {"eval", "--model", GoldenData.SPAN_GCN_MODEL.toString(), "--datasets-dir", DATASETS.toString(),
                "--output", out.toString(), "--no-progress"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void extractionReportOnConll04(@TempDir Path dir) throws Exception {
        assumeData();
        Path out = dir.resolve("r.json");
        CliRunner.Result r = CliRunner.run(null, args(out, "--dataset", "conll04", "--split", "test", "--limit", "12",
                "--threshold", "0.6", "--relation-threshold", "0.55"));
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.stdout().contains("relations strict"), r.stdout());
        JsonNode j = CliRunner.JSON.readTree(out.toFile());
        assertEquals("evaluation", j.get("kind").asText());
        assertEquals(12, j.get("texts").asInt());
        assertEquals(0.6, j.get("thresholds").get("entity").asDouble());
        assertEquals(0.6, j.get("thresholds").get("adjacency").asDouble());
        assertEquals(0.55, j.get("thresholds").get("relation").asDouble());
        for (String m : new String[] {"entities_strict", "relations_strict", "relations_boundaries", "relations_text"}) {
            assertTrue(j.get("metrics").has(m), m);
        }
        // gold counts of the first 12 test sentences come from the file, not from the model
        assertTrue(j.get("metrics").get("entities_strict").get("micro").get("gold").asInt() > 0);
        assertEquals("works for", j.get("dataset").get("label_mapping").get("relations").get("Work_For").asText());
        assertEquals(Files.size(DATASETS.resolve("conll04/test_triples.json")) > 0, true);
        assertEquals(64, j.get("dataset").get("sha256").asText().length());
        assertEquals(64, j.get("model").get("fingerprint_sha256").asText().length());
        assertTrue(j.get("timings").has("texts_per_second"));
        // a second run gives the same report apart from timings
        Path out2 = dir.resolve("r2.json");
        assertEquals(0, CliRunner.run(null, args(out2, "--dataset", "conll04", "--split", "test", "--limit", "12",
                "--threshold", "0.6", "--relation-threshold", "0.55", "--threads", "2", "--batch-size", "5")).code());
        ObjectNode a = (ObjectNode) j, b = (ObjectNode) CliRunner.JSON.readTree(out2.toFile());
        a.remove("timings");
        b.remove("timings");
        assertEquals(a, b);
    }

    @Test
    void sweepReport(@TempDir Path dir) throws Exception {
        assumeData();
        Path out = dir.resolve("s.json");
        CliRunner.Result r = CliRunner.run(null, args(out, "--dataset", "conll04", "--split", "dev", "--limit", "6", "--sweep"));
        assertEquals(0, r.code(), r.stderr());
        JsonNode j = CliRunner.JSON.readTree(out.toFile());
        assertEquals("sweep", j.get("kind").asText());
        assertEquals(100, j.get("coarse_grid").size());
        assertTrue(j.get("best").has("relations_strict_micro_f1"));
    }

    @Test
    void classificationOnCrossReDev(@TempDir Path dir) throws Exception {
        assumeData();
        Path out = dir.resolve("c.json");
        CliRunner.Result r = CliRunner.run(null, args(out, "--dataset", "crossre", "--split", "news-dev", "--limit", "10",
                "--relation-threshold", "0.5"));
        assertEquals(0, r.code(), r.stderr());
        JsonNode j = CliRunner.JSON.readTree(out.toFile());
        assertEquals("classification", j.get("kind").asText());
        assertEquals("multi_label", j.get("protocol").asText());
        assertTrue(j.get("instances").asInt() > 0);
    }

    @Test
    void fewrelStyleSingleLabelUsesTheWholeFilesLabels(@TempDir Path dir) throws Exception {
        assumeData();
        Path out = dir.resolve("f.json");
        // the first 30 instances all belong to one relation; the prompt still holds all 10 relations of the file
        CliRunner.Result r = CliRunner.run(null, args(out, "--dataset", "fewrel2-pubmed", "--split", "val", "--limit", "30"));
        assertEquals(0, r.code(), r.stderr());
        JsonNode j = CliRunner.JSON.readTree(out.toFile());
        assertEquals("single_label", j.get("protocol").asText());
        assertEquals(30, j.get("instances").asInt());
        assertEquals(10, j.get("prompt_relation_labels").size());
        assertEquals(10, j.get("metrics").get("labels_averaged").size());
    }

    @Test
    void docredWindows(@TempDir Path dir) throws Exception {
        assumeData();
        Path out = dir.resolve("d.json");
        CliRunner.Result r = CliRunner.run(null, args(out, "--dataset", "docred", "--split", "dev", "--limit", "2",
                "--threshold", "0.7", "--relation-threshold", "0.9"));
        assertEquals(0, r.code(), r.stderr());
        JsonNode j = CliRunner.JSON.readTree(out.toFile());
        assertEquals("document", j.get("kind").asText());
        assertEquals(2, j.get("documents").asInt());
        assertTrue(j.get("gold_facts").asInt() > 0);
        assertTrue(j.get("gold_entity_protocol").get("ign_reference").asText().startsWith("none"));
    }

    @Test
    void badDatasetOrSplitIsAClearError(@TempDir Path dir) {
        assumeData();
        CliRunner.Result r = CliRunner.run(null, args(dir.resolve("x.json"), "--dataset", "nope", "--split", "test"));
        assertEquals(ExitCodes.FATAL, r.code());
        assertTrue(r.stderr().contains("unknown dataset 'nope'"), r.stderr());
        r = CliRunner.run(null, args(dir.resolve("x.json"), "--dataset", "conll04", "--split", "nosuch"));
        assertEquals(ExitCodes.FATAL, r.code());
        assertTrue(r.stderr().contains("nosuch"), r.stderr());
        r = CliRunner.run(null, args(dir.resolve("x.json"), "--dataset", "conll04", "--split", "test", "--threshold", "1.5"));
        assertEquals(ExitCodes.USAGE, r.code());
    }
}
