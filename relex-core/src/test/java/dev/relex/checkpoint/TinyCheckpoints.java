package dev.relex.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/** Small synthetic GLiNER-Relex checkpoints written into a test's temporary directory. */
public final class TinyCheckpoints {
    static final ObjectMapper JSON = new ObjectMapper();

    private TinyCheckpoints() {
    }

    /** A DeBERTa-v3-style config: Denc 8, D 6 (so a projection exists), vocab 20, 1 layer, gcn, markerV0. */
    static ObjectNode debertaConfig() {
        ObjectNode enc = debertaEncoderConfig(8, 20);
        ObjectNode c = JSON.createObjectNode();
        c.put("model_name", "tiny");
        c.set("encoder_config", enc);
        c.put("hidden_size", 6);
        c.put("max_width", 12);
        c.put("max_len", 384);
        c.put("span_mode", "markerV0");
        c.put("num_rnn_layers", 1);
        c.put("subtoken_pooling", "first");
        c.put("words_splitter_type", "whitespace");
        c.put("class_token_index", 17);
        c.put("rel_token_index", 19);
        c.put("vocab_size", 20);
        c.put("fuse_layers", false);
        c.put("relations_layer", "gcn");
        c.putNull("triples_layer");
        c.putNull("precomputed_prompts_mode");
        c.putNull("model_type");
        return c;
    }

    /**
     * A one-layer DeBERTa-v2/v3 encoder_config of width {@code hidden} (2 heads, FFN 2·hidden, relative
     * attention with c2p + p2c, 256 log buckets) over a vocabulary of {@code vocab} tokens.
     */
    public static ObjectNode debertaEncoderConfig(int hidden, int vocab) {
        ObjectNode enc = JSON.createObjectNode();
        enc.put("model_type", "deberta-v2");
        enc.put("hidden_size", hidden);
        enc.put("num_hidden_layers", 1);
        enc.put("num_attention_heads", 2);
        enc.put("intermediate_size", 2 * hidden);
        enc.put("hidden_act", "gelu");
        enc.put("layer_norm_eps", 1e-7);
        enc.put("max_position_embeddings", 512);
        enc.put("max_relative_positions", -1);
        enc.put("position_buckets", 256);
        enc.put("relative_attention", true);
        enc.putArray("pos_att_type").add("p2c").add("c2p");
        enc.put("share_att_key", true);
        enc.put("norm_rel_ebd", "layer_norm");
        enc.put("position_biased_input", false);
        enc.put("type_vocab_size", 0);
        enc.put("vocab_size", vocab);
        return enc;
    }

    /** Writes {@code config} as gliner_config.json and random weights for its spec as {@code weightsName}. */
    static Path write(Path dir, ObjectNode config, String weightsName, DType dtype) {
        return write(dir, config, weightsName, dtype, w -> { });
    }

    static Path write(Path dir, ObjectNode config, String weightsName, DType dtype, Consumer<SafeTensorsWriter> extra) {
        writeConfig(dir, config);
        SafeTensorsWriter w = new SafeTensorsWriter();
        ArchitectureSpec spec = ArchitectureSpec.forConfig(GlinerConfig.fromJson(config));
        Random rnd = new Random(7);
        for (ArchitectureSpec.TensorSpec t : spec.tensors().values()) {
            w.putFloats(t.name(), random(rnd, t.shape()), dtype, t.shape());
        }
        extra.accept(w);
        w.write(dir.resolve(weightsName));
        return dir;
    }

    static void writeConfig(Path dir, ObjectNode config) {
        try {
            Files.createDirectories(dir);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(Checkpoint.CONFIG_FILE).toFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All tensors of a spec with random values, as name → data (used to compare after reading back). */
    static Map<String, float[]> randomWeights(ArchitectureSpec spec, long seed) {
        Random rnd = new Random(seed);
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (ArchitectureSpec.TensorSpec t : spec.tensors().values()) out.put(t.name(), random(rnd, t.shape()));
        return out;
    }

    static float[] random(Random rnd, long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }

    static void writeString(Path file, String s) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
