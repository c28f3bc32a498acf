package dev.relex.data.readers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.data.BadRecordException;
import dev.relex.data.DatasetReader;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.ExampleBuilder;
import dev.relex.data.LabelMapping;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;
import dev.relex.data.WikidataNames;
import dev.relex.data.io.JsonFields;
import dev.relex.data.io.JsonRecords;
import dev.relex.data.io.Records;
import dev.relex.text.Word;
import dev.relex.text.WordSplitter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * REBEL (JSON Lines): {@code {"docid", "title", "uri", "text", "entities": [{"uri", "boundaries": [start, end),
 * "surfaceform", "annotator"}], "triples": [{"subject": entity, "predicate": {"uri": PID, "surfaceform": name},
 * "object": entity, ...}]}}. The text is split into words with the inference {@link WordSplitter}; one example per
 * record (id = {@code docid}).
 *
 * <p><b>Offsets.</b> Boundaries are Python (code point) offsets. In the sample, 1,711 of 10,977 boundaries do not
 * select their surface form: the texts were cleaned (parenthesised pronunciations and the like removed) after the
 * offsets were computed, so the offsets drift after the first removal. An entity whose boundaries do not select its
 * surface form is moved to the occurrence of the surface form nearest to its start (counted as adjusted); one whose
 * surface form is not in the text is dropped (reported, with its triples). Boundaries that cut a word are widened to
 * whole words (adjusted). Two entities on the same words become one (adjusted).
 *
 * <p><b>Labels.</b> REBEL entities have no types; the dataset label of an entity is its {@code annotator}
 * ({@code "Me"} = linked Wikipedia entity, {@code "Date_Linker"}, {@code "Value_Linker"}), which the default mapping
 * turns into {@code entity}, {@code date} and {@code number}. Entities without triples are kept. Relation labels
 * are the predicate's Wikidata id, named by a mapping entry, else the predicate's own surface form, else the
 * auxiliary Wikidata names.
 */
public final class RebelReader implements DatasetReader {
    private final WordSplitter splitter = new WordSplitter();

    @Override
    public void read(Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report, Consumer<? super Example> sink)
            throws IOException {
        LabelMapping m = WikidataNames.withAuxiliary(mapping, file);
        String name = file.toString();
        JsonRecords.forEachLine(file, policy, report, (record, node) ->
                Records.emit(convert(node, m, report, name, record), report, sink));
    }

    Example convert(JsonNode node, LabelMapping mapping, ReadReport report, String file, long record) {
        String id = JsonFields.text(node, "docid");
        String text = JsonFields.text(node, "text");
        List<Word> words = splitter.split(text);
        List<String> strings = new ArrayList<>(words.size());
        for (Word w : words) strings.add(w.text());
        ExampleBuilder b = new ExampleBuilder(id, strings, mapping, report, file, record);
        int[] cpToUtf16 = codePointOffsets(text);

        JsonNode entities = JsonFields.array(node, "entities");
        Map<String, Integer> byKey = new HashMap<>();      // raw boundaries + uri -> entity index (-1 = dropped)
        Map<Long, Integer> bySpan = new HashMap<>();       // word span -> entity index
        for (int i = 0; i < entities.size(); i++) {
            JsonNode e = entities.get(i);
            String what = "entities[" + i + "]";
            int[] raw = boundaries(e, what);
            String surface = JsonFields.text(e, "surfaceform");
            String annotator = JsonFields.text(e, "annotator");
            String key = key(raw, e);
            if (byKey.containsKey(key)) {
                report.adjusted("entity listed twice, one entity", new RecordError(file, record, what + " '" + surface
                        + "' repeats an earlier entity"));
                continue;
            }
            int index = -1;
            long span = locate(text, cpToUtf16, raw, surface, words, what, report, file, record);
            if (span >= 0) {
                Integer same = bySpan.get(span);
                if (same != null) {
                    index = same;
                    report.adjusted("two entities on the same words, one entity", new RecordError(file, record,
                            what + " '" + surface + "' has the words of an earlier entity"));
                } else {
                    index = b.entity((int) (span >>> 32), (int) span, annotator);
                    bySpan.put(span, index);
                }
            }
            byKey.put(key, index);
        }

        JsonNode triples = JsonFields.array(node, "triples");
        for (int i = 0; i < triples.size(); i++) {
            JsonNode t = triples.get(i);
            String what = "triples[" + i + "]";
            JsonNode predicate = JsonFields.required(t, "predicate");
            String pid = JsonFields.text(predicate, "uri");
            JsonNode sf = predicate.get("surfaceform");
            String recordName = sf != null && sf.isTextual() ? sf.asText() : null;
            String label = mapping.relation(pid, recordName);
            int head = argument(byKey, t, "subject", what);
            int tail = argument(byKey, t, "object", what);
            if (label == null) {
                report.relationDropped("label '" + pid + "' dropped by the mapping", null);
            } else {
                b.mappedRelation(head, tail, label);
            }
        }
        return b.build();
    }

