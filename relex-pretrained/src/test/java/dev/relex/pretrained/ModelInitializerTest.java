package dev.relex.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.ExtractionOptions;
import dev.relex.ExtractionResult;
import dev.relex.RelexModel;
import dev.relex.checkpoint.ArchitectureSpec;
import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.checkpoint.ValidationReport;
import dev.relex.encoder.Encoder;
import dev.relex.encoder.Encoders;
import dev.relex.text.RelexTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * New checkpoints from the real bge-small-en-v1.5 and all-MiniLM-L6-v2 jars: complete and clean for
 * relex-core's contract, configured like the reference's golden BERT case, loadable by
 * {@link RelexModel}, and with an encoder identical to the pretrained one.
 */
class ModelInitializerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** gliner_config.json fields that depend on the encoder or the chosen options. */
    private static final Set<String> MODEL_SPECIFIC = Set.of("class_token_index", "rel_token_index", "dropout", "hidden_size",
            "max_len", "max_width", "model_name", "num_rnn_layers", "relations_layer", "span_mode", "vocab_size", "encoder_config");
    private static final Set<String> ENCODER_SPECIFIC = Set.of("_name_or_path", "hidden_size", "intermediate_size",
            "num_attention_heads", "num_hidden_layers", "vocab_size", "architectures", "attention_probs_dropout_prob",
            "hidden_dropout_prob");

    @TempDir
    Path tmp;

    private static InitOptions.Builder options(PretrainedEncoder e) {
        return InitOptions.builder(e).cacheDirectory(PretrainedFiles.defaultCacheDirectory())
                .resolver(MavenResolver.builder().log(m -> System.err.println("[resolver] " + m)).build());
    }

    private static void assertClean(Path dir) {
        try (Checkpoint c = Checkpoint.open(dir)) {
            ValidationReport v = c.validationReport();
            assertEquals(List.of(), v.errors(), dir + " errors");
            assertEquals(List.of(), v.unexpectedKeys(), dir + " unexpected keys");
            assertEquals(List.of(), v.ignoredKeys(), dir + " ignored keys");
            assertEquals(List.of(), v.warnings(), dir + " warnings");
            Set<String> required = new TreeSet<>();
            ArchitectureSpec.forConfig(c.config()).tensors().values().stream().filter(ArchitectureSpec.TensorSpec::required)
                    .forEach(t -> required.add(t.name()));
            assertEquals(required, new TreeSet<>(c.weights().names()), dir + " tensors");
        }
    }

    @Test
    void bgeSmallCheckpointIsCompleteConfiguredAsTheReferenceAndKeepsThePretrainedEncoder() throws IOException {
        PretrainedFiles bge = Pretrained.files(PretrainedEncoder.BGE_SMALL_EN_V15);
        Path out = tmp.resolve("bge");
        ModelInitializer.Result r = ModelInitializer.initialise(options(PretrainedEncoder.BGE_SMALL_EN_V15).seed(3).build(), out);
        assertEquals(Map.of("<<ENT>>", 30522, "<<SEP>>", 30523, "<<REL>>", 30524), r.markerIds());
        assertClean(out);
        for (String f : List.of("gliner_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", "added_tokens.json", "vocab.txt")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }

        // gliner_config.json: same keys as the reference's golden BERT case; every field that does not
        // depend on the encoder or the options has the reference's value.
        JsonNode golden = JSON.readTree(Pretrained.shared().resolve("golden/relex-bert-span-gcn/model/gliner_config.json").toFile());
        JsonNode ours = JSON.readTree(out.resolve("gliner_config.json").toFile());
        assertEquals(names(golden), names(ours));
        for (String k : names(golden)) {
            if (!MODEL_SPECIFIC.contains(k)) assertEquals(golden.get(k), ours.get(k), k);
        }
        assertEquals(names(golden.get("encoder_config")), names(ours.get("encoder_config")));
        for (String k : names(golden.get("encoder_config"))) {
            if (!ENCODER_SPECIFIC.contains(k)) assertEquals(golden.get("encoder_config").get(k), ours.get("encoder_config").get(k), k);
        }
        assertEquals(30522, ours.get("class_token_index").asInt());
        assertEquals(30524, ours.get("rel_token_index").asInt());
        assertEquals(30525, ours.get("vocab_size").asInt());
        assertEquals(30525, ours.get("encoder_config").get("vocab_size").asInt());
        assertEquals(384, ours.get("hidden_size").asInt());
        assertEquals(12, ours.get("encoder_config").get("num_hidden_layers").asInt());
        assertEquals("markerV0", ours.get("span_mode").asText());
        assertEquals("gcn", ours.get("relations_layer").asText());
        assertEquals("BAAI/bge-small-en-v1.5", ours.get("model_name").asText());

        String words = ArchitectureSpec.ENCODER_PREFIX + "embeddings.word_embeddings.weight";
        try (Checkpoint c = Checkpoint.open(out); OnnxWeights onnx = OnnxWeights.open(bge.onnxFile());
             RelexTokenizer tok = RelexTokenizer.load(out.resolve("tokenizer.json"))) {
            // Word embedding: the pretrained rows unchanged, the three marker rows ≈ the mean row.
            float[] table = c.weights().floats(words);
            float[] pretrained = onnx.floats("embeddings.word_embeddings.weight");
            assertArrayEquals(pretrained, Arrays.copyOf(table, pretrained.length));
            assertEquals(30525L * 384, table.length);
            for (int col = 0; col < 384; col++) {
                double mean = 0;
                for (int row = 0; row < 30522; row++) mean += pretrained[row * 384 + col];
                mean /= 30522;
                for (int m = 0; m < 3; m++) assertEquals(mean, table[(30522 + m) * 384 + col], 1e-4, "marker row " + m + " col " + col);
            }
            // Hidden states of the checkpoint's encoder equal the plain pretrained encoder's on the same ids.
            Encoder plain = Encoders.create(EncoderConfig.fromJson(ModelInitializer.encoderConfigJson(PretrainedEncoder.BGE_SMALL_EN_V15, 30522)), onnx, "");
            Encoder ours2 = Encoders.create(c.config().encoder(), c.weights(), ArchitectureSpec.ENCODER_PREFIX);
            int[] ids = tok.encodeWords(List.of("Ada", "Lovelace", "worked", "with", "Charles", "Babbage", "in", "London", ".")).ids();
            int[] mask = new int[ids.length];
            Arrays.fill(mask, 1);
            float[] a = new float[ids.length * 384], b = new float[ids.length * 384];
            plain.forward(ids, mask, 1, ids.length, a);
            ours2.forward(ids, mask, 1, ids.length, b);
            assertArrayEquals(a, b);
        }

        try (RelexModel m = RelexModel.load(out)) {
            ExtractionResult res = m.extract("Ada Lovelace worked with Charles Babbage in London.",
                    List.of("person", "city"), List.of("works with", "born in"),
                    ExtractionOptions.builder().threshold(0.5).build());
            assertEquals("Ada Lovelace worked with Charles Babbage in London.", res.text());
            assertTrue(res.entities().size() <= 9 * 12 * 2, "at most one label per span");
        }

        CheckpointException e = assertThrows(CheckpointException.class,
                () -> ModelInitializer.initialise(options(PretrainedEncoder.BGE_SMALL_EN_V15).build(), out));
        assertTrue(e.getMessage().contains("already holds"), e.getMessage());
    }

    @Test
    void everyHeadLayoutOnMiniLm() {
        assumeTrue(Files.isDirectory(Pretrained.shared()), "shared data not found");
        String[][] cases = {
                {"markerV0", "gcn", "384", "1"}, {"token_level", "gcn", "384", "1"}, {"markerV0", "dot", "384", "0"},
                {"token_level", "none", "256", "2"}, {"markerV0", "bilinear", "192", "1"}, {"token_level", "mlp", "384", "1"},
                {"markerV0", "attention", "256", "1"}, {"token_level", "gat", "384", "0"}};
        for (String[] c : cases) {
            Path out = tmp.resolve(String.join("-", c));
            ModelInitializer.initialise(options(PretrainedEncoder.ALL_MINILM_L6_V2).spanMode(c[0]).relationsLayer(c[1])
                    .hiddenSize(Integer.parseInt(c[2])).rnnLayers(Integer.parseInt(c[3])).maxWidth(8).maxLen(100).build(), out);
            assertClean(out);
            try (RelexModel m = RelexModel.load(out)) {
                assertEquals(100, m.maxWords());
                assertEquals(Integer.parseInt(c[2]), m.config().hiddenSize());
                m.extract("Grace Hopper joined the Navy in 1943.", List.of("person", "organization", "date"), List.of("member of"));
            }
        }
    }

    private static Set<String> names(JsonNode n) {
        Set<String> s = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) s.add(it.next());
        return s;
    }
}
