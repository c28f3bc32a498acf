package dev.relex.encoder;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.checkpoint.TensorSource;
import dev.relex.engine.Linear;
import dev.relex.engine.Ops;

import java.util.Locale;
import java.util.Objects;

/**
 * Builds a pure-Java {@link Encoder} from a Hugging Face backbone config and its weights. The weights
 * are copied into float arrays once here; the returned encoder is immutable and thread-safe.
 */
public final class Encoders {
    /** Key prefix of the backbone inside a GLiNER checkpoint. */
    public static final String GLINER_PREFIX = "token_rep_layer.bert_layer.model.";

    private Encoders() {}

    /**
     * @param cfg     the backbone config ({@code model_type} "bert" or "deberta-v2")
     * @param weights tensors with Hugging Face key names
     * @param prefix  prepended to every key: {@link #GLINER_PREFIX} in GLiNER checkpoints, "" for a bare
     *                Hugging Face encoder
     * @throws CheckpointException for unsupported config values (naming the field) or missing/misshapen weights
     */
    public static Encoder create(EncoderConfig cfg, TensorSource weights, String prefix) {
        Objects.requireNonNull(cfg, "encoder config");
        Objects.requireNonNull(weights, "weights");
        WeightReader r = new WeightReader(weights, prefix == null ? "" : prefix);
        if (cfg.isBert()) return bert(cfg, r);
        if (cfg.isDebertaV2()) return debertaV2(cfg, r);
        throw new CheckpointException("encoder_config.model_type '" + cfg.modelType()
                + "' is not supported (supported: bert, deberta-v2)");
    }

    private static Encoder bert(EncoderConfig cfg, WeightReader r) {
        String posType = cfg.positionEmbeddingType();
        if (!"absolute".equals(posType)) {
            throw new CheckpointException("encoder_config.position_embedding_type '" + posType
                    + "' is not supported for bert (only 'absolute')");
        }
        int h = cfg.hiddenSize();
        int heads = cfg.numAttentionHeads();
        if (heads <= 0 || h % heads != 0) {
            throw new CheckpointException("encoder_config.hidden_size " + h + " is not a multiple of num_attention_heads "
                    + heads);
        }
        int d = h / heads;
        float eps = (float) cfg.layerNormEps();
        int vocab = r.shape("embeddings.word_embeddings.weight")[0];
        float[] words = r.floats("embeddings.word_embeddings.weight", vocab, h);
        int maxPos = cfg.maxPositionEmbeddings();
        float[] positions = r.floats("embeddings.position_embeddings.weight", maxPos, h);
        float[] type0 = tokenTypeRow0(cfg, r, h);
        Embeddings emb = new Embeddings(words, vocab, h, positions, maxPos, type0, null,
                r.norm("embeddings.LayerNorm", h, eps), false);
        TransformerLayer[] layers = new TransformerLayer[cfg.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "encoder.layer." + i + ".";
            Linear q = r.linear(p + "attention.self.query", h, h, true);
            Linear k = r.linear(p + "attention.self.key", h, h, true);
            Linear v = r.linear(p + "attention.self.value", h, h, true);
            layers[i] = layer(cfg, r, p, fuse(q, k, v), h, h, eps, null, null);
        }
        return new TransformerEncoder(h, heads, d, emb, layers, null, false, false,
                (float) (1.0 / Math.sqrt(d)), activation(cfg));
    }