    private static int argument(Map<String, Integer> byKey, JsonNode triple, String field, String what) {
        JsonNode e = JsonFields.required(triple, field);
        Integer index = byKey.get(key(boundaries(e, what + " " + field), e));
        if (index == null) {
            throw new BadRecordException(what + " " + field + " '" + e.path("surfaceform").asText()
                    + "' is not among the record's entities");
        }
        return index;
    }

    private static String key(int[] raw, JsonNode entity) {
        return raw[0] + ":" + raw[1] + ":" + entity.path("uri").asText();
    }

    private static int[] boundaries(JsonNode e, String what) {
        JsonNode bnd = JsonFields.array(e, "boundaries");
        if (bnd.size() != 2) throw new BadRecordException(what + " boundaries must be [start, end), not " + JsonFields.kind(bnd));
        int start = JsonFields.asInt(bnd.get(0), what + " start");
        int end = JsonFields.asInt(bnd.get(1), what + " end");
        if (start < 0 || end <= start) throw new BadRecordException(what + " boundaries [" + start + ", " + end + ") are empty");
        return new int[] {start, end};
    }

    /** UTF-16 index of every code point offset 0..n (n = number of code points). */
    static int[] codePointOffsets(String text) {
        int n = text.codePointCount(0, text.length());
        int[] out = new int[n + 1];
        int i = 0;
        for (int cp = 0; cp < n; cp++) {
            out[cp] = i;
            i += Character.charCount(text.codePointAt(i));
        }
        out[n] = text.length();
        return out;
    }

    /**
     * The word span [first, last] (packed) of an entity, or -1 if it is dropped (reported). Relocates the
     * surface form and widens cut words as described in the class comment.
     */
    private static long locate(String text, int[] cpToUtf16, int[] raw, String surface, List<Word> words, String what,
                               ReadReport report, String file, long record) {
        int start = -1;
        int end = -1;
        if (raw[1] < cpToUtf16.length) {
            int s = cpToUtf16[raw[0]];
            int e = cpToUtf16[raw[1]];
            if (text.substring(s, e).equals(surface)) {
                start = s;
                end = e;
            }
        }
        if (start < 0) {
            int target = raw[0] < cpToUtf16.length ? cpToUtf16[raw[0]] : text.length();
            int best = -1;
            for (int at = text.indexOf(surface); at >= 0 && !surface.isEmpty(); at = text.indexOf(surface, at + 1)) {
                if (best < 0 || Math.abs(at - target) < Math.abs(best - target)) best = at;
            }
            if (best < 0) {
                report.entityDropped("surface form not in the text", new RecordError(file, record,
                        what + " '" + surface + "' does not occur in the text"));
                return -1;
            }
            report.adjusted("boundaries off their surface form, moved to its nearest occurrence", new RecordError(file, record,
                    what + " '" + surface + "' moved from " + raw[0] + " to " + text.codePointCount(0, best)));
            start = best;
            end = best + surface.length();
        }
        int first = -1;
        int last = -1;
        for (int w = 0; w < words.size(); w++) {
            Word word = words.get(w);
            if (word.end() > start && word.start() < end) {
                if (first < 0) first = w;
                last = w;
            }
        }
        if (first < 0) {
            report.entityDropped("no word inside the boundaries", new RecordError(file, record,
                    what + " '" + surface + "' covers no word"));
            return -1;
        }
        if (words.get(first).start() < start || words.get(last).end() > end) {
            report.adjusted("boundary inside a word, widened to whole words", new RecordError(file, record,
                    what + " '" + surface + "' widened to '" + text.substring(words.get(first).start(), words.get(last).end()) + "'"));
        }
        return ((long) first << 32) | last;
    }
}
