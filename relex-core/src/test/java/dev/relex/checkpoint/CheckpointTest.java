package dev.relex.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointTest {
    @TempDir
    Path tmp;

    private static String openFails(Path dir) {
        return assertThrows(CheckpointException.class, () -> Checkpoint.open(dir).close()).getMessage();
    }

    /** Writes the spec's tensors (minus {@code skip}, with {@code override}s) as model.safetensors. */
    private Path checkpoint(String name, ObjectNode config, String skip, Map<String, long[]> override,
                            java.util.function.Consumer<SafeTensorsWriter> extra) {
        Path dir = tmp.resolve(name);
        TinyCheckpoints.writeConfig(dir, config);
        ArchitectureSpec spec = ArchitectureSpec.forConfig(GlinerConfig.fromJson(config));
        SafeTensorsWriter w = new SafeTensorsWriter();
        java.util.Random rnd = new java.util.Random(3);
        for (ArchitectureSpec.TensorSpec t : spec.tensors().values()) {
            if (t.name().equals(skip)) continue;
            long[] shape = override.getOrDefault(t.name(), t.shape());
            w.putFloats(t.name(), TinyCheckpoints.random(rnd, shape), shape);
        }
        extra.accept(w);
        w.write(dir.resolve("model.safetensors"));
        return dir;
    }

    @Test
    void opensSyntheticCheckpointAndReadsWeights() {
        ObjectNode cfg = TinyCheckpoints.debertaConfig();
        Path dir = TinyCheckpoints.write(tmp.resolve("ok"), cfg, "model.safetensors", DType.F32);
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(GlinerConfig.ModelKind.SPAN_RELEX, c.config().modelKind());
            assertEquals(dir.resolve("model.safetensors"), c.weightsFile());
            assertNull(c.tokenizerFile());
            assertTrue(c.validationReport().isValid());
            assertEquals(List.of(), c.validationReport().unexpectedKeys());
            assertArrayEquals(new long[] {6, 8}, c.weights().info("token_rep_layer.projection.weight").shape());
        }
    }

    @Test
    void halfPrecisionVariantsAreWidenedToFloat32() {
        ObjectNode cfg = TinyCheckpoints.debertaConfig();
        ArchitectureSpec spec = ArchitectureSpec.forConfig(GlinerConfig.fromJson(cfg));
        Map<String, float[]> values = TinyCheckpoints.randomWeights(spec, 11);
        for (DType dt : new DType[] {DType.F16, DType.BF16}) {
            Path dir = tmp.resolve(dt.name());
            TinyCheckpoints.writeConfig(dir, cfg);
            SafeTensorsWriter w = new SafeTensorsWriter();
            values.forEach((k, v) -> w.putFloats(k, v, dt, spec.tensors().get(k).shape()));
            String file = dt == DType.F16 ? "model.fp16.safetensors" : "model.bf16.safetensors";
            w.write(dir.resolve(file));
            try (Checkpoint c = Checkpoint.open(dir)) {
                assertEquals(dir.resolve(file), c.weightsFile());
                String key = "prompt_rep_layer.0.weight";
                assertEquals(dt, c.weights().info(key).dtype());
                float[] expected = values.get(key);
                float[] got = c.weights().floats(key);
                // half: 11 significant bits, bfloat16: 8 → relative rounding error ≤ 2^-11 / 2^-8
                double rel = dt == DType.F16 ? 0x1p-11 : 0x1p-8;
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], got[i], Math.abs(expected[i]) * rel + 1e-7, key + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void singleFileIsPreferredOverVariants() {
        ObjectNode cfg = TinyCheckpoints.debertaConfig();
        Path dir = TinyCheckpoints.write(tmp.resolve("pref"), cfg, "model.fp16.safetensors", DType.F16);
        TinyCheckpoints.write(dir, cfg, "model.safetensors", DType.F32);
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(dir.resolve("model.safetensors"), c.weightsFile());
        }
    }

    @Test
    void shardedCheckpointLoads() {
        ObjectNode cfg = TinyCheckpoints.debertaConfig();
        ArchitectureSpec spec = ArchitectureSpec.forConfig(GlinerConfig.fromJson(cfg));
        Map<String, float[]> values = TinyCheckpoints.randomWeights(spec, 5);
        Path dir = tmp.resolve("sharded");
        TinyCheckpoints.writeConfig(dir, cfg);
        SafeTensorsWriter s1 = new SafeTensorsWriter();
        SafeTensorsWriter s2 = new SafeTensorsWriter();
        ObjectNode index = TinyCheckpoints.JSON.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode map = index.putObject("weight_map");
        int i = 0;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            boolean first = i++ % 2 == 0;
            (first ? s1 : s2).putFloats(e.getKey(), e.getValue(), spec.tensors().get(e.getKey()).shape());
            map.put(e.getKey(), first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        s1.write(dir.resolve("model-00001-of-00002.safetensors"));
        s2.write(dir.resolve("model-00002-of-00002.safetensors"));
        TinyCheckpoints.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertInstanceOf(ShardedTensorSource.class, c.weights());
            assertEquals(2, ((ShardedTensorSource) c.weights()).shards().size());
            assertEquals(values.keySet(), c.weights().names());
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                assertArrayEquals(e.getValue(), c.weights().floats(e.getKey()), e.getKey());
            }
        }
        // a shard named by the index but absent
        Path missing = dir.resolve("model-00002-of-00002.safetensors");
        missing.toFile().renameTo(dir.resolve("moved").toFile());
        String m = openFails(dir);
        assertTrue(m.contains("model-00002-of-00002.safetensors") && m.contains("missing"), m);
        // a tensor mapped to a shard that does not hold it
        dir.resolve("moved").toFile().renameTo(missing.toFile());
        String someKey = values.keySet().iterator().next();
        map.put(someKey, "model-00002-of-00002.safetensors");
        TinyCheckpoints.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
        m = openFails(dir);
        assertTrue(m.contains(someKey) && m.contains("does not contain"), m);
    }

    @Test
    void misShapedAndMissingTensorsAreAllListed() {
        String bad = "span_rep_layer.span_rep_layer.out_project.0.weight";
        String gone = "rnn.lstm.weight_hh_l0_reverse";
        Path dir = checkpoint("bad", TinyCheckpoints.debertaConfig(), gone, Map.of(bad, new long[] {24, 6}), w -> { });
        String m = openFails(dir);
        assertTrue(m.contains("tensor '" + bad + "': expected shape [24, 12], found [24, 6]"), m);
        assertTrue(m.contains("missing tensor '" + gone + "' (expected shape [12, 3])"), m);
        assertTrue(m.contains("2 problems"), m);
    }

    @Test
    void unexpectedKeysAreReportedAndIgnorableOnesAreNot() {
        Path dir = checkpoint("extra", TinyCheckpoints.debertaConfig(), null, Map.of(), w -> w
                .putFloats("some_new_head.weight", new float[] {1f, 2f}, 2)
                .putLongs(ArchitectureSpec.ENCODER_PREFIX + "embeddings.position_ids", new long[] {0, 1, 2}, 1, 3)
                .putFloats("cross_fuser.layer.0.weight", new float[] {1f}, 1)
                .putFloats("precomputed_prompts", new float[] {1f}, 1));
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(List.of("some_new_head.weight"), c.validationReport().unexpectedKeys());
            assertEquals(3, c.validationReport().ignoredKeys().size());
        }
    }

    @Test
    void wrongDtypeForAWeightIsAnError() {
        String key = "prompt_rep_layer.3.bias";
        Path dir = checkpoint("dtype", TinyCheckpoints.debertaConfig(), key, Map.of(),
                w -> w.putLongs(key, new long[6], 6));
        String m = openFails(dir);
        assertTrue(m.contains(key) && m.contains("I64"), m);
    }

    @Test
    void markerIdsOutsideVocabularyOrUnsetAreErrors() {
        ObjectNode cfg = TinyCheckpoints.debertaConfig();
        cfg.put("class_token_index", 20);
        cfg.put("rel_token_index", -1);
        Path dir = TinyCheckpoints.write(tmp.resolve("ids"), cfg, "model.safetensors", DType.F32);
        String m = openFails(dir);
        assertTrue(m.contains("class_token_index 20") && m.contains("20 rows"), m);
        assertTrue(m.contains("rel_token_index is -1"), m);
    }

    @Test
    void vocabularySizeComesFromTheConfig() {
        ObjectNode cfg = TinyCheckpoints.debertaConfig();
        Path dir = checkpoint("vocab", cfg, null,
                Map.of(ArchitectureSpec.ENCODER_PREFIX + "embeddings.word_embeddings.weight", new long[] {22, 8}), w -> { });
        String m = openFails(dir);
        assertTrue(m.contains("embeddings.word_embeddings.weight': expected shape [20, 8], found [22, 8]"), m);
    }

    @Test
    void tokenizerMarkersAreCheckedAgainstTheConfig() {
        ObjectNode cfg = TinyCheckpoints.debertaConfig();
        Path dir = TinyCheckpoints.write(tmp.resolve("tok"), cfg, "model.safetensors", DType.F32);
        String tok = "{\"version\":\"1.0\",\"truncation\":null,\"added_tokens\":[{\"id\":0,\"content\":\"[PAD]\"},"
                + "{\"id\":17,\"content\":\"<<ENT>>\",\"special\":true},{\"id\":18,\"content\":\"<<SEP>>\"},"
                + "{\"id\":19,\"content\":\"<<REL>>\"}],\"model\":{\"vocab\":[[\"a\",0.0]]}}";
        TinyCheckpoints.writeString(dir.resolve("tokenizer.json"), tok);
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(dir.resolve("tokenizer.json"), c.requireTokenizerFile());
            assertEquals(List.of(), c.validationReport().warnings());
        }
        TinyCheckpoints.writeString(dir.resolve("tokenizer.json"), tok.replace("\"id\":19", "\"id\":16"));
        String m = openFails(dir);
        assertTrue(m.contains("rel_token_index is 19") && m.contains("<<REL>> the id 16"), m);
        // an explicitly given tokenizer that does not exist
        Path nowhere = tmp.resolve("nowhere.json");
        m = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir, nowhere)).getMessage();
        assertTrue(m.contains(nowhere.toString()), m);
    }

    @Test
    void tokenLevelModelHasTheScorer() {
        ObjectNode cfg = TinyCheckpoints.debertaConfig();
        cfg.put("span_mode", "token_level");
        Path dir = TinyCheckpoints.write(tmp.resolve("token"), cfg, "model.safetensors", DType.F32);
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(GlinerConfig.ModelKind.TOKEN_RELEX, c.config().modelKind());
            assertArrayEquals(new long[] {3, 24}, c.weights().info("scorer.out_mlp.3.weight").shape());
        }
        // a span checkpoint's weights under a token config: the scorer is missing
        ObjectNode spanCfg = TinyCheckpoints.debertaConfig();
        Path span = TinyCheckpoints.write(tmp.resolve("span"), spanCfg, "model.safetensors", DType.F32);
        TinyCheckpoints.writeConfig(span, cfg);
        String m = openFails(span);
        assertTrue(m.contains("missing tensor 'scorer.proj_token.weight'"), m);
    }

    @Test
    void unsupportedConfigurations() {
        record Case(String field, Object value, String expected) {
        }
        List<Case> cases = new ArrayList<>(List.of(
                new Case("relations_layer", null, "relations_layer: null"),
                new Case("triples_layer", "DistMult", "triples_layer 'DistMult' is not supported yet"),
                new Case("fuse_layers", true, "fuse_layers: true is not supported yet"),
                new Case("span_mode", "markerV1", "span_mode 'markerV1' is not supported yet"),
                new Case("subtoken_pooling", "mean", "subtoken_pooling 'mean' is not supported yet"),
                new Case("words_splitter_type", "spacy", "words_splitter_type 'spacy' is not supported yet"),
                new Case("precomputed_prompts_mode", "mean", "precomputed_prompts_mode 'mean' is not supported yet"),
                new Case("relations_layer", "transformer", "relations_layer 'transformer' is not supported"),
                new Case("hidden_size", 7, "must be even")));
        for (Case c : cases) {
            ObjectNode cfg = TinyCheckpoints.debertaConfig();
            if (c.value == null) cfg.putNull(c.field);
            else if (c.value instanceof Boolean b) cfg.put(c.field, b);
            else if (c.value instanceof Integer n) cfg.put(c.field, n);
            else cfg.put(c.field, (String) c.value);
            Path dir = tmp.resolve("unsupported-" + c.field + "-" + c.value);
            TinyCheckpoints.writeConfig(dir, cfg);
            String m = openFails(dir);
            assertTrue(m.contains(c.expected), c + " → " + m);
            assertTrue(m.contains(Checkpoint.CONFIG_FILE), m);
        }
        for (String type : new String[] {"deberta", "roberta"}) {
            ObjectNode cfg = TinyCheckpoints.debertaConfig();
            ((ObjectNode) cfg.get("encoder_config")).put("model_type", type);
            Path dir = tmp.resolve("enc-" + type);
            TinyCheckpoints.writeConfig(dir, cfg);
            String m = openFails(dir);
            assertTrue(m.contains("model_type '" + type + "'") && m.contains("not supported"), m);
            if (type.equals("deberta")) assertTrue(m.contains("DeBERTa v1"), m);
        }
        // several problems are reported together
        ObjectNode cfg = TinyCheckpoints.debertaConfig();
        cfg.put("fuse_layers", true);
        cfg.put("triples_layer", "TransE");
        TinyCheckpoints.writeConfig(tmp.resolve("two"), cfg);
        String m = openFails(tmp.resolve("two"));
        assertTrue(m.contains("fuse_layers") && m.contains("TransE"), m);
    }

    @Test
    void badDirectories() throws Exception {
        assertTrue(openFails(tmp.resolve("does-not-exist")).contains("does not exist"));
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        assertTrue(openFails(file).contains("not a checkpoint directory"));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        String m = openFails(empty);
        assertTrue(m.contains("missing gliner_config.json") && m.contains(empty.toString()), m);
        Files.writeString(empty.resolve("config.json"), "{}");
        assertTrue(openFails(empty).contains("plain Hugging Face model"));

        Path noWeights = tmp.resolve("noweights");
        TinyCheckpoints.writeConfig(noWeights, TinyCheckpoints.debertaConfig());
        m = openFails(noWeights);
        assertTrue(m.contains("no weights") && m.contains("model.safetensors"), m);
        Files.write(noWeights.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
        assertTrue(openFails(noWeights).contains("pytorch_model.bin is not supported; convert to safetensors"));

        Path badJson = tmp.resolve("badjson");
        TinyCheckpoints.writeString(badJson.resolve(Checkpoint.CONFIG_FILE), "{\"hidden_size\": ");
        m = openFails(badJson);
        assertTrue(m.contains("gliner_config.json") && m.contains("invalid JSON"), m);
        TinyCheckpoints.writeString(badJson.resolve(Checkpoint.CONFIG_FILE), "{\"hidden_size\": 4}");
        assertTrue(openFails(badJson).contains("encoder_config"));

        Path truncated = TinyCheckpoints.write(tmp.resolve("trunc"), TinyCheckpoints.debertaConfig(), "model.safetensors", DType.F32);
        byte[] all = Files.readAllBytes(truncated.resolve("model.safetensors"));
        Files.write(truncated.resolve("model.safetensors"), java.util.Arrays.copyOf(all, all.length - 10));
        m = openFails(truncated);
        assertTrue(m.contains("model.safetensors") && m.contains("truncated"), m);
    }
}
