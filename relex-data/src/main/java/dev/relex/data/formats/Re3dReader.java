package dev.relex.data.formats;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * re3d (mongoexport JSON lines per source folder: {@code documents.json}, {@code entities.json} with
 * {@code documentId, begin, end, type, value}, {@code relations.json} with {@code documentId, sourceBegin,
 * sourceEnd, targetBegin, targetEnd, type}). The path is the re3d folder (every source folder in it, sorted) or
 * one source folder. One example per document; the record is the document's line in {@code documents.json}.
 * Entities may nest ("the Kurdish YPG" holds the nationality "Kurdish"). A relation's source and target are the
 * entities with exactly those offsets (any type; the source is the head); a relation whose argument is not an
 * annotated entity, and entities whose value differs from the text at their offsets or that fall off GLiNER's
 * word boundaries, are dropped and noted. Companion files are read per folder (under 1 MB each).
 */
public final class Re3dReader extends ParsedReader {

    @Override
    public Stream<Parsed> parse(Path path) throws IOException {
        List<Path> folders;
        if (Files.isRegularFile(path.resolve("documents.json"))) {
            folders = List.of(path);
        } else {
            try (Stream<Path> s = Files.list(path)) {
                folders = s.filter(p -> Files.isRegularFile(p.resolve("documents.json"))).sorted().toList();
            }
        }
        List<Stream<Parsed>> parts = new ArrayList<>();
        for (Path f : folders) parts.add(readFolder(f));
        return parts.stream().flatMap(s -> s);
    }

    private static Stream<Parsed> readFolder(Path folder) throws IOException {
        Map<String, List<JsonNode>> entities = byDocument(folder.resolve("entities.json"));
        Map<String, List<JsonNode>> relations = byDocument(folder.resolve("relations.json"));
        Path docs = folder.resolve("documents.json");
        String name = docs.toString();
        return JsonElements.lines(docs, (line, node) -> {
            String id = JsonElements.text(node, "_id"), text = JsonElements.text(node, "text");
            if (id == null || text == null) return new Parsed.Bad(name, line, "a document needs _id and text");
            CharSpanDocument doc = new CharSpanDocument(text);
            Map<String, String> keyOfSpan = new HashMap<>();
            for (JsonNode e : entities.getOrDefault(id, List.of())) {
                String key = JsonElements.text(e, "_id");
                int begin = e.path("begin").asInt(-1), end = e.path("end").asInt(-1);
                String type = JsonElements.text(e, "type"), value = JsonElements.text(e, "value");
                String what = "entity " + type + " '" + value + "' (" + key + ")";
                if (key == null || type == null) {
                    doc.problem(Parsed.NoteKind.ENTITY_DROPPED, "entity record incomplete", what + " lacks _id or type");
                    continue;
                }
                doc.entity(key, begin, end, type, value, what);
                keyOfSpan.putIfAbsent(begin + ":" + end, key); // also when dropped: its relations are dropped with it
            }
            for (JsonNode r : relations.getOrDefault(id, List.of())) {
                String type = JsonElements.text(r, "type");
                String source = keyOfSpan.get(r.path("sourceBegin").asInt(-1) + ":" + r.path("sourceEnd").asInt(-1));
                String target = keyOfSpan.get(r.path("targetBegin").asInt(-1) + ":" + r.path("targetEnd").asInt(-1));
                String what = "relation " + type + " '" + JsonElements.text(r, "source") + "' -> '" + JsonElements.text(r, "target") + "'";
                if (source == null || target == null || type == null) {
                    doc.problem(Parsed.NoteKind.RELATION_DROPPED, "relation argument is not an annotated entity",
                            what + ": " + (source == null ? "source" : "target") + " offsets match no entity");
                    continue;
                }
                doc.relation(source, target, type, what);
            }
            return doc.toParsed(name, line, id, BratReader.OnBadAnnotation.DROP_ANNOTATION);
        });
    }

    private static Map<String, List<JsonNode>> byDocument(Path file) throws IOException {
        Map<String, List<JsonNode>> m = new HashMap<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.isBlank()) continue;
            JsonNode n = JsonElements.JSON.readTree(l);
            String doc = JsonElements.text(n, "documentId");
            if (doc != null) m.computeIfAbsent(doc, k -> new ArrayList<>()).add(n);
        }
        return m;
    }
}
