package dev.relex.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fields of {@code gliner_config.json} that matter at inference (spec §1.2). The parsed JSON is
 * kept in {@link #raw()} so that a checkpoint written by us round-trips every field.
 */
public record GlinerConfig(
        String modelName,
        EncoderConfig encoder,
        int hiddenSize,
        int maxWidth,
        int maxLen,
        String spanMode,
        int numRnnLayers,
        String subtokenPooling,
        String wordsSplitterType,
        boolean embedEntToken,
        boolean embedRelToken,
        int classTokenIndex,
        int relTokenIndex,
        int vocabSize,
        String entToken,
        String sepToken,
        String relToken,
        boolean fuseLayers,
        String relationsLayer,
        String triplesLayer,
        String precomputedPromptsMode,
        JsonNode raw) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which model class the reference would build (spec §1.3). */
    public enum ModelKind { SPAN_RELEX, TOKEN_RELEX }

    /** Relex iff relations_layer is non-null; token_level span mode selects the token model. */
    public ModelKind modelKind() {
        if (relationsLayer == null) {
            throw new CheckpointException("gliner_config.json has relations_layer: null, which the reference loads as a "
                    + "plain NER model, not GLiNER-Relex; this library only runs relex checkpoints");
        }
        return "token_level".equals(spanMode) ? ModelKind.TOKEN_RELEX : ModelKind.SPAN_RELEX;
    }

    public boolean hasProjection() {
        return hiddenSize != encoder.hiddenSize();
    }

    public static GlinerConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("missing " + file.getFileName() + " in " + file.getParent());
        }
        try {
            return fromJson(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new CheckpointException(file + ": invalid JSON: " + e.getMessage(), e);
        } catch (CheckpointException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
    }

    public static GlinerConfig fromJson(JsonNode n) {
        if (n == null || !n.isObject()) throw new CheckpointException("config is not a JSON object");
        EncoderConfig enc = EncoderConfig.fromJson(n.get("encoder_config"));
        return new GlinerConfig(
                text(n, "model_name", "microsoft/deberta-v3-small"),
                enc,
                integer(n, "hidden_size", 512),
                integer(n, "max_width", 12),
                integer(n, "max_len", 384),
                text(n, "span_mode", "markerV0"),
                integer(n, "num_rnn_layers", 1),
                text(n, "subtoken_pooling", "first"),
                text(n, "words_splitter_type", "whitespace"),
                bool(n, "embed_ent_token", true),
                bool(n, "embed_rel_token", true),
                integer(n, "class_token_index", -1),
                integer(n, "rel_token_index", -1),
                integer(n, "vocab_size", -1),
                text(n, "ent_token", "<<ENT>>"),
                text(n, "sep_token", "<<SEP>>"),
                text(n, "rel_token", "<<REL>>"),
                bool(n, "fuse_layers", false),
                relationsLayer(text(n, "relations_layer", null)),
                text(n, "triples_layer", null),
                text(n, "precomputed_prompts_mode", null),
                n);
    }

    /** Adjacency modes the reference accepts; it lower-cases the name before dispatching. */
    static final java.util.Set<String> RELATIONS_LAYERS =
            java.util.Set.of("dot", "mlp", "attention", "attn", "bilinear", "gcn", "gat", "none");

    /** Known modes are normalised to lower case (as the reference does); anything else is kept verbatim. */
    private static String relationsLayer(String value) {
        if (value == null) return null;
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        return RELATIONS_LAYERS.contains(lower) ? lower : value;
    }

    private static int integer(JsonNode n, String key, int def) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return def;
        if (!v.canConvertToInt() || (v.isFloatingPointNumber() && v.asDouble() != Math.rint(v.asDouble()))) {
            throw new CheckpointException(key + " must be an integer, found " + v);
        }
        return v.asInt();
    }

    private static boolean bool(JsonNode n, String key, boolean def) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return def;
        if (!v.isBoolean()) throw new CheckpointException(key + " must be true or false, found " + v);
        return v.asBoolean();
    }

    private static String text(JsonNode n, String key, String def) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? def : v.asText();
    }
}
