package dev.relex.heads;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.ArchitectureSpec;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.InMemoryTensorSource;
import dev.relex.checkpoint.TinyCheckpoints;

import java.util.Random;

/**
 * In-memory float32 head weights for a synthetic config: every non-encoder tensor that
 * {@link ArchitectureSpec#forConfig} lists, drawn N(0,1)·gain/√fan_in (vectors: biases 0.1·N(0,1)).
 */
final class RandomHeadWeights extends InMemoryTensorSource {
    static final ObjectMapper JSON = new ObjectMapper();

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
        store(name, values, shape);
        return this;
    }

    RandomHeadWeights remove(String name) {
        drop(name);
        return this;
    }

    /**
     * A relex config: encoder width {@code denc} (DeBERTa-v2 style, vocabulary 40, marker ids 30/31/32),
     * head width {@code d}.
     */
    static ObjectNode config(int denc, int d, String spanMode, String relationsLayer, int rnnLayers, int maxWidth) {
        ObjectNode enc = TinyCheckpoints.debertaEncoderConfig(denc, 40);
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
}
