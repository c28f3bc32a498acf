package dev.relex.heads;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.ArchitectureSpec;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.DType;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.TensorInfo;
import dev.relex.checkpoint.TensorSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * In-memory float32 head weights for a synthetic config: every non-encoder tensor that
 * {@link ArchitectureSpec#forConfig} lists, drawn N(0,1)·gain/√fan_in (vectors: biases 0.1·N(0,1)).
 */
final class RandomHeadWeights implements TensorSource {
    static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, float[]> data = new LinkedHashMap<>();
    final Map<String, long[]> shapes = new LinkedHashMap<>();

    RandomHeadWeights(GlinerConfig cfg, long seed, double gain) {
        Random rnd = new Random(seed);
        for (ArchitectureSpec.TensorSpec t : ArchitectureSpec.forConfig(cfg).tensors().values()) {
            if (t.name().startsWith(ArchitectureSpec.ENCODER_PREFIX)) continue;
            long[] s = t.shape();
            int n = 1;
            for (long dim : s) n *= (int) dim;
            float[] v = new float[n];
            double scale = s.length == 1 ? 0.1 : gain / Math.sqrt(s[s.length - 1]);
            for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextGaussian() * scale);
            put(t.name(), v, s);
        }
    }

    /**
     * Shrinks the layers whose outputs feed σ(z·zᵀ) (span representations and adjacency projections) so
     * that random probabilities are spread out instead of saturated at 0 or 1.
     */
    RandomHeadWeights tame() {
        for (String name : data.keySet()) {
            float factor = 1f;
            if (name.startsWith("span_rep_layer.span_rep_layer.out_project.3.")) factor = 0.3f;
            if (name.startsWith("relations_rep_layer.relation_rep_layer.proj.")) factor = 0.2f;
            if (name.startsWith("relations_rep_layer.relation_rep_layer.linear.")) factor = 0.3f;
            if (name.startsWith("relations_rep_layer.relation_rep_layer.attn.out_proj.")) factor = 0.3f;
            if (name.equals("relations_rep_layer.relation_rep_layer.attn.in_proj_weight")) factor = 3f;
            float[] v = data.get(name);
            for (int i = 0; i < v.length; i++) v[i] *= factor;
        }
        return this;
    }

    RandomHeadWeights put(String name, float[] values, long... shape) {
        data.put(name, values);
        shapes.put(name, shape);
        return this;
    }

    RandomHeadWeights remove(String name) {
        data.remove(name);
        shapes.remove(name);
        return this;
    }

    /**
     * A relex config: encoder width {@code denc} (DeBERTa-v2 style, vocabulary 40, marker ids 30/31/32),
     * head width {@code d}.
     */
    static ObjectNode config(int denc, int d, String spanMode, String relationsLayer, int rnnLayers, int maxWidth) {
        ObjectNode enc = JSON.createObjectNode();
        enc.put("model_type", "deberta-v2");
        enc.put("hidden_size", denc);
        enc.put("num_hidden_layers", 1);
        enc.put("num_attention_heads", 2);
        enc.put("intermediate_size", 2 * denc);
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
        enc.put("vocab_size", 40);
        ObjectNode c = JSON.createObjectNode();
        c.put("model_name", "synthetic");
        c.set("encoder_config", enc);
        c.put("hidden_size", d);
        c.put("max_width", maxWidth);
        c.put("max_len", 384);
        c.put("span_mode", spanMode);
        c.put("num_rnn_layers", rnnLayers);
        c.put("class_token_index", 30);
        c.put("rel_token_index", 32);
        c.put("vocab_size", 40);
        c.put("relations_layer", relationsLayer);
        c.putNull("triples_layer");
        return c;
    }

    @Override
    public Set<String> names() {
        return data.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        long[] s = shapes.get(name);
        if (s == null) throw new CheckpointException("no tensor '" + name + "'");
        return new TensorInfo(name, DType.F32, s, 0, data.get(name).length * 4L);
    }

    @Override
    public float[] floats(String name) {
        info(name);
        return data.get(name).clone();
    }

    @Override
    public long[] longs(String name) {
        throw new CheckpointException("'" + name + "' is float32");
    }

    @Override
    public void close() {
    }
}
