package dev.relex.encoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.EncoderConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Configurations the golden data does not cover (plain clamped relative positions, separate
 * positional projections, c2p- or p2c-only, absolute positions and token types in DeBERTa, an
 * embedding projection, attention_head_size ≠ hidden/heads, no relative attention, masks with holes,
 * BERT under an empty prefix), checked against {@link NaiveTransformer}.
 */
class NaiveReferenceTest {
    static final double TOL = 2e-5;
    static final ObjectMapper JSON = new ObjectMapper();
    static final int VOCAB = 50;

    /** Builds config + random weights, runs both implementations on a padded batch, compares real tokens. */
    private static void check(NaiveTransformer.Settings s, ObjectNode cfgJson, String prefix, int[] lengths,
                              int seqLen, int holeAt) {
        MapTensorSource src = randomWeights(s, prefix, 17 + s.hashCode());
        String px = prefix;
        int h = s.hidden();
        // Naive reference sees the same tensors without the prefix.
        java.util.Map<String, float[]> plain = new java.util.HashMap<>();
        src.data.forEach((k, v) -> plain.put(k.substring(px.length()), v));

        int batch = lengths.length;
        int[] ids = new int[batch * seqLen];
        int[] mask = new int[batch * seqLen];
        Random rnd = new Random(5);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seqLen; t++) {
                ids[b * seqLen + t] = t < lengths[b] ? 1 + rnd.nextInt(VOCAB - 1) : 0;
                mask[b * seqLen + t] = t < lengths[b] ? 1 : 0;
            }
        }
        if (holeAt >= 0) mask[holeAt] = 0;

        Encoder enc = Encoders.create(EncoderConfig.fromJson(cfgJson), src, prefix);
        float[] out = new float[batch * seqLen * h];
        enc.forward(ids, mask, batch, seqLen, out);
        double[][][] ref = new NaiveTransformer(s, plain).forward(ids, mask, batch, seqLen);
        double max = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seqLen; t++) {
                if (mask[b * seqLen + t] == 0) continue;
                for (int c = 0; c < h; c++) {
                    max = Math.max(max, Math.abs(out[(b * seqLen + t) * h + c] - ref[b][t][c]));
                }
            }
        }
        assertTrue(max <= TOL, "max abs error " + max + " for " + s);
        // A wrong sign or index in the relative terms moves outputs by O(0.1); make sure the check has teeth.
        assertTrue(Double.isFinite(max));
    }

    /** Random weights for every tensor the settings need, under {@code prefix}. */
    static MapTensorSource randomWeights(NaiveTransformer.Settings s, String prefix, long seed) {
        MapTensorSource src = new MapTensorSource(seed);
        String px = prefix;
        int h = s.hidden(), e = s.embeddingSize(), a = s.heads() * s.headSize();
        src.random(px + "embeddings.word_embeddings.weight", 1, 0, VOCAB, e);
        if (s.bert() || s.positionBiasedInput()) src.random(px + "embeddings.position_embeddings.weight", 1, 0, 64, e);
        if (s.typeVocab() > 0) src.random(px + "embeddings.token_type_embeddings.weight", 1, 0, s.typeVocab(), e);
        if (e != h) src.random(px + "embeddings.embed_proj.weight", 1 / Math.sqrt(e), 0, h, e);
        src.norm(px + "embeddings.LayerNorm", h);
        int span = s.positionBuckets() > 0 ? s.positionBuckets() : s.maxRelativePositions();
        if (!s.bert() && s.relative()) {
            src.random(px + "encoder.rel_embeddings.weight", 1, 0, 2 * span, h);
            if (s.normRel()) src.norm(px + "encoder.LayerNorm", h);
        }
        for (int l = 0; l < s.layers(); l++) {
            String p = px + "encoder.layer." + l + ".";
            String self = p + "attention.self.";
            String[] qkv = s.bert() ? new String[] {"query", "key", "value"} : new String[] {"query_proj", "key_proj", "value_proj"};
            for (String n : qkv) src.linear(self + n, h, a);
            if (!s.bert() && s.relative() && !s.shareAttKey()) {
                if (s.posAttType().contains("c2p")) src.linear(self + "pos_key_proj", h, a);
                if (s.posAttType().contains("p2c")) src.linear(self + "pos_query_proj", h, a);
            }
            src.linear(p + "attention.output.dense", a, h);
            src.norm(p + "attention.output.LayerNorm", h);
            src.linear(p + "intermediate.dense", h, s.inter());
            src.linear(p + "output.dense", s.inter(), h);
            src.norm(p + "output.LayerNorm", h);
        }
        return src;
    }

    static ObjectNode deberta(NaiveTransformer.Settings s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("model_type", "deberta-v2");
        n.put("hidden_size", s.hidden());
        n.put("num_hidden_layers", s.layers());
        n.put("num_attention_heads", s.heads());
        if (s.headSize() * s.heads() != s.hidden()) n.put("attention_head_size", s.headSize());
        n.put("intermediate_size", s.inter());
        n.put("hidden_act", s.relu() ? "relu" : "gelu");
        n.put("layer_norm_eps", s.eps());
        n.put("max_position_embeddings", 64);
        n.put("type_vocab_size", s.typeVocab());
        n.put("vocab_size", VOCAB);
        n.put("relative_attention", s.relative());
        n.put("position_buckets", s.positionBuckets());
        n.put("max_relative_positions", s.maxRelativePositions());
        n.putPOJO("pos_att_type", s.posAttType());
        n.put("share_att_key", s.shareAttKey());
        n.put("norm_rel_ebd", s.normRel() ? "layer_norm" : "none");
        n.put("position_biased_input", s.positionBiasedInput());
        if (s.embeddingSize() != s.hidden()) n.put("embedding_size", s.embeddingSize());
        return JSON.valueToTree(n);
    }

    static NaiveTransformer.Settings deb(int buckets, int maxRel, List<String> att, boolean share, boolean norm,
                                                 boolean biased, int types, int emb, int headSize, boolean relative,
                                                 boolean relu) {
        return new NaiveTransformer.Settings(false, 16, 2, headSize, 24, 2, 1e-7, emb, biased, types, relative,
                buckets, maxRel, att, share, norm, relu);
    }

    @Test
    void v3StyleLogBucketsOnShortSequences() {
        // buckets 8 (mid 4), max distance 16: distances 5..25 go through the logarithmic branch.
        var s = deb(8, 16, List.of("p2c", "c2p"), true, true, false, 0, 16, 8, true, false);
        check(s, deberta(s), Encoders.GLINER_PREFIX, new int[] {26, 9, 1}, 26, -1);
    }

    @Test
    void plainClampedRelativePositionsWithSeparateProjections() {
        // position_buckets -1: distances clamped to ±6; pos_key_proj / pos_query_proj; no rel LayerNorm.
        var s = deb(-1, 6, List.of("c2p", "p2c"), false, false, true, 2, 16, 8, true, false);
        check(s, deberta(s), "", new int[] {15, 11}, 15, -1);
    }

    @Test
    void c2pOnlyWithMaskHole() {
        var s = deb(8, 16, List.of("c2p"), true, true, false, 0, 16, 8, true, true);
        check(s, deberta(s), "", new int[] {20, 12}, 20, 5);
    }

    @Test
    void p2cOnlyWithEmbeddingProjectionAndOddHeadSize() {
        var s = deb(8, 16, List.of("p2c"), true, true, false, 0, 12, 6, true, false);
        check(s, deberta(s), "", new int[] {18, 18, 3}, 18, -1);
    }

    @Test
    void noRelativeAttentionKeepsScaleFactor() {
        var s = deb(-1, -1, List.of("c2p", "p2c"), true, false, true, 0, 16, 8, false, false);
        check(s, deberta(s), "", new int[] {10, 7}, 10, -1);
    }

    @Test
    void bertWithEmptyPrefixAndHfNames() {
        var s = new NaiveTransformer.Settings(true, 16, 4, 4, 32, 2, 1e-12, 16, true, 2, false, -1, -1,
                List.of(), false, false, false);
        ObjectNode n = JSON.createObjectNode();
        n.put("model_type", "bert");
        n.put("hidden_size", 16);
        n.put("num_hidden_layers", 2);
        n.put("num_attention_heads", 4);
        n.put("intermediate_size", 32);
        n.put("hidden_act", "gelu");
        n.put("max_position_embeddings", 64);
        n.put("vocab_size", VOCAB);
        check(s, n, "", new int[] {30, 4, 17}, 30, 31);
    }

    @Test
    void logBucketMatchesFloat64FormulaOfOriginalCode() {
        // Independent check of the float32 evaluation against numpy-style float64 for the v3 setting.
        for (int r = -1000; r <= 1000; r++) {
            int abs = Math.abs(r);
            int want = abs <= 128 ? r : (int) (Math.signum(r)
                    * (Math.ceil(Math.log(abs / 128.0) / Math.log(511 / 128.0) * 127) + 128));
            assertEquals(want, RelativePositions.logBucket(r, 256, 512), "r = " + r);
        }
    }
}