    private static Encoder debertaV2(EncoderConfig cfg, WeightReader r) {
        if (cfg.convKernelSize() > 0) {
            throw new CheckpointException("encoder_config.conv_kernel_size " + cfg.convKernelSize()
                    + " is not supported (DeBERTa-v2 convolution layer)");
        }
        boolean c2p = false, p2c = false;
        for (String t : cfg.posAttType()) {
            switch (t.trim().toLowerCase(Locale.ROOT)) {
                case "c2p" -> c2p = true;
                case "p2c" -> p2c = true;
                default -> throw new CheckpointException("encoder_config.pos_att_type entry '" + t
                        + "' is not supported (only c2p and p2c)");
            }
        }
        int h = cfg.hiddenSize();
        int heads = cfg.numAttentionHeads();
        int d = cfg.attentionHeadSize();
        if (heads <= 0 || d <= 0) {
            throw new CheckpointException("encoder_config.num_attention_heads " + heads + " / attention_head_size " + d
                    + " must be positive");
        }
        int a = heads * d;
        int e = cfg.embeddingSize();
        float eps = (float) cfg.layerNormEps();

        int vocab = r.shape("embeddings.word_embeddings.weight")[0];
        float[] words = r.floats("embeddings.word_embeddings.weight", vocab, e);
        float[] positions = null;
        int maxPos = cfg.maxPositionEmbeddings();
        if (cfg.positionBiasedInput()) positions = r.floats("embeddings.position_embeddings.weight", maxPos, e);
        float[] type0 = tokenTypeRow0(cfg, r, e);
        Linear proj = e != h ? r.linear("embeddings.embed_proj", e, h, false) : null;
        Embeddings emb = new Embeddings(words, vocab, e, positions, maxPos, type0, proj,
                r.norm("embeddings.LayerNorm", h, eps), true);

        RelativePositions rel = null;
        float[] relTable = null;
        // Without c2p/p2c transformers builds the relative table but never uses it.
        if (cfg.relativeAttention() && (c2p || p2c)) {
            rel = new RelativePositions(cfg.positionBuckets(), cfg.effectiveMaxRelativePositions());
            int rows = rel.rows();
            int[] shape = r.shape("encoder.rel_embeddings.weight");
            if (shape.length != 2 || shape[0] < rows || shape[1] != h) {
                throw new CheckpointException("encoder weight '" + r.key("encoder.rel_embeddings.weight") + "' has shape "
                        + java.util.Arrays.toString(shape) + ", expected [" + rows + ", " + h + "] (position_buckets "
                        + cfg.positionBuckets() + ", max_relative_positions " + cfg.maxRelativePositions() + ")");
            }
            float[] all = r.floats("encoder.rel_embeddings.weight", shape);
            relTable = java.util.Arrays.copyOf(all, rows * h);
            if (cfg.normRelEmbeddings()) r.norm("encoder.LayerNorm", h, eps).apply(relTable, 0, rows);
        }

        TransformerLayer[] layers = new TransformerLayer[cfg.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "encoder.layer." + i + ".";
            Linear q = r.linear(p + "attention.self.query_proj", h, a, true);
            Linear k = r.linear(p + "attention.self.key_proj", h, a, true);
            Linear v = r.linear(p + "attention.self.value_proj", h, a, true);
            float[] posKey = null, posQuery = null;
            if (rel != null) {
                // Relative keys/queries do not depend on the input: project the table once per layer.
                int rows = rel.rows();
                if (c2p) {
                    Linear pk = cfg.shareAttKey() ? k : r.linear(p + "attention.self.pos_key_proj", h, a, true);
                    posKey = new float[rows * a];
                    Ops.linear(relTable, 0, rows, pk, posKey, 0);
                }
                if (p2c) {
                    Linear pq = cfg.shareAttKey() ? q : r.linear(p + "attention.self.pos_query_proj", h, a, true);
                    posQuery = new float[rows * a];
                    Ops.linear(relTable, 0, rows, pq, posQuery, 0);
                }
            }
            layers[i] = layer(cfg, r, p, fuse(q, k, v), h, a, eps, posKey, posQuery);
        }
        int factor = 1 + (c2p ? 1 : 0) + (p2c ? 1 : 0);
        // transformers divides every term by sqrt(head_dim · factor), also without relative attention.
        float scale = (float) (1.0 / Math.sqrt((float) d * factor));
        return new TransformerEncoder(h, heads, d, emb, layers, rel, c2p, p2c, scale, activation(cfg));
    }

    private static TransformerLayer layer(EncoderConfig cfg, WeightReader r, String p, Linear qkv, int h, int a,
                                          float eps, float[] posKey, float[] posQuery) {
        int inter = cfg.intermediateSize();
        return new TransformerLayer(qkv,
                r.linear(p + "attention.output.dense", a, h, true),
                r.norm(p + "attention.output.LayerNorm", h, eps),
                r.linear(p + "intermediate.dense", h, inter, true),
                r.linear(p + "output.dense", inter, h, true),
                r.norm(p + "output.LayerNorm", h, eps),
                posKey, posQuery);
    }

    /** Row 0 of the token type table (token types are always 0 here), or null without one. */
    private static float[] tokenTypeRow0(EncoderConfig cfg, WeightReader r, int width) {
        if (cfg.typeVocabSize() <= 0) return null;
        float[] t = r.floats("embeddings.token_type_embeddings.weight", cfg.typeVocabSize(), width);
        return java.util.Arrays.copyOf(t, width);
    }

    /** Concatenates three projections row-wise so one matrix product yields [q | k | v] per token. */
    private static Linear fuse(Linear q, Linear k, Linear v) {
        int in = q.in();
        int out = q.out() + k.out() + v.out();
        float[] w = new float[out * in];
        float[] b = new float[out];
        int row = 0;
        for (Linear l : new Linear[] {q, k, v}) {
            System.arraycopy(l.weight(), 0, w, row * in, l.out() * in);
            if (l.bias() != null) System.arraycopy(l.bias(), 0, b, row, l.out());
            row += l.out();
        }
        return new Linear(w, b, in, out);
    }

    private static TransformerEncoder.Activation activation(EncoderConfig cfg) {
        String act = cfg.hiddenAct() == null ? "gelu" : cfg.hiddenAct().toLowerCase(Locale.ROOT);
        return switch (act) {
            case "gelu", "gelu_python" -> TransformerEncoder.Activation.GELU;
            case "relu" -> TransformerEncoder.Activation.RELU;
            default -> throw new CheckpointException("encoder_config.hidden_act '" + cfg.hiddenAct()
                    + "' is not supported (gelu, gelu_python, relu)");
        };
    }
}
