package dev.relex.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** Expected shapes are written out by hand from the spec §1.5 table (D = 8 here, Denc = 8). */
class ArchitectureSpecTest {
    private static final String ADJ = "relations_rep_layer.relation_rep_layer.";
    private static final String P = ArchitectureSpec.ENCODER_PREFIX;

    private static ObjectNode config(String relationsLayer) {
        ObjectNode c = TinyCheckpoints.debertaConfig();
        c.put("hidden_size", 8);
        c.put("relations_layer", relationsLayer);
        return c;
    }

    private static Map<String, ArchitectureSpec.TensorSpec> spec(ObjectNode c) {
        return ArchitectureSpec.forConfig(GlinerConfig.fromJson(c)).tensors();
    }

    private static void assertShape(Map<String, ArchitectureSpec.TensorSpec> s, String key, long... shape) {
        assertTrue(s.containsKey(key), "no spec for " + key);
        assertArrayEquals(shape, s.get(key).shape(), key);
    }

    private static Set<String> adjacencyKeys(Map<String, ArchitectureSpec.TensorSpec> s) {
        return s.keySet().stream().filter(k -> k.startsWith("relations_rep_layer.")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void adjacencyModes() {
        assertEquals(Set.of(), adjacencyKeys(spec(config("dot"))));
        assertEquals(Set.of(), adjacencyKeys(spec(config("none"))));

        var gcn = spec(config("gcn"));
        assertEquals(Set.of(ADJ + "gcn.linear.weight", ADJ + "gcn.linear.bias", ADJ + "proj.weight", ADJ + "proj.bias"), adjacencyKeys(gcn));
        assertShape(gcn, ADJ + "gcn.linear.weight", 8, 8);
        assertShape(gcn, ADJ + "proj.bias", 8);

        var bil = spec(config("bilinear"));
        assertEquals(Set.of(ADJ + "proj.weight", ADJ + "proj.bias"), adjacencyKeys(bil));

        var mlp = spec(config("mlp"));
        assertShape(mlp, ADJ + "mlp.0.weight", 8, 16);
        assertShape(mlp, ADJ + "mlp.0.bias", 8);
        assertShape(mlp, ADJ + "mlp.2.weight", 1, 8);
        assertShape(mlp, ADJ + "mlp.2.bias", 1);
        assertEquals(4, adjacencyKeys(mlp).size());

        for (String m : new String[] {"attention", "attn", "ATTN"}) {
            var att = spec(config(m));
            assertShape(att, ADJ + "attn.in_proj_weight", 24, 8);
            assertShape(att, ADJ + "attn.in_proj_bias", 24);
            assertShape(att, ADJ + "attn.out_proj.weight", 8, 8);
            assertShape(att, ADJ + "attn.out_proj.bias", 8);
            assertEquals(4, adjacencyKeys(att).size());
        }
        var gat = spec(config("gat"));
        assertShape(gat, ADJ + "linear.weight", 8, 8);
        assertEquals(6, adjacencyKeys(gat).size());

        ObjectNode odd = config("attention");
        odd.put("hidden_size", 12);
        CheckpointException e = assertThrows(CheckpointException.class, () -> spec(odd));
        assertTrue(e.getMessage().contains("multiple of 8"), e.getMessage());
    }

    @Test
    void headsWithoutProjection() {
        var s = spec(config("gcn"));
        assertFalse(s.containsKey("token_rep_layer.projection.weight"), "D == Denc: no projection");
        assertShape(s, "prompt_rep_layer.0.weight", 32, 8);
        assertShape(s, "prompt_rep_layer.3.weight", 8, 32);
        assertShape(s, "span_rep_layer.span_rep_layer.project_start.0.weight", 32, 8);
        assertShape(s, "span_rep_layer.span_rep_layer.project_end.3.bias", 8);
        assertShape(s, "span_rep_layer.span_rep_layer.out_project.0.weight", 32, 16);
        assertShape(s, "pair_rep_layer.0.weight", 32, 16);
        assertShape(s, "pair_rep_layer.3.weight", 8, 32);
        assertFalse(s.keySet().stream().anyMatch(k -> k.startsWith("scorer.")));
    }

    @Test
    void tokenScorer() {
        ObjectNode c = config("gcn");
        c.put("span_mode", "token_level");
        var s = spec(c);
        assertShape(s, "scorer.proj_token.weight", 16, 8);
        assertShape(s, "scorer.proj_label.bias", 16);
        assertShape(s, "scorer.out_mlp.0.weight", 32, 24);
        assertShape(s, "scorer.out_mlp.3.weight", 3, 32);
        assertShape(s, "scorer.out_mlp.3.bias", 3);
        assertShape(s, "span_rep_layer.span_rep_layer.out_project.3.weight", 8, 32);
    }

    @Test
    void lstmLayers() {
        ObjectNode c = config("gcn");
        c.put("num_rnn_layers", 2);
        var s = spec(c);
        for (String k : new String[] {"0", "1"}) {
            for (String dir : new String[] {"", "_reverse"}) {
                assertShape(s, "rnn.lstm.weight_ih_l" + k + dir, 16, 8);
                assertShape(s, "rnn.lstm.weight_hh_l" + k + dir, 16, 4);
                assertShape(s, "rnn.lstm.bias_ih_l" + k + dir, 16);
                assertShape(s, "rnn.lstm.bias_hh_l" + k + dir, 16);
            }
        }
        assertEquals(16, s.keySet().stream().filter(k -> k.startsWith("rnn.")).count());
        c.put("num_rnn_layers", 0);
        assertFalse(spec(c).keySet().stream().anyMatch(k -> k.startsWith("rnn.")));
    }

    @Test
    void debertaVariants() {
        ObjectNode c = config("gcn");
        var s = spec(c);
        assertShape(s, P + "embeddings.word_embeddings.weight", 20, 8);
        assertShape(s, P + "encoder.rel_embeddings.weight", 512, 8);
        assertShape(s, P + "encoder.LayerNorm.weight", 8);
        assertShape(s, P + "encoder.layer.0.attention.self.query_proj.weight", 8, 8);
        assertShape(s, P + "encoder.layer.0.intermediate.dense.weight", 16, 8);
        assertShape(s, P + "encoder.layer.0.output.dense.weight", 8, 16);
        assertFalse(s.containsKey(P + "embeddings.position_embeddings.weight"));
        assertFalse(s.containsKey(P + "encoder.layer.0.attention.self.pos_key_proj.weight"));

        ObjectNode enc = (ObjectNode) c.get("encoder_config");
        enc.put("share_att_key", false);
        enc.put("position_buckets", -1);
        enc.put("max_relative_positions", 64);
        enc.put("norm_rel_ebd", "none");
        enc.put("position_biased_input", true);
        enc.put("type_vocab_size", 2);
        s = spec(c);
        assertShape(s, P + "encoder.layer.0.attention.self.pos_key_proj.weight", 8, 8);
        assertShape(s, P + "encoder.layer.0.attention.self.pos_query_proj.bias", 8);
        assertShape(s, P + "encoder.rel_embeddings.weight", 128, 8);
        assertFalse(s.containsKey(P + "encoder.LayerNorm.weight"));
        assertShape(s, P + "embeddings.position_embeddings.weight", 512, 8);
        assertShape(s, P + "embeddings.token_type_embeddings.weight", 2, 8);

        enc.put("max_relative_positions", -1);
        enc.putArray("pos_att_type").add("c2p");
        s = spec(c);
        assertShape(s, P + "encoder.rel_embeddings.weight", 1024, 8);
        assertTrue(s.containsKey(P + "encoder.layer.0.attention.self.pos_key_proj.weight"));
        assertFalse(s.containsKey(P + "encoder.layer.0.attention.self.pos_query_proj.weight"));

        enc.put("conv_kernel_size", 3);
        assertTrue(assertThrows(CheckpointException.class, () -> spec(c)).getMessage().contains("conv_kernel_size"));
    }

    @Test
    void bertEncoder() {
        ObjectNode c = config("gcn");
        ObjectNode enc = TinyCheckpoints.JSON.createObjectNode();
        enc.put("model_type", "bert");
        enc.put("hidden_size", 8);
        enc.put("num_hidden_layers", 2);
        enc.put("num_attention_heads", 2);
        enc.put("intermediate_size", 16);
        enc.put("vocab_size", 20);
        c.set("encoder_config", enc);
        var s = spec(c);
        assertShape(s, P + "embeddings.position_embeddings.weight", 512, 8);
        assertShape(s, P + "embeddings.token_type_embeddings.weight", 2, 8);
        assertShape(s, P + "encoder.layer.1.attention.self.key.weight", 8, 8);
        assertShape(s, P + "encoder.layer.1.attention.output.LayerNorm.bias", 8);
        assertFalse(s.get(P + "pooler.dense.weight").required());
        assertFalse(s.containsKey(P + "encoder.rel_embeddings.weight"));
        EncoderConfig ec = GlinerConfig.fromJson(c).encoder();
        assertEquals(1e-12, ec.layerNormEps());
        assertTrue(ec.positionBiasedInput());

        enc.put("position_embedding_type", "relative_key");
        assertTrue(assertThrows(CheckpointException.class, () -> spec(c)).getMessage().contains("relative_key"));
    }

    @Test
    void ignorableKeys() {
        assertTrue(ArchitectureSpec.isIgnorable(P + "embeddings.position_ids"));
        assertTrue(ArchitectureSpec.isIgnorable("cross_fuser.layers.0.weight"));
        assertTrue(ArchitectureSpec.isIgnorable("precomputed_rel_prompts"));
        assertFalse(ArchitectureSpec.isIgnorable("rnn.lstm.weight_ih_l0"));
    }

    @Test
    void configFieldTypesAreChecked() {
        ObjectNode c = config("gcn");
        c.put("hidden_size", "big");
        assertTrue(assertThrows(CheckpointException.class, () -> GlinerConfig.fromJson(c)).getMessage().contains("hidden_size"));
        ObjectNode d = config("GCN");
        assertEquals("gcn", GlinerConfig.fromJson(d).relationsLayer());
    }
}
