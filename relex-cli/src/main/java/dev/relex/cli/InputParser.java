package dev.relex.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.ExtractionOptions;
import dev.relex.ExtractionRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Turns input lines into {@link InputItem}s. A JSONL line is an object with a required
 * {@code "text"} and optional per-line overrides; a JSON string line is a bare text. Unknown keys
 * are errors, so that a misspelt threshold is not silently ignored.
 */
final class InputParser {

    /** Keys a JSONL object may carry. */
    static final Set<String> KEYS = Set.of("text", "id", "entities", "relations", "threshold",
            "adjacency_threshold", "relation_threshold", "flat_ner", "nested", "multi_label", "fail_on_truncation");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final RequestDefaults defaults;

    InputParser(RequestDefaults defaults) {
        this.defaults = defaults;
    }

    /** A line of {@code --input-format text}: the whole line is the text. */
    InputItem plainText(int line, String text) {
        return build(line, null, text, null);
    }

    /** A line of JSONL input. */
    InputItem jsonLine(int line, String raw) {
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            return new InputItem.Failure(line, null, "invalid JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            return new InputItem.Failure(line, null, "invalid JSON: empty line");
        }
        if (node.isTextual()) return build(line, null, node.textValue(), null);
        if (!node.isObject()) {
            return new InputItem.Failure(line, null,
                    "expected a JSON object with a \"text\" field (or a JSON string), got " + kind(node));
        }
        JsonNode id = node.get("id");
        try {
            return fromObject(line, id, node);
        } catch (IllegalArgumentException e) {
            return new InputItem.Failure(line, id, e.getMessage());
        }
    }

    private InputItem fromObject(int line, JsonNode id, JsonNode node) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) unknown.add(key);
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown.stream().map(k -> "\"" + k + "\"").toList())
                    + "; allowed: text, id, entities, relations, threshold, adjacency_threshold, "
                    + "relation_threshold, flat_ner, nested, multi_label, fail_on_truncation");
        }
        JsonNode text = node.get("text");
        if (text == null || text.isNull()) throw new IllegalArgumentException("missing \"text\"");
        if (!text.isTextual()) throw new IllegalArgumentException("\"text\" must be a string, got " + kind(text));
        return build(line, id, text.textValue(), node);
    }

    /** Merges the line's overrides (node may be null) with the command-line defaults. */
    private InputItem build(int line, JsonNode id, String text, JsonNode node) {
        try {
            List<String> entities = node != null && node.has("entities")
                    ? labels(node.get("entities"), "entities") : defaults.entityLabels();
            List<String> relations = node != null && node.has("relations")
                    ? labels(node.get("relations"), "relations") : defaults.relationLabels();
            if (entities.isEmpty()) {
                throw new IllegalArgumentException("no entity labels: give --entities/--entity/--entities-file "
                        + "or an \"entities\" array on the line");
            }
            double threshold = number(node, "threshold", defaults.threshold());
            Double adjacency = number(node, "adjacency_threshold", defaults.adjacencyThreshold());
            Double relation = number(node, "relation_threshold", defaults.relationThreshold());
            boolean nested = defaults.nested();
            if (node != null && node.has("flat_ner") && node.has("nested")) {
                throw new IllegalArgumentException("give either \"flat_ner\" or \"nested\", not both");
            }
            if (node != null && node.has("flat_ner")) nested = !bool(node, "flat_ner");
            if (node != null && node.has("nested")) nested = bool(node, "nested");
            boolean multiLabel = node != null && node.has("multi_label") ? bool(node, "multi_label")
                    : defaults.multiLabel();
            boolean failOnTruncation = node != null && node.has("fail_on_truncation")
                    ? bool(node, "fail_on_truncation") : defaults.failOnTruncation();

            ExtractionOptions.Builder b = ExtractionOptions.builder()
                    .threshold(threshold).nested(nested).multiLabel(multiLabel).offsetUnit(defaults.offsetUnit())
                    .failOnTruncation(failOnTruncation);
            if (adjacency != null) b.adjacencyThreshold(adjacency);
            if (relation != null) b.relationThreshold(relation);
            return new InputItem.Request(line, id, new ExtractionRequest(text, entities, relations, b.build()));
        } catch (IllegalArgumentException e) {
            return new InputItem.Failure(line, id, e.getMessage());
        }
    }

    private static List<String> labels(JsonNode n, String key) {
        if (!n.isArray()) throw new IllegalArgumentException("\"" + key + "\" must be an array of strings, got " + kind(n));
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual()) {
                throw new IllegalArgumentException("\"" + key + "\"[" + i + "] must be a string, got " + kind(e));
            }
            if (e.textValue().isBlank()) throw new IllegalArgumentException("\"" + key + "\"[" + i + "] is empty");
            out.add(e.textValue());
        }
        return out;
    }

    private static Double number(JsonNode node, String key, Double fallback) {
        if (node == null || !node.has(key)) return fallback;
        JsonNode v = node.get(key);
        if (v.isNull()) return fallback;
        if (!v.isNumber()) throw new IllegalArgumentException("\"" + key + "\" must be a number, got " + kind(v));
        double d = v.doubleValue();
        if (!(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("\"" + key + "\" must be a probability in [0, 1], got " + v);
        }
        return d;
    }

    private static boolean bool(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.isBoolean()) throw new IllegalArgumentException("\"" + key + "\" must be true or false, got " + kind(v));
        return v.booleanValue();
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number (" + n + ")";
            case BOOLEAN -> "a boolean (" + n + ")";
            case NULL -> "null";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
