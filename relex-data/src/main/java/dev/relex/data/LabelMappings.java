package dev.relex.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A set of {@link LabelMapping}s by dataset name, as in the resource {@code dev/relex/data/label-mappings.json}
 * (the built-in mappings, documented in that file) or in a user file of the same structure:
 *
 * <pre>{@code
 * {
 *   // comments are allowed
 *   "conll04": {
 *     "entities":  {"Peop": "person", "Loc": "location"},
 *     "relations": {"Work_For": "works for"},
 *     "passThrough": ["entities"]          // optional: labels without an entry are kept as they are
 *   }
 * }
 * }</pre>
 *
 * A {@code null} value drops the annotations with that label (counted in the {@link ReadReport}). A user file
 * overrides the built-in mappings entry by entry ({@link #overriddenBy}). Immutable.
 */
public final class LabelMappings {
    /** Classpath location of the built-in mappings. */
    public static final String RESOURCE = "/dev/relex/data/label-mappings.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static volatile LabelMappings builtin;

    private final Map<String, LabelMapping> byDataset;

    private LabelMappings(Map<String, LabelMapping> byDataset) {
        this.byDataset = Collections.unmodifiableMap(new LinkedHashMap<>(byDataset));
    }

    /** The built-in mappings (read once from {@link #RESOURCE}). */
    public static LabelMappings builtin() {
        LabelMappings b = builtin;
        if (b == null) {
            try (InputStream in = LabelMappings.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing");
                b = parse(JSON.readTree(in), "classpath:" + RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
            builtin = b;
        }
        return b;
    }

    /** The built-in mappings overridden by a user file (or just the built-in ones if {@code userFile} is null). */
    public static LabelMappings load(Path userFile) throws IOException {
        return userFile == null ? builtin() : builtin().overriddenBy(read(userFile));
    }

    /** Reads a mapping file (same structure as the resource). */
    public static LabelMappings read(Path file) throws IOException {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new IOException(file + ": not a valid label mapping file: " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    /** Parses a mapping tree; {@code source} names it in error messages. */
    public static LabelMappings parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a label mapping file must be a JSON object of datasets");
        }
        Map<String, LabelMapping> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> ds = it.next();
            out.put(ds.getKey(), parseDataset(ds.getKey(), ds.getValue(), source));
        }
        return new LabelMappings(out);
    }

    private static LabelMapping parseDataset(String name, JsonNode node, String source) {
        String where = source + ": dataset '" + name + "'";
        if (!node.isObject()) throw new IllegalArgumentException(where + " must be an object");
        LabelMapping.Builder b = LabelMapping.builder(name);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            switch (f.getKey()) {
                case "entities" -> entries(f.getValue(), where + " entities").forEach(b::entity);
                case "relations" -> entries(f.getValue(), where + " relations").forEach(b::relation);
                case "passThrough" -> {
                    if (!f.getValue().isArray()) throw new IllegalArgumentException(where + ": passThrough must be a list");
                    for (JsonNode kind : f.getValue()) {
                        switch (kind.asText()) {
                            case "entities" -> b.entitiesPassThrough(true);
                            case "relations" -> b.relationsPassThrough(true);
                            default -> throw new IllegalArgumentException(where + ": passThrough entry '" + kind.asText()
                                    + "' is neither \"entities\" nor \"relations\"");
                        }
                    }
                }
                case "description" -> { } // free text for humans
                default -> throw new IllegalArgumentException(where + ": unknown key '" + f.getKey()
                        + "' (expected entities, relations, passThrough, description)");
            }
        }
        return b.build();
    }

    private static Map<String, String> entries(JsonNode node, String where) {
        if (!node.isObject()) throw new IllegalArgumentException(where + " must be an object of label -> prompt label");
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                m.put(e.getKey(), null);
            } else if (v.isTextual() && !v.asText().isBlank()) {
                m.put(e.getKey(), v.asText());
            } else {
                throw new IllegalArgumentException(where + ": '" + e.getKey() + "' must map to a non-empty string or null, not "
                        + v);
            }
        }
        return m;
    }

    /** Dataset names with a mapping. */
    public Set<String> datasets() {
        return byDataset.keySet();
    }

    public boolean has(String dataset) {
        return byDataset.containsKey(dataset);
    }

    /**
     * The mapping for a dataset.
     *
     * @throws IllegalArgumentException if there is none
     */
    public LabelMapping forDataset(String dataset) {
        LabelMapping m = byDataset.get(dataset);
        if (m == null) throw new IllegalArgumentException("no label mapping for dataset '" + dataset + "' (have "
                + byDataset.keySet() + ")");
        return m;
    }

    /** These mappings with {@code user}'s entries replacing or adding to them, per dataset and per label. */
    public LabelMappings overriddenBy(LabelMappings user) {
        Map<String, LabelMapping> out = new LinkedHashMap<>(byDataset);
        user.byDataset.forEach((name, m) -> out.merge(name, m, LabelMapping::overriddenBy));
        return new LabelMappings(out);
    }
}
