package dev.relex.encoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.EncoderConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Unsupported configs, missing or misshapen weights and bad inputs fail with messages naming the culprit. */
class EncodersErrorTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode debertaJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("model_type", "deberta-v2");
        n.put("hidden_size", 8);
        n.put("num_hidden_layers", 1);
        n.put("num_attention_heads", 2);
        n.put("intermediate_size", 16);
        n.put("vocab_size", 10);
        n.put("relative_attention", true);
        n.put("position_buckets", 4);
        n.put("max_relative_positions", 8);
        n.putArray("pos_att_type").add("p2c").add("c2p");
        n.put("share_att_key", true);
        n.put("norm_rel_ebd", "layer_norm");
        n.put("position_biased_input", false);
        return n;
    }

    static MapTensorSource debertaWeights() {
        MapTensorSource s = new MapTensorSource(1);
        s.random("embeddings.word_embeddings.weight", 1, 0, 10, 8);
        s.norm("embeddings.LayerNorm", 8);
        s.random("encoder.rel_embeddings.weight", 1, 0, 8, 8);
        s.norm("encoder.LayerNorm", 8);
        String p = "encoder.layer.0.";
        for (String n : new String[] {"query_proj", "key_proj", "value_proj"}) s.linear(p + "attention.self." + n, 8, 8);
        s.linear(p + "attention.output.dense", 8, 8);
        s.norm(p + "attention.output.LayerNorm", 8);
        s.linear(p + "intermediate.dense", 8, 16);
        s.linear(p + "output.dense", 16, 8);
        s.norm(p + "output.LayerNorm", 8);
        return s;
    }

    static Encoder create(ObjectNode json, MapTensorSource w) {
        return Encoders.create(EncoderConfig.fromJson(json), w, "");
    }

    static void assertMessage(Throwable t, String... parts) {
        for (String p : parts) assertTrue(t.getMessage().contains(p), "message '" + t.getMessage() + "' lacks '" + p + "'");
    }

    @Test
    void validSetupWorks() {
        Encoder e = create(debertaJson(), debertaWeights());
        float[] out = new float[3 * 8];
        e.forward(new int[] {1, 2, 3}, new int[] {1, 1, 1}, 1, 3, out);
        for (float v : out) assertTrue(Float.isFinite(v));
    }

    @Test
    void unsupportedConfigFieldsAreNamed() {
        ObjectNode conv = debertaJson().put("conv_kernel_size", 3);
        assertMessage(assertThrows(CheckpointException.class, () -> create(conv, debertaWeights())), "conv_kernel_size");
        ObjectNode p2p = debertaJson();
        p2p.putArray("pos_att_type").add("p2p");
        assertMessage(assertThrows(CheckpointException.class, () -> create(p2p, debertaWeights())), "pos_att_type", "p2p");
        ObjectNode act = debertaJson().put("hidden_act", "swish");
        assertMessage(assertThrows(CheckpointException.class, () -> create(act, debertaWeights())), "hidden_act", "swish");
        ObjectNode type = debertaJson().put("model_type", "roberta");
        assertMessage(assertThrows(CheckpointException.class, () -> create(type, debertaWeights())), "model_type", "roberta");
        ObjectNode bert = debertaJson().put("model_type", "bert").put("position_embedding_type", "relative_key");
        assertMessage(assertThrows(CheckpointException.class, () -> create(bert, debertaWeights())), "position_embedding_type");
    }

    @Test
    void missingOrMisshapenWeightsAreNamed() {
        MapTensorSource w = debertaWeights();
        w.data.remove("encoder.layer.0.intermediate.dense.bias");
        w.shapes.remove("encoder.layer.0.intermediate.dense.bias");
        assertMessage(assertThrows(CheckpointException.class, () -> create(debertaJson(), w)),
                "encoder.layer.0.intermediate.dense.bias", "missing");
        MapTensorSource w2 = debertaWeights();
        w2.random("encoder.rel_embeddings.weight", 1, 0, 6, 8);
        assertMessage(assertThrows(CheckpointException.class, () -> create(debertaJson(), w2)),
                "encoder.rel_embeddings.weight", "[6, 8]");
        MapTensorSource w3 = debertaWeights();
        assertMessage(assertThrows(CheckpointException.class, () -> Encoders.create(
                EncoderConfig.fromJson(debertaJson()), w3, Encoders.GLINER_PREFIX)),
                "token_rep_layer.bert_layer.model.embeddings.word_embeddings.weight");
    }

    @Test
    void badInputsAreRejected() {
        Encoder e = create(debertaJson(), debertaWeights());
        float[] out = new float[2 * 8];
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> e.forward(new int[] {1, 10}, new int[] {1, 1}, 1, 2, out)), "token id 10", "position 1");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> e.forward(new int[] {1}, new int[] {1, 1}, 1, 2, out)), "inputIds");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> e.forward(new int[] {1, 2}, new int[] {1, 1}, 1, 2, new float[8])), "output");
    }

    @Test
    void emptyAndFullyPaddedBatchesGiveZeros() {
        Encoder e = create(debertaJson(), debertaWeights());
        e.forward(new int[0], new int[0], 0, 0, new float[0]);
        float[] out = new float[2 * 8];
        java.util.Arrays.fill(out, 7f);
        e.forward(new int[] {1, 2}, new int[] {0, 0}, 1, 2, out);
        for (float v : out) assertEquals(0f, v);
    }
}
