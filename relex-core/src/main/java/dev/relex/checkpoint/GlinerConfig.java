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
                n.path("hidden_size").asInt(512),
                n.path("max_width").asInt(12),
                n.path("max_len").asInt(384),
                text(n, "span_mode", "markerV0"),
                n.path("num_rnn_layers").asInt(1),
                text(n, "subtoken_pooling", "first"),
                text(n, "words_splitter_type", "whitespace"),
                n.path("embed_ent_token").asBoolean(true),
                n.path("embed_rel_token").asBoolean(true),
                n.path("class_token_index").asInt(-1),
                n.path("rel_token_index").asInt(-1),
                n.path("vocab_size").asInt(-1),
                text(n, "ent_token", "<<ENT>>"),
                text(n, "sep_token", "<<SEP>>"),
                text(n, "rel_token", "<<REL>>"),
                n.path("fuse_layers").asBoolean(false),
                text(n, "relations_layer", null),
                text(n, "triples_layer", null),
                text(n, "precomputed_prompts_mode", null),
                n);
    }

    private static String text(JsonNode n, String key, String def) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? def : v.asText();
    }
}
