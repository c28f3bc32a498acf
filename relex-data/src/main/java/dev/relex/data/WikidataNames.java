package dev.relex.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Wikidata property names (id → name) from the files the datasets ship, for
 * {@link LabelMapping#withRelationNames}:
 * <ul>
 *   <li>DocRED's {@code rel_info.json}: {@code {"P6": "head of government", ...}};</li>
 *   <li>FewRel's {@code pid2name.json} and {@code aux-relation-labels/data/pid2name_wiki.json}:
 *       {@code {"P17": ["country", "description"], ...}};</li>
 *   <li>{@code aux-relation-labels/data/all_wikidata_properties.json} (11,665 properties):
 *       {@code [{"property": "http://www.wikidata.org/entity/P6", "propertyLabel": "head of government", ...}]}.</li>
 * </ul>
 */
public final class WikidataNames {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Folder of the auxiliary name files, relative to the shared datasets folder. */
    public static final String AUXILIARY_FOLDER = "aux-relation-labels/data";
    /** The auxiliary files in the order they are consulted. */
    public static final List<String> AUXILIARY_FILES = List.of("pid2name_wiki.json", "all_wikidata_properties.json");

    private WikidataNames() {}

    /** Reads any of the three layouts (streamed: one entry is a tree at a time). */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String name = file.toString();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            JsonToken first = p.nextToken();
            long n = 0;
            if (first == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    n++;
                    String id = p.currentName();
                    p.nextToken();
                    JsonNode v = p.readValueAsTree();
                    String label = v.isTextual() ? v.asText()
                            : v.isArray() && !v.isEmpty() && v.get(0).isTextual() ? v.get(0).asText() : null;
                    if (label == null || label.isBlank()) {
                        throw new DatasetFormatException(new RecordError(name, n, "property '" + id + "' has no name: " + v));
                    }
                    out.put(id, label);
                }
            } else if (first == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    n++;
                    JsonNode v = p.readValueAsTree();
                    JsonNode uri = v.get("property");
                    JsonNode label = v.get("propertyLabel");
                    if (uri == null || !uri.isTextual() || label == null || !label.isTextual() || label.asText().isBlank()) {
                        throw new DatasetFormatException(new RecordError(name, n,
                                "expected {\"property\": uri, \"propertyLabel\": name}, found " + v));
                    }
                    String u = uri.asText();
                    out.put(u.substring(u.lastIndexOf('/') + 1), label.asText());
                }
            } else {
                throw new DatasetFormatException(new RecordError(name, 1, "expected a JSON object or array of properties"));
            }
        }
        return out;
    }

    /**
     * The auxiliary name files that exist in the {@value #AUXILIARY_FOLDER} folder of the first ancestor of
     * {@code datasetFile} that has one (so a file under {@code shared/datasets/docred/} finds
     * {@code shared/datasets/aux-relation-labels/data/}), in {@link #AUXILIARY_FILES} order; empty if none.
     */
    public static List<Path> findAuxiliary(Path datasetFile) {
        for (Path dir = datasetFile.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            Path aux = dir.resolve(AUXILIARY_FOLDER);
            if (Files.isDirectory(aux)) {
                List<Path> out = new ArrayList<>();
                for (String f : AUXILIARY_FILES) {
                    if (Files.isRegularFile(aux.resolve(f))) out.add(aux.resolve(f));
                }
                return out;
            }
        }
        return List.of();
    }

    /** {@code mapping} with the names of every auxiliary file found for {@code datasetFile} added, in order. */
    public static LabelMapping withAuxiliary(LabelMapping mapping, Path datasetFile) throws IOException {
        LabelMapping m = mapping;
        for (Path f : findAuxiliary(datasetFile)) m = m.withRelationNames(f.getFileName().toString(), read(f));
        return m;
    }
}
