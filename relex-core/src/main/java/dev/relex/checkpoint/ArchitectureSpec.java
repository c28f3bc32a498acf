package dev.relex.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every tensor name and shape that a GLiNER-Relex model built from a given config has (spec §1.5),
 * and the check of a {@link TensorSource} against it. The reference loads weights non-strictly, so a
 * missing key would silently keep random values there; here a missing or mis-shaped tensor is an error.
 *
 * <p>{@link #forConfig(GlinerConfig)} also rejects configurations this library cannot run with a
 * "not supported yet" {@link CheckpointException}, so that nothing is silently ignored.
 */
public final class ArchitectureSpec {
    /** Prefix of the backbone's Hugging Face keys inside a GLiNER checkpoint. */
    public static final String ENCODER_PREFIX = "token_rep_layer.bert_layer.model.";

    private static final String ADJ = "relations_rep_layer.relation_rep_layer.";
    private static final String SPAN = "span_rep_layer.span_rep_layer.";
    /** nn.MultiheadAttention in the attention/gat adjacency layers is built with 8 heads. */
    private static final int ADJACENCY_HEADS = 8;
    private static final Set<String> SPAN_MODES = Set.of("markerV0", "token_level");

    /**
     * One expected tensor.
     *
     * @param name     full key
     * @param shape    expected dimensions
     * @param required false for tensors that may be absent without consequence (BERT's unused pooler)
     */
    public record TensorSpec(String name, long[] shape, boolean required) {
        public TensorSpec {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public String shapeString() {
            return Arrays.toString(shape);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorSpec t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                    && t.required == required;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + shapeString() + (required ? "" : " (optional)");
        }
    }

    private final Map<String, TensorSpec> tensors;
    private final String wordEmbeddingKey;
    private final GlinerConfig config;

    private ArchitectureSpec(Map<String, TensorSpec> tensors, String wordEmbeddingKey, GlinerConfig config) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.wordEmbeddingKey = wordEmbeddingKey;
        this.config = config;
    }

    /** All expected tensors in a stable order (encoder first, then the heads). */
    public Map<String, TensorSpec> tensors() {
        return tensors;
    }

    /** Key of the backbone's word embedding table. */
    public String wordEmbeddingKey() {
        return wordEmbeddingKey;
    }

    /**
     * The tensors of the relex model the reference would build from {@code cfg}.
     *
     * @throws CheckpointException if the config describes a model this library does not support
     *                             (the message lists every unsupported setting) or is inconsistent
     */
    public static ArchitectureSpec forConfig(GlinerConfig cfg) {
        checkSupported(cfg);
        EncoderConfig enc = cfg.encoder();
        SpecBuilder b = new SpecBuilder();
        long vocab = cfg.vocabSize() > 0 ? cfg.vocabSize() : enc.vocabSize();
        addEncoder(b, enc, ENCODER_PREFIX, vocab);

        long d = cfg.hiddenSize();
        long denc = enc.hiddenSize();
        if (cfg.hasProjection()) b.linear("token_rep_layer.projection", d, denc);

        if (cfg.numRnnLayers() > 0) {
            long h = d / 2;
            for (int k = 0; k < cfg.numRnnLayers(); k++) {
                long in = k == 0 ? d : 2 * h;
                for (String dir : new String[] {"", "_reverse"}) {
                    b.add("rnn.lstm.weight_ih_l" + k + dir, 4 * h, in);
                    b.add("rnn.lstm.weight_hh_l" + k + dir, 4 * h, h);
                    b.add("rnn.lstm.bias_ih_l" + k + dir, 4 * h);
                    b.add("rnn.lstm.bias_hh_l" + k + dir, 4 * h);
                }
            }
        }

        b.mlp("prompt_rep_layer", d, d);
        // markerV0 and the token model's TokenMarker use the same keys and shapes.
        b.mlp(SPAN + "project_start", d, d);
        b.mlp(SPAN + "project_end", d, d);
        b.mlp(SPAN + "out_project", 2 * d, d);
        if (cfg.modelKind() == GlinerConfig.ModelKind.TOKEN_RELEX) {
            b.linear("scorer.proj_token", 2 * d, d);
            b.linear("scorer.proj_label", 2 * d, d);
            b.linear("scorer.out_mlp.0", 4 * d, 3 * d);
            b.linear("scorer.out_mlp.3", 3, 4 * d);
        }

        switch (cfg.relationsLayer()) {
            case "gcn" -> {
                b.linear(ADJ + "gcn.linear", d, d);
                b.linear(ADJ + "proj", d, d);
            }
            case "bilinear" -> b.linear(ADJ + "proj", d, d);
            case "mlp" -> {
                b.linear(ADJ + "mlp.0", d, 2 * d);
                b.linear(ADJ + "mlp.2", 1, d);
            }
            case "attention", "attn" -> multiheadAttention(b, d);
            case "gat" -> {
                multiheadAttention(b, d);
                b.linear(ADJ + "linear", d, d);
            }
            default -> {
                // "dot" and "none" have no parameters
            }
        }
        b.mlp("pair_rep_layer", 2 * d, d);
        return new ArchitectureSpec(b.map, ENCODER_PREFIX + "embeddings.word_embeddings.weight", cfg);
    }

    /**
     * The tensors of a bare Hugging Face encoder (no GLiNER heads), e.g. {@code model.safetensors} of
     * a backbone, with keys prefixed by {@code prefix} ("" for a stand-alone encoder).
     */
    public static ArchitectureSpec forEncoder(EncoderConfig enc, String prefix) {
        List<String> problems = new ArrayList<>();
        checkEncoderSupported(enc, problems);
        throwIfAny(problems);
        SpecBuilder b = new SpecBuilder();
        addEncoder(b, enc, prefix, enc.vocabSize());
        return new ArchitectureSpec(b.map, prefix + "embeddings.word_embeddings.weight", null);
    }

    private static void multiheadAttention(SpecBuilder b, long d) {
        b.add(ADJ + "attn.in_proj_weight", 3 * d, d);
        b.add(ADJ + "attn.in_proj_bias", 3 * d);
        b.linear(ADJ + "attn.out_proj", d, d);
    }

    private static void addEncoder(SpecBuilder b, EncoderConfig enc, String p, long vocab) {
        long h = enc.hiddenSize();
        long inter = enc.intermediateSize();
        if (enc.isBert()) {
            b.add(p + "embeddings.word_embeddings.weight", vocab, h);
            b.add(p + "embeddings.position_embeddings.weight", enc.maxPositionEmbeddings(), h);
            b.add(p + "embeddings.token_type_embeddings.weight", enc.typeVocabSize(), h);
            b.layerNorm(p + "embeddings.LayerNorm", h);
            for (int i = 0; i < enc.numHiddenLayers(); i++) {
                String l = p + "encoder.layer." + i + ".";
                b.linear(l + "attention.self.query", h, h);
                b.linear(l + "attention.self.key", h, h);
                b.linear(l + "attention.self.value", h, h);
                b.linear(l + "attention.output.dense", h, h);
                b.layerNorm(l + "attention.output.LayerNorm", h);
                b.linear(l + "intermediate.dense", inter, h);
                b.linear(l + "output.dense", h, inter);
                b.layerNorm(l + "output.LayerNorm", h);
            }
            // BertModel builds a pooler by default; GLiNER never calls it.
            b.optional(p + "pooler.dense.weight", h, h);
            b.optional(p + "pooler.dense.bias", h);
            return;
        }
        // DeBERTa-v2 / v3 (transformers DebertaV2Model)
        long e = enc.embeddingSize();
        long ah = (long) enc.numAttentionHeads() * enc.attentionHeadSize();
        b.add(p + "embeddings.word_embeddings.weight", vocab, e);
        if (enc.positionBiasedInput()) b.add(p + "embeddings.position_embeddings.weight", enc.maxPositionEmbeddings(), e);
        if (enc.typeVocabSize() > 0) b.add(p + "embeddings.token_type_embeddings.weight", enc.typeVocabSize(), e);
        b.layerNorm(p + "embeddings.LayerNorm", h);
        boolean separatePosProj = enc.relativeAttention() && !enc.shareAttKey();
        for (int i = 0; i < enc.numHiddenLayers(); i++) {
            String l = p + "encoder.layer." + i + ".";
            b.linear(l + "attention.self.query_proj", ah, h);
            b.linear(l + "attention.self.key_proj", ah, h);
            b.linear(l + "attention.self.value_proj", ah, h);
            if (separatePosProj && enc.posAttType().contains("c2p")) b.linear(l + "attention.self.pos_key_proj", ah, h);
            if (separatePosProj && enc.posAttType().contains("p2c")) b.linear(l + "attention.self.pos_query_proj", ah, h);
            b.linear(l + "attention.output.dense", h, h);
            b.layerNorm(l + "attention.output.LayerNorm", h);
            b.linear(l + "intermediate.dense", inter, h);
            b.linear(l + "output.dense", h, inter);
            b.layerNorm(l + "output.LayerNorm", h);
        }
        if (enc.relativeAttention()) b.add(p + "encoder.rel_embeddings.weight", enc.relEmbeddingRows(), h);
        if (enc.normRelEmbeddings()) b.layerNorm(p + "encoder.LayerNorm", h);
    }

    /**
     * Throws a {@link CheckpointException} listing every setting of {@code cfg} that this library does
     * not implement (or that the reference itself could not build). Also enforces spec §1.3: a config
     * with {@code relations_layer: null} is not a relex model.
     */
    public static void checkSupported(GlinerConfig cfg) {
        cfg.modelKind(); // relations_layer null → not a relex model
        List<String> problems = new ArrayList<>();
        if (cfg.triplesLayer() != null) {
            problems.add("triples_layer '" + cfg.triplesLayer()
                    + "' is not supported yet (only the default concat pair MLP, triples_layer: null)");
        }
        if (cfg.fuseLayers()) problems.add("fuse_layers: true is not supported yet");
        if (!SPAN_MODES.contains(cfg.spanMode())) {
            problems.add("span_mode '" + cfg.spanMode() + "' is not supported yet (supported: markerV0, token_level)");
        }
        if (!"first".equals(cfg.subtokenPooling())) {
            problems.add("subtoken_pooling '" + cfg.subtokenPooling() + "' is not supported yet (supported: first)");
        }
        if (!"whitespace".equals(cfg.wordsSplitterType())) {
            problems.add("words_splitter_type '" + cfg.wordsSplitterType()
                    + "' is not supported yet (supported: whitespace)");
        }
        if (cfg.precomputedPromptsMode() != null) {
            problems.add("precomputed_prompts_mode '" + cfg.precomputedPromptsMode() + "' is not supported yet");
        }
        if (!GlinerConfig.RELATIONS_LAYERS.contains(cfg.relationsLayer())) {
            problems.add("relations_layer '" + cfg.relationsLayer()
                    + "' is not supported (known: gcn, dot, bilinear, mlp, attention, attn, gat, none)");
        }
        if (cfg.hiddenSize() <= 0) problems.add("hidden_size must be positive, found " + cfg.hiddenSize());
        if (cfg.numRnnLayers() < 0) problems.add("num_rnn_layers must not be negative, found " + cfg.numRnnLayers());
        if (cfg.numRnnLayers() > 0 && cfg.hiddenSize() % 2 != 0) {
            problems.add("hidden_size " + cfg.hiddenSize() + " must be even for the BiLSTM (hidden_size/2 per direction)");
        }
        if (cfg.maxWidth() <= 0) problems.add("max_width must be positive, found " + cfg.maxWidth());
        String rl = cfg.relationsLayer();
        if (("attention".equals(rl) || "attn".equals(rl) || "gat".equals(rl)) && cfg.hiddenSize() % ADJACENCY_HEADS != 0) {
            problems.add("relations_layer '" + rl + "' uses 8-head attention, so hidden_size " + cfg.hiddenSize()
                    + " must be a multiple of 8");
        }
        checkEncoderSupported(cfg.encoder(), problems);
        throwIfAny(problems);
    }

    private static void checkEncoderSupported(EncoderConfig enc, List<String> problems) {
        String type = enc.modelType();
        if ("deberta".equals(type)) {
            problems.add("encoder_config.model_type 'deberta' (DeBERTa v1) is not supported; "
                    + "supported: deberta-v2 (DeBERTa-v2/v3, mDeBERTa-v3) and bert");
            return;
        }
        if (!enc.isBert() && !enc.isDebertaV2()) {
            problems.add("encoder_config.model_type '" + type + "' is not supported yet (supported: deberta-v2, bert)");
            return;
        }
        if (enc.hiddenSize() <= 0 || enc.numAttentionHeads() <= 0 || enc.numHiddenLayers() < 0 || enc.intermediateSize() <= 0) {
            problems.add("encoder_config has non-positive sizes (hidden_size " + enc.hiddenSize() + ", num_attention_heads "
                    + enc.numAttentionHeads() + ", intermediate_size " + enc.intermediateSize() + ")");
            return;
        }
        if (enc.isBert()) {
            if (enc.hiddenSize() % enc.numAttentionHeads() != 0) {
                problems.add("encoder_config.hidden_size " + enc.hiddenSize() + " is not a multiple of num_attention_heads "
                        + enc.numAttentionHeads());
            }
            if (!"absolute".equals(enc.positionEmbeddingType())) {
                problems.add("encoder_config.position_embedding_type '" + enc.positionEmbeddingType()
                        + "' is not supported yet (supported: absolute)");
            }
            return;
        }
        if ((long) enc.numAttentionHeads() * enc.attentionHeadSize() != enc.hiddenSize()) {
            problems.add("encoder_config: num_attention_heads × attention_head_size = "
                    + (long) enc.numAttentionHeads() * enc.attentionHeadSize() + " must equal hidden_size " + enc.hiddenSize());
        }
        if (enc.embeddingSize() != enc.hiddenSize()) {
            problems.add("encoder_config.embedding_size " + enc.embeddingSize() + " ≠ hidden_size " + enc.hiddenSize()
                    + " (embed_proj) is not supported yet");
        }
        if (enc.convKernelSize() > 0) {
            problems.add("encoder_config.conv_kernel_size " + enc.convKernelSize()
                    + " (DeBERTa-v2 convolution branch) is not supported yet");
        }
    }

    private static void throwIfAny(List<String> problems) {
        if (problems.isEmpty()) return;
        throw new CheckpointException(problems.size() == 1 ? problems.get(0)
                : "unsupported configuration:\n  - " + String.join("\n  - ", problems));
    }

    /**
     * True for keys that are known to be unused at inference and must not be warned about: the stale
     * {@code embeddings.position_ids}/{@code token_type_ids} buffers, {@code cross_fuser.*} (built for
     * post_fusion_schema but never called by uni-encoder models) and the compressed-prompt tensors.
     */
    public static boolean isIgnorable(String key) {
        return key.endsWith("embeddings.position_ids") || key.endsWith("embeddings.token_type_ids")
                || key.startsWith("cross_fuser.") || key.equals("precomputed_prompts")
                || key.equals("precomputed_rel_prompts");
    }

    /**
     * Checks names, shapes and dtypes of {@code weights} against this spec; with a GLiNER config also
     * checks that the marker token ids fall inside the word embedding table. Never throws for
     * mismatches: see {@link ValidationReport#throwIfInvalid(String)}.
     */
    public ValidationReport validate(TensorSource weights) {
        ValidationReport.Builder r = new ValidationReport.Builder();
        for (TensorSpec t : tensors.values()) {
            if (!weights.contains(t.name())) {
                if (t.required()) r.error("missing tensor '" + t.name() + "' (expected shape " + t.shapeString() + ")");
                continue;
            }
            TensorInfo info = weights.info(t.name());
            if (!Arrays.equals(info.shape(), t.shape)) {
                r.error("tensor '" + t.name() + "': expected shape " + t.shapeString() + ", found " + info.shapeString());
            }
            DType dt = info.dtype();
            if (dt != DType.F32 && dt != DType.F16 && dt != DType.BF16) {
                r.error("tensor '" + t.name() + "' has dtype " + dt + "; weights must be F32, F16 or BF16");
            }
        }
        for (String name : weights.names()) {
            if (tensors.containsKey(name)) continue;
            if (isIgnorable(name)) r.ignored(name);
            else r.unexpected(name);
        }
        if (config != null) checkTokenIds(weights, r);
        return r.build();
    }

    private void checkTokenIds(TensorSource weights, ValidationReport.Builder r) {
        long rows = tensors.get(wordEmbeddingKey).shape[0];
        if (weights.contains(wordEmbeddingKey) && weights.info(wordEmbeddingKey).shape().length == 2) {
            rows = weights.info(wordEmbeddingKey).shape()[0];
        }
        checkTokenId("class_token_index", config.classTokenIndex(), config.entToken(), rows, r);
        checkTokenId("rel_token_index", config.relTokenIndex(), config.relToken(), rows, r);
        int encVocab = config.encoder().vocabSize();
        if (encVocab != rows) {
            r.warning(String.format(Locale.ROOT, "encoder_config.vocab_size %d differs from the %d rows of '%s' "
                    + "(the embedding table is authoritative)", encVocab, rows, wordEmbeddingKey));
        }
    }

    private static void checkTokenId(String field, int id, String token, long rows, ValidationReport.Builder r) {
        if (id < 0) {
            r.error(field + " is " + id + ": the id of " + token + " is not set in gliner_config.json");
        } else if (id >= rows) {
            r.error(field + " " + id + " (" + token + ") is outside the word embedding table of " + rows + " rows");
        }
    }

    /** Accumulates tensor specs in insertion order; duplicate names are a programming error. */
    private static final class SpecBuilder {
        private final LinkedHashMap<String, TensorSpec> map = new LinkedHashMap<>();

        private SpecBuilder() {
        }

        void add(String name, long... shape) {
            put(new TensorSpec(name, shape, true));
        }

        void optional(String name, long... shape) {
            put(new TensorSpec(name, shape, false));
        }

        /** torch.nn.Linear: weight [out, in] and bias [out]. */
        void linear(String prefix, long out, long in) {
            add(prefix + ".weight", out, in);
            add(prefix + ".bias", out);
        }

        void layerNorm(String prefix, long width) {
            add(prefix + ".weight", width);
            add(prefix + ".bias", width);
        }

        /** GLiNER's create_projection_layer: Linear(in, 4·out) → ReLU → Dropout → Linear(4·out, out). */
        void mlp(String prefix, long in, long out) {
            linear(prefix + ".0", 4 * out, in);
            linear(prefix + ".3", out, 4 * out);
        }

        private void put(TensorSpec t) {
            if (map.putIfAbsent(t.name(), t) != null) throw new IllegalStateException("duplicate tensor spec " + t.name());
        }
    }
}
