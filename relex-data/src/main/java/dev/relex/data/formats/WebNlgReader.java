package dev.relex.data.formats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * WebNLG in the PRGC exact-match version: a JSON array of {@code {"text": str, "triple_list": [[subject,
 * relation, object], ...]}} with the arguments as surface strings and no offsets or types. Each argument is
 * split into words by GLiNER's word splitter and found as a run of the text's words, at its first occurrence;
 * arguments are untyped ({@code entity}). A triple whose subject or object is not found is left out and noted
 * ("argument not found in the text"); a record whose every triple is left out is still kept (its text has no
 * annotation left, which the note says). Relation labels are WebNLG's DBpedia property names
 * ({@code numberOfMembers}), named by the label mapping. Streams.
 */
public final class WebNlgReader extends ParsedReader {

    @Override
    public Stream<Parsed> parse(Path file) throws IOException {
        String name = file.toString();
        return JsonElements.array(file, (record, node) -> convert(name, record, node));
    }

    private static Parsed convert(String file, long record, JsonNode node) {
        String text = JsonElements.text(node, "text");
        JsonNode triples = node.get("triple_list");
        if (text == null || triples == null || !triples.isArray()) {
            return new Parsed.Bad(file, record, "expected {\"text\": string, \"triple_list\": [[s, r, o], ...]}");
        }
        TextWords words = new TextWords(text);
        List<String> w = words.texts();
        if (w.isEmpty()) return new Parsed.Bad(file, record, "the text has no words");
        List<EntityMention> entities = new ArrayList<>();
        Map<EntityMention, Integer> index = new HashMap<>();
        Set<RelationMention> relations = new LinkedHashSet<>();
        List<Parsed.Note> notes = new ArrayList<>();
        int t = 0;
        for (JsonNode triple : triples) {
            t++;
            if (!triple.isArray() || triple.size() != 3 || !triple.get(0).isTextual() || !triple.get(1).isTextual()
                    || !triple.get(2).isTextual()) {
                return new Parsed.Bad(file, record, "triple " + t + " is not [subject, relation, object]: " + triple);
            }
            String subject = triple.get(0).asText(), relation = triple.get(1).asText(), object = triple.get(2).asText();
            int[] s = find(w, subject), o = find(w, object);
            if (s == null || o == null) {
                notes.add(new Parsed.Note(Parsed.NoteKind.RELATION_DROPPED, "argument not found in the text",
                        "triple " + t + " (" + subject + ", " + relation + ", " + object + "): '" + (s == null ? subject : object)
                                + "' is not a run of words of the text"));
                continue;
            }
            int hi = index.computeIfAbsent(new EntityMention(s[0], s[1], "entity"), m -> add(entities, m));
            int ti = index.computeIfAbsent(new EntityMention(o[0], o[1], "entity"), m -> add(entities, m));
            relations.add(new RelationMention(hi, ti, relation));
        }
        String id = file + "#" + record;
        return new Parsed.Ok(file, record, new Example(id, w, entities, new ArrayList<>(relations)), notes);
    }

    private static int add(List<EntityMention> entities, EntityMention m) {
        entities.add(m);
        return entities.size() - 1;
    }

    /** The first run of {@code words} equal to the words of {@code phrase}, as [first, last], or null. */
    static int[] find(List<String> words, String phrase) {
        List<String> p = new TextWords(phrase).texts();
        if (p.isEmpty()) return null;
        outer:
        for (int i = 0; i + p.size() <= words.size(); i++) {
            for (int j = 0; j < p.size(); j++) if (!words.get(i + j).equals(p.get(j))) continue outer;
            return new int[]{i, i + p.size() - 1};
        }
        return null;
    }
}
