package dev.relex.data.readers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.data.BadRecordException;
import dev.relex.data.DatasetReader;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.ExampleBuilder;
import dev.relex.data.LabelMapping;
import dev.relex.data.ReadReport;
import dev.relex.data.io.JsonFields;
import dev.relex.data.io.JsonRecords;
import dev.relex.data.io.Records;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * CrossRE (all six domains): JSON Lines, one sentence per line,
 * {@code {"doc_key", "sentence": [words], "ner": [[start, end, type]], "relations": [[h_start, h_end, t_start, t_end,
 * label, explanation, uncertain, syntax_ambiguity]]}}. Offsets are <b>inclusive</b>. A relation names its arguments
 * by span; each span must be exactly one entity of {@code ner} (no entity or two entities with that span make the
 * record bad). A pair with several labels has one entry per label and gives one relation per label. The last
 * three relation fields are annotation meta-data and are ignored. Example ids are the {@code doc_key}s.
 */
public final class CrossReReader implements DatasetReader {

    @Override
    public void read(Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report, Consumer<? super Example> sink)
            throws IOException {
        String name = file.toString();
        JsonRecords.forEachLine(file, policy, report, (record, node) ->
                Records.emit(convert(node, mapping, report, name, record), report, sink));
    }

    static Example convert(JsonNode node, LabelMapping mapping, ReadReport report, String file, long record) {
        String id = JsonFields.text(node, "doc_key");
        List<String> words = JsonFields.asStrings(JsonFields.array(node, "sentence"), "sentence", true);
        ExampleBuilder b = new ExampleBuilder(id, words, mapping, report, file, record);
        JsonNode ner = JsonFields.array(node, "ner");
        // span (start, end) -> builder index; -2 marks a span held by two entities
        Map<Long, Integer> bySpan = new HashMap<>();
        for (int i = 0; i < ner.size(); i++) {
            JsonNode e = ner.get(i);
            String what = "ner[" + i + "]";
            if (!e.isArray() || e.size() != 3) {
                throw new BadRecordException(what + " must be [start, end, type], not " + JsonFields.kind(e));
            }
            int start = JsonFields.asInt(e.get(0), what + " start");
            int end = JsonFields.asInt(e.get(1), what + " end");
            int index = b.entity(start, end, JsonFields.asString(e.get(2), what + " type"));
            bySpan.merge(span(start, end), index, (x, y) -> -2);
        }
        JsonNode relations = JsonFields.array(node, "relations");
        for (int i = 0; i < relations.size(); i++) {
            JsonNode r = relations.get(i);
            String what = "relations[" + i + "]";
            if (!r.isArray() || r.size() < 5) {
                throw new BadRecordException(what + " must be [h_start, h_end, t_start, t_end, label, ...], not "
                        + JsonFields.kind(r));
            }
            int hs = JsonFields.asInt(r.get(0), what + " h_start");
            int he = JsonFields.asInt(r.get(1), what + " h_end");
            int ts = JsonFields.asInt(r.get(2), what + " t_start");
            int te = JsonFields.asInt(r.get(3), what + " t_end");
            String label = JsonFields.asString(r.get(4), what + " label");
            b.relation(argument(bySpan, hs, he, what + " head", label), argument(bySpan, ts, te, what + " tail", label), label);
        }
        return b.build();
    }

    private static int argument(Map<Long, Integer> bySpan, int start, int end, String what, String label) {
        Integer index = bySpan.get(span(start, end));
        if (index == null) {
            throw new BadRecordException(what + " [" + start + ", " + end + "] of '" + label + "' is not an entity of ner");
        }
        if (index == -2) {
            throw new BadRecordException(what + " [" + start + ", " + end + "] of '" + label
                    + "' matches several entities of ner");
        }
        return index;
    }

    private static long span(int start, int end) {
        return ((long) start << 32) | (end & 0xffffffffL);
    }
}
