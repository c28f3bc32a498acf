package dev.relex.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The backbone's Hugging Face configuration (GLiNER's {@code encoder_config}), reduced to the fields
 * that change the maths. Defaults follow transformers' {@code DebertaV2Config} / {@code BertConfig}.
 */
public record EncoderConfig(
        String modelType,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        String hiddenAct,
        double layerNormEps,
        int maxPositionEmbeddings,
        int typeVocabSize,
        int vocabSize,
        boolean relativeAttention,
        int positionBuckets,
        int maxRelativePositions,
        List<String> posAttType,
        boolean shareAttKey,
        String normRelEbd,
        boolean positionBiasedInput,
        int padTokenId,
        JsonNode raw) {

    public EncoderConfig {
        posAttType = List.copyOf(posAttType);
    }

    public boolean isBert() {
        return "bert".equals(modelType);
    }

    /**
     * True for {@code deberta-v2} (DeBERTa-v2, -v3 and mDeBERTa-v3 all use this model type). The
     * original DeBERTa ({@code deberta}) has different weights and attention code and is not included.
     */
    public boolean isDebertaV2() {
        return "deberta-v2".equals(modelType);
    }

    /**
     * Width of the word embedding table (DeBERTa's {@code embedding_size}); when it differs from
     * {@code hidden_size} transformers adds an {@code embed_proj} layer.
     */
    public int embeddingSize() {
        JsonNode v = raw == null ? null : raw.get("embedding_size");
        return v == null || v.isNull() ? hiddenSize : v.asInt();
    }

    /** BERT's {@code position_embedding_type} ("absolute" unless the config says otherwise). */
    public String positionEmbeddingType() {
        JsonNode v = raw == null ? null : raw.get("position_embedding_type");
        return v == null || v.isNull() ? "absolute" : v.asText();
    }

    /** DeBERTa-v2's optional convolution branch in the first layer ({@code conv_kernel_size}, 0 = none). */
    public int convKernelSize() {
        JsonNode v = raw == null ? null : raw.get("conv_kernel_size");
        return v == null || v.isNull() ? 0 : v.asInt();
    }

    /** Per-head width: {@code attention_head_size} if the config sets it, else hidden / heads. */
    public int attentionHeadSize() {
        JsonNode v = raw == null ? null : raw.get("attention_head_size");
        return v == null || v.isNull() ? hiddenSize / numAttentionHeads : v.asInt();
    }

    /**
     * Largest relative distance of DeBERTa's position embedding: {@code max_relative_positions},
     * or {@code max_position_embeddings} when that is below 1 (transformers' rule).
     */
    public int effectiveMaxRelativePositions() {
        return maxRelativePositions < 1 ? maxPositionEmbeddings : maxRelativePositions;
    }

    /**
     * Rows of {@code encoder.rel_embeddings.weight}: 2 × position_buckets when bucketing is on,
     * else 2 × the effective max relative positions.
     */
    public int relEmbeddingRows() {
        int size = positionBuckets > 0 ? positionBuckets : effectiveMaxRelativePositions();
        return 2 * size;
    }

    /** Whether {@code norm_rel_ebd} ("|"-separated) contains {@code layer_norm}. */
    public boolean normRelEmbeddings() {
        for (String s : normRelEbd.toLowerCase(java.util.Locale.ROOT).split("\\|")) {
            if (s.trim().equals("layer_norm")) return true;
        }
        return false;
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Parses an HF config object; model_type defaults to "deberta-v2" as in GLiNER. */
    public static EncoderConfig fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new CheckpointException("encoder_config is missing or not a JSON object");
        }
        String type = text(n, "model_type", "deberta-v2");
        boolean bert = "bert".equals(type);
        List<String> pat = new ArrayList<>();
        JsonNode p = n.get("pos_att_type");
        if (p != null && p.isArray()) {
            p.forEach(x -> pat.add(x.asText()));
        } else if (p != null && p.isTextual()) {
            for (String s : p.asText().toLowerCase().split("\\|")) if (!s.isBlank()) pat.add(s.trim());
        }
        return new EncoderConfig(
                type,
                required(n, "hidden_size"),
                required(n, "num_hidden_layers"),
                required(n, "num_attention_heads"),
                required(n, "intermediate_size"),
                text(n, "hidden_act", "gelu"),
                n.has("layer_norm_eps") ? n.get("layer_norm_eps").asDouble() : (bert ? 1e-12 : 1e-7),
                n.path("max_position_embeddings").asInt(512),
                n.path("type_vocab_size").asInt(bert ? 2 : 0),
                required(n, "vocab_size"),
                n.path("relative_attention").asBoolean(false),
                n.path("position_buckets").asInt(-1),
                n.path("max_relative_positions").asInt(-1),
                pat,
                n.path("share_att_key").asBoolean(false),
                text(n, "norm_rel_ebd", "none"),
                // transformers' DebertaV2Config default is true; BERT always adds absolute positions.
                bert || n.path("position_biased_input").asBoolean(true),
                n.path("pad_token_id").asInt(0),
                n);
    }

    private static int required(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new CheckpointException("encoder_config." + key + " is missing or not an integer");
        }
        return v.asInt();
    }

    private static String text(JsonNode n, String key, String def) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? def : v.asText();
    }
}
