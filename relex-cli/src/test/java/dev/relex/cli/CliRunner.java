package dev.relex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs {@link RelexCli} in-process with captured streams. */
final class CliRunner {
    static final ObjectMapper JSON = new ObjectMapper();

    record Result(int code, String stdout, String stderr) {
        /** Standard output parsed as JSONL (every line must be a JSON object). */
        List<JsonNode> lines() {
            return parseJsonl(stdout);
        }
    }

    private CliRunner() {}

    static Result runWithStdin(ModelLoader loader, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err, loader);
        int code = RelexCli.run(ctx, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(ModelLoader loader, String... args) {
        return runWithStdin(loader, "", args);
    }

    static List<JsonNode> parseJsonl(String s) {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : s.split("\n")) {
            if (line.isEmpty()) continue;
            try {
                JsonNode n = JSON.readTree(line);
                if (!n.isObject()) throw new AssertionError("output line is not a JSON object: " + line);
                nodes.add(n);
            } catch (IOException e) {
                throw new UncheckedIOException("output line is not JSON: " + line, e);
            }
        }
        return nodes;
    }
}
