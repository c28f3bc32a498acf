package dev.relex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.checkpoint.SafeTensorsWriter;
import dev.relex.checkpoint.TensorInfo;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static CliRunner.Result info(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "info";
        System.arraycopy(args, 0, argv, 1, args.length);
        return CliRunner.run((dir, tokenizer) -> {
            throw new AssertionError("info must not load a model for extraction");
        }, argv);
    }

    @TestFactory
    List<DynamicTest> summarisesEveryGoldenCheckpoint() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path caseDir : GoldenData.relexCases()) {
            tests.add(DynamicTest.dynamicTest(caseDir.getFileName().toString(), () -> {
                Path model = caseDir.resolve("model");
                List<String> args = new ArrayList<>(List.of("--model", model.toString()));
                if (!Files.exists(model.resolve("tokenizer.json"))) {
                    // README: the DeBERTa cases share relex-span-gcn's tokenizer.
                    args.addAll(List.of("--tokenizer", GoldenData.SPAN_GCN_MODEL.resolve("tokenizer.json").toString()));
                }
                CliRunner.Result r = info(args.toArray(String[]::new));
                assertEquals(ExitCodes.OK, r.code(), r.stdout() + r.stderr());
                JsonNode cfg = JSON.readTree(model.resolve("gliner_config.json").toFile());
                String out = r.stdout();
                assertTrue(out.contains("span_mode:         " + cfg.get("span_mode").asText()), out);
                assertTrue(out.contains("head width:        " + cfg.get("hidden_size").asInt()), out);
                assertTrue(out.contains("relations_layer:   " + cfg.get("relations_layer").asText()), out);
                assertTrue(out.contains("rnn layers:        " + cfg.get("num_rnn_layers").asInt()), out);
                assertTrue(out.contains("hidden " + cfg.get("encoder_config").get("hidden_size").asInt() + ","), out);
                assertTrue(out.contains("(" + headerTensorCount(model.resolve("model.safetensors")) + " tensors"), out);
                assertTrue(out.contains("validation: OK"), out);
                assertTrue(out.contains("usable for extraction: yes"), out);
            }));
        }
        assertFalse(tests.isEmpty(), "no relex-* golden cases under " + GoldenData.GOLDEN);
        return tests;
    }

    @Test
    void missingTokenizerIsReportedAsUnusable() throws IOException {
        Path dir = copyGoldenWith(name -> true, false);
        CliRunner.Result r = info("--model", dir.toString());
        assertEquals(ExitCodes.FATAL, r.code());
        assertTrue(r.stdout().contains("tokenizer: MISSING"), r.stdout());
        assertTrue(r.stdout().contains("usable for extraction: no"), r.stdout());
    }

    @Test
    void unexpectedKeysAreListed() throws IOException {
        Path dir = copyGoldenWith(name -> true, true, "extra_head.weight");
        CliRunner.Result r = info("--model", dir.toString());
        assertEquals(ExitCodes.OK, r.code(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("unexpected keys"), r.stdout());
        assertTrue(r.stdout().contains("    extra_head.weight"), r.stdout());
    }

    @Test
    void missingTensorFailsValidationNamingTheKey() throws IOException {
        String dropped = "relations_rep_layer.relation_rep_layer.proj.weight";
        Path dir = copyGoldenWith(name -> !name.equals(dropped), true);
        CliRunner.Result r = info("--model", dir.toString());
        assertEquals(ExitCodes.FATAL, r.code());
        assertTrue(r.stdout().contains("validation: FAILED"), r.stdout());
        assertTrue(r.stdout().contains(dropped), r.stdout());
    }

    @Test
    void notACheckpointDirectory() {
        CliRunner.Result r = info("--model", tmp.resolve("nothing").toString());
        assertEquals(ExitCodes.FATAL, r.code());
        assertTrue(r.stderr().contains("gliner_config.json"), r.stderr());
    }

    /** Copies the relex-span-gcn checkpoint into tmp, keeping the tensors {@code keep} accepts plus extra ones. */
    private Path copyGoldenWith(Predicate<String> keep, boolean withTokenizer, String... extra) throws IOException {
        Path src = GoldenData.SPAN_GCN_MODEL;
        Path dir = Files.createDirectories(tmp.resolve("model"));
        Files.copy(src.resolve("gliner_config.json"), dir.resolve("gliner_config.json"));
        if (withTokenizer) Files.createSymbolicLink(dir.resolve("tokenizer.json"), src.resolve("tokenizer.json").toAbsolutePath());
        SafeTensorsWriter w = new SafeTensorsWriter();
        try (SafeTensors st = SafeTensors.open(src.resolve("model.safetensors"))) {
            assertTrue(st.names().contains("relations_rep_layer.relation_rep_layer.proj.weight"), "golden layout changed");
            for (String name : st.names()) {
                if (!keep.test(name)) continue;
                TensorInfo info = st.info(name);
                w.putFloats(name, st.floats(name), info.shape());
            }
        }
        for (String name : extra) w.putFloats(name, new float[] {1, 2, 3, 4}, 2, 2);
        w.write(dir.resolve("model.safetensors"));
        return dir;
    }

    /** Number of tensors in a safetensors header, read without the project's reader. */
    private static int headerTensorCount(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] len = in.readNBytes(8);
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            JsonNode header = JSON.readTree(new String(in.readNBytes((int) n), StandardCharsets.UTF_8));
            int count = 0;
            for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
                if (!it.next().equals("__metadata__")) count++;
            }
            return count;
        }
    }
}
