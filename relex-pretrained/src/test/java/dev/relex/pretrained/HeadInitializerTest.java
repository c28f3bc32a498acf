package dev.relex.pretrained;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.ArchitectureSpec;
import dev.relex.checkpoint.GlinerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HeadInitializer}: the torch default distributions, with bounds written out by hand for a
 * model of width D = 16 (hidden per LSTM direction 8) on a 384-wide encoder (so a projection exists).
 */
class HeadInitializerTest {

    private static ArchitectureSpec spec(String spanMode, String relationsLayer, int rnnLayers) {
        InitOptions o = InitOptions.builder(PretrainedEncoder.BGE_SMALL_EN_V15).hiddenSize(16).rnnLayers(rnnLayers)
                .spanMode(spanMode).relationsLayer(relationsLayer).build();
        ObjectNode json = ModelInitializer.glinerConfigJson(o, 30525, Map.of("<<ENT>>", 30522, "<<SEP>>", 30523, "<<REL>>", 30524));
        return ArchitectureSpec.forConfig(GlinerConfig.fromJson(json));
    }

    /** Asserts U(−b, b): every value inside, the extremes near ±b, mean ≈ 0 and variance ≈ b²/3. */
    private static void assertUniform(float[] v, double b, String name) {
        double sum = 0, sq = 0, max = 0;
        for (float x : v) {
            assertTrue(Math.abs(x) <= b, name + ": " + x + " outside ±" + b);
            sum += x;
            sq += (double) x * x;
            max = Math.max(max, Math.abs(x));
        }
        int n = v.length;
        assertTrue(max > b * (1 - 20.0 / n), name + ": largest |value| " + max + " far from the bound " + b);
        assertEquals(0, sum / n, 4 * b / Math.sqrt(3 * n), name + " mean");
        assertEquals(b * b / 3, sq / n, 6 * b * b / Math.sqrt(n), name + " variance");
    }

    @Test
    void linearLstmAndProjectionBounds() {
        Map<String, float[]> w = HeadInitializer.initialise(spec("markerV0", "gcn", 2), 1);
        assertUniform(w.get("token_rep_layer.projection.weight"), 1 / Math.sqrt(384), "projection.weight");    // fan_in 384
        assertUniform(w.get("token_rep_layer.projection.bias"), 1 / Math.sqrt(384), "projection.bias");
        assertUniform(w.get("prompt_rep_layer.0.weight"), 1 / Math.sqrt(16), "prompt_rep_layer.0.weight");      // [64, 16]
        assertUniform(w.get("prompt_rep_layer.3.weight"), 1 / Math.sqrt(64), "prompt_rep_layer.3.weight");      // [16, 64]
        assertUniform(w.get("prompt_rep_layer.3.bias"), 1 / Math.sqrt(64), "prompt_rep_layer.3.bias");
        assertUniform(w.get("span_rep_layer.span_rep_layer.out_project.0.weight"), 1 / Math.sqrt(32), "out_project.0"); // [64, 32]
        assertUniform(w.get("pair_rep_layer.0.weight"), 1 / Math.sqrt(32), "pair_rep_layer.0.weight");
        assertUniform(w.get("relations_rep_layer.relation_rep_layer.gcn.linear.weight"), 0.25, "gcn.linear.weight");
        for (String k : new String[] {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1_reverse", "bias_hh_l1"}) {
            assertUniform(w.get("rnn.lstm." + k), 1 / Math.sqrt(8), k);                                          // H = 8
        }
        assertFalse(w.keySet().stream().anyMatch(k -> k.startsWith(ArchitectureSpec.ENCODER_PREFIX)));
    }

    @Test
    void multiheadAttentionUsesXavierAndZeroBiases() {
        Map<String, float[]> w = HeadInitializer.initialise(spec("token_level", "gat", 0), 3);
        String a = "relations_rep_layer.relation_rep_layer.attn.";
        assertUniform(w.get(a + "in_proj_weight"), Math.sqrt(6.0 / (16 + 48)), "in_proj_weight");                // [48, 16]
        assertArrayEquals(new float[48], w.get(a + "in_proj_bias"));
        assertArrayEquals(new float[16], w.get(a + "out_proj.bias"));
        assertUniform(w.get(a + "out_proj.weight"), 0.25, "out_proj.weight");
        assertUniform(w.get("relations_rep_layer.relation_rep_layer.linear.weight"), 0.25, "gat linear");
        assertUniform(w.get("scorer.out_mlp.3.weight"), 1 / Math.sqrt(64), "scorer.out_mlp.3.weight");          // [3, 64]
        assertFalse(w.containsKey("rnn.lstm.weight_ih_l0"));
    }

    @Test
    void everyHeadTensorOfEveryLayoutIsCoveredAndSeeded() {
        for (String layer : new String[] {"gcn", "dot", "none", "bilinear", "mlp", "attention", "gat"}) {
            for (String mode : new String[] {"markerV0", "token_level"}) {
                ArchitectureSpec s = spec(mode, layer, 1);
                Map<String, float[]> w = HeadInitializer.initialise(s, 5);
                long heads = s.tensors().keySet().stream().filter(k -> !k.startsWith(ArchitectureSpec.ENCODER_PREFIX)).count();
                assertEquals(heads, w.size(), mode + "/" + layer);
            }
        }
        Map<String, float[]> a = HeadInitializer.initialise(spec("markerV0", "gcn", 1), 9);
        Map<String, float[]> b = HeadInitializer.initialise(spec("markerV0", "gcn", 1), 9);
        Map<String, float[]> c = HeadInitializer.initialise(spec("markerV0", "gcn", 1), 10);
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k);
        assertFalse(java.util.Arrays.equals(a.get("pair_rep_layer.0.weight"), c.get("pair_rep_layer.0.weight")));
    }
}
