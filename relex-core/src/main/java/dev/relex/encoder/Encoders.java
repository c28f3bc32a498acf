package dev.relex.encoder;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.checkpoint.TensorSource;
import dev.relex.engine.Linear;
import dev.relex.engine.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a pure-Java {@link Encoder} from a Hugging Face backbone config and its weights. The weights
 * are copied into float arrays once here; the returned encoder is thread-safe for inference and is
 * also a {@link TrainableEncoder} whose {@link TrainableEncoder#parameters() parameters} are views of
 * those arrays.
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
        return createTrainable(cfg, weights, prefix);
    }

    /** {@link #create}, typed for training: the same encoder, with parameters, forward state and backward. */
    public static TrainableEncoder createTrainable(EncoderConfig cfg, TensorSource weights, String prefix) {
        Objects.requireNonNull(cfg, "encoder config");
        Objects.requireNonNull(weights, "weights");
        WeightReader r = new WeightReader(weights, prefix == null ? "" : prefix);
        if (cfg.isBert()) return bert(cfg, r);
        if (cfg.isDebertaV2()) return debertaV2(cfg, r);
        throw new CheckpointException("encoder_config.model_type '" + cfg.modelType()
                + "' is not supported (supported: bert, deberta-v2)");
    }

    /**
     * Checkpoint keys under {@code prefix} that the encoder does not compute with and therefore does not
     * train: BERT's {@code pooler.dense.*} (the reference leaves their gradient {@code None}, so AdamW
     * neither updates nor decays them) and rows-only leftovers of that kind. A trainer keeps these as
     * pass-through tensors: copied unchanged from the loaded checkpoint into an exported one, never given
     * to the optimizer.
     */
    public static List<String> untrainedKeys(TensorSource weights, String prefix, TrainableEncoder encoder) {
        String px = prefix == null ? "" : prefix;
        Set<String> trained = new java.util.HashSet<>();
        for (Parameter p : encoder.parameters()) trained.add(p.name());
        List<String> out = new ArrayList<>();
        for (String key : weights.names()) {
            if (key.startsWith(px) && !trained.contains(key)) out.add(key);
        }
        return out;
    }

    private static TransformerEncoder bert(EncoderConfig cfg, WeightReader r) {
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
        Params params = new Params(r);
        int vocab = r.shape("embeddings.word_embeddings.weight")[0];
        float[] words = params.add("embeddings.word_embeddings.weight", r.floats("embeddings.word_embeddings.weight", vocab, h), vocab, h);
        int maxPos = cfg.maxPositionEmbeddings();
        float[] positions = params.add("embeddings.position_embeddings.weight",
                r.floats("embeddings.position_embeddings.weight", maxPos, h), maxPos, h);
        float[] types = tokenTypes(cfg, r, params, h);
        Embeddings emb = new Embeddings(words, vocab, h, positions, maxPos, types, null,
                params.norm("embeddings.LayerNorm", h, eps), false);
        TransformerLayer[] layers = new TransformerLayer[cfg.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "encoder.layer." + i + ".";
            Linear qkv = params.fusedQkv(p + "attention.self.", new String[] {"query", "key", "value"}, h, h);
            layers[i] = layer(cfg, params, p, qkv, h, h, eps, null, null, 0);
        }
        return new TransformerEncoder(h, heads, d, emb, layers, null, null, null, false, false,
                (float) (1.0 / Math.sqrt(d)), activation(cfg), params.list, dropout(cfg));
    }

    private static TransformerEncoder debertaV2(EncoderConfig cfg, WeightReader r) {
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

        Params params = new Params(r);
        int vocab = r.shape("embeddings.word_embeddings.weight")[0];
        float[] words = params.add("embeddings.word_embeddings.weight", r.floats("embeddings.word_embeddings.weight", vocab, e), vocab, e);
        float[] positions = null;
        int maxPos = cfg.maxPositionEmbeddings();
        if (cfg.positionBiasedInput()) {
            positions = params.add("embeddings.position_embeddings.weight",
                    r.floats("embeddings.position_embeddings.weight", maxPos, e), maxPos, e);
        }
        float[] types = tokenTypes(cfg, r, params, e);
        Linear proj = e != h ? params.linear("embeddings.embed_proj", e, h, false) : null;
        Embeddings emb = new Embeddings(words, vocab, e, positions, maxPos, types, proj,
                params.norm("embeddings.LayerNorm", h, eps), true);

        RelativePositions rel = null;
        float[] relEmbeddings = null;
        Norm relNorm = null;
        int rows = 0;
        // Without c2p/p2c transformers builds the relative table but never uses it.
        if (cfg.relativeAttention() && (c2p || p2c)) {
            rel = new RelativePositions(cfg.positionBuckets(), cfg.effectiveMaxRelativePositions());
            rows = rel.rows();
            int[] shape = r.shape("encoder.rel_embeddings.weight");
            if (shape.length != 2 || shape[0] < rows || shape[1] != h) {
                throw new CheckpointException("encoder weight '" + r.key("encoder.rel_embeddings.weight") + "' has shape "
                        + java.util.Arrays.toString(shape) + ", expected [" + rows + ", " + h + "] (position_buckets "
                        + cfg.positionBuckets() + ", max_relative_positions " + cfg.maxRelativePositions() + ")");
            }
            // The whole tensor is the parameter; attention reads its first 2·span rows (after the LayerNorm).
            relEmbeddings = params.add("encoder.rel_embeddings.weight", r.floats("encoder.rel_embeddings.weight", shape),
                    shape[0], shape[1]);
            if (cfg.normRelEmbeddings()) relNorm = params.norm("encoder.LayerNorm", h, eps);
        }

        TransformerLayer[] layers = new TransformerLayer[cfg.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "encoder.layer." + i + ".";
            String self = p + "attention.self.";
            Linear qkv = params.fusedQkv(self, new String[] {"query_proj", "key_proj", "value_proj"}, h, a);
            TransformerLayer.Projection posKey = null, posQuery = null;
            if (rel != null) {
                // Relative keys/queries do not depend on the input: the layer keeps the projected table
                // (derived, see TransformerEncoder.refreshDerived).
                if (c2p) {
                    posKey = cfg.shareAttKey() ? TransformerLayer.Projection.block(qkv, 1)
                            : TransformerLayer.Projection.of(params.linear(self + "pos_key_proj", h, a, true));
                }
                if (p2c) {
                    posQuery = cfg.shareAttKey() ? TransformerLayer.Projection.block(qkv, 0)
                            : TransformerLayer.Projection.of(params.linear(self + "pos_query_proj", h, a, true));
                }
            }
            layers[i] = layer(cfg, params, p, qkv, h, a, eps, posKey, posQuery, rows);
        }
        int factor = 1 + (c2p ? 1 : 0) + (p2c ? 1 : 0);
        // transformers divides every term by sqrt(head_dim · factor), also without relative attention.
        float scale = (float) (1.0 / Math.sqrt((float) d * factor));
        return new TransformerEncoder(h, heads, d, emb, layers, rel, relEmbeddings, relNorm, c2p, p2c, scale,
                activation(cfg), params.list, dropout(cfg));
    }

    private static TransformerLayer layer(EncoderConfig cfg, Params params, String p, Linear qkv, int h, int a,
                                          float eps, TransformerLayer.Projection posKey,
                                          TransformerLayer.Projection posQuery, int relRows) {
        int inter = cfg.intermediateSize();
        Linear attnOutput = params.linear(p + "attention.output.dense", a, h, true);
        Norm attnNorm = params.norm(p + "attention.output.LayerNorm", h, eps);
        Linear intermediate = params.linear(p + "intermediate.dense", h, inter, true);
        Linear output = params.linear(p + "output.dense", inter, h, true);
        Norm outputNorm = params.norm(p + "output.LayerNorm", h, eps);
        return new TransformerLayer(qkv, attnOutput, attnNorm, intermediate, output, outputNorm, posKey, posQuery,
                posKey == null ? null : new float[relRows * a], posQuery == null ? null : new float[relRows * a]);
    }

    /** The token type table (only row 0 is used: token types are always 0 here), or null without one. */
    private static float[] tokenTypes(EncoderConfig cfg, WeightReader r, Params params, int width) {
        if (cfg.typeVocabSize() <= 0) return null;
        String name = "embeddings.token_type_embeddings.weight";
        return params.add(name, r.floats(name, cfg.typeVocabSize(), width), cfg.typeVocabSize(), width);
    }

    /** hidden_dropout_prob and attention_probs_dropout_prob (transformers' default 0.1 when absent). */
    private static double[] dropout(EncoderConfig cfg) {
        double hidden = 0.1, attention = 0.1;
        if (cfg.raw() != null) {
            var hNode = cfg.raw().get("hidden_dropout_prob");
            var aNode = cfg.raw().get("attention_probs_dropout_prob");
            if (hNode != null && hNode.isNumber()) hidden = hNode.asDouble();
            if (aNode != null && aNode.isNumber()) attention = aNode.asDouble();
        }
        return new double[] {hidden, attention};
    }

    /**
     * Collects the encoder's parameters (full checkpoint names, in model order) while the weights are
     * read, each as a view of the array the encoder computes with.
     */
    private static final class Params {
        final WeightReader r;
        final List<Parameter> list = new ArrayList<>();

        Params(WeightReader r) {
            this.r = r;
        }

        float[] add(String name, float[] values, int... shape) {
            list.add(new Parameter(r.key(name), shape, values));
            return values;
        }

        Linear linear(String name, int in, int out, boolean bias) {
            Linear l = r.linear(name, in, out, bias);
            list.add(new Parameter(r.key(name + ".weight"), new int[] {out, in}, l.weight()));
            if (bias) list.add(new Parameter(r.key(name + ".bias"), new int[] {out}, l.bias()));
            return l;
        }

        Norm norm(String name, int dim, float eps) {
            Norm n = r.norm(name, dim, eps);
            list.add(new Parameter(r.key(name + ".weight"), new int[] {dim}, n.gamma()));
            list.add(new Parameter(r.key(name + ".bias"), new int[] {dim}, n.beta()));
            return n;
        }

        /**
         * Reads query, key and value ({@code self + names[i]}) and concatenates them row-wise, so one matrix
         * product yields [q | k | v] per token; the three checkpoint tensors become views of the fused arrays.
         */
        Linear fusedQkv(String self, String[] names, int in, int out) {
            float[] w = new float[3 * out * in];
            float[] b = new float[3 * out];
            String[] wNames = new String[3], bNames = new String[3];
            int[][] wShapes = new int[3][], bShapes = new int[3][];
            for (int i = 0; i < 3; i++) {
                Linear l = r.linear(self + names[i], in, out, true);
                System.arraycopy(l.weight(), 0, w, i * out * in, out * in);
                System.arraycopy(l.bias(), 0, b, i * out, out);
                wNames[i] = r.key(self + names[i] + ".weight");
                bNames[i] = r.key(self + names[i] + ".bias");
                wShapes[i] = new int[] {out, in};
                bShapes[i] = new int[] {out};
            }
            Parameter[] wv = Parameter.views(w, wNames, wShapes);
            Parameter[] bv = Parameter.views(b, bNames, bShapes);
            for (int i = 0; i < 3; i++) {
                list.add(wv[i]);
                list.add(bv[i]);
            }
            return new Linear(w, b, in, 3 * out);
        }
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
