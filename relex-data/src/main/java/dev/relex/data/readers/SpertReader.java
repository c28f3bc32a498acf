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
import java.util.List;
import java.util.function.Consumer;

/**
 * SpERT's JSON (CoNLL04, SciERC, ADE as shipped by SpERT and PFN): one JSON array of sentences
 * {@code {"tokens": [..], "entities": [{"type", "start", "end"}], "relations": [{"type", "head", "tail"}], "orig_id"}}.
 * Entity {@code end} is <b>exclusive</b> there and becomes inclusive here; {@code head}/{@code tail} index the
 * sentence's entities. Example ids are {@code <file name>#<element number>} (1-based); {@code orig_id} is not
 * used. Annotations are kept as given (SciERC's train file has 4 duplicated relation triples; they stay, as in
 * the README's counts).
 */
public final class SpertReader implements DatasetReader {

    @Override
    public void read(Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report, Consumer<? super Example> sink)
            throws IOException {
        String name = file.toString();
        String shortName = file.getFileName().toString();
        JsonRecords.forEachInArray(file, policy, report, (record, node) ->
                Records.emit(convert(node, shortName + "#" + record, mapping, report, name, record), report, sink));
    }

    static Example convert(JsonNode node, String id, LabelMapping mapping, ReadReport report, String file, long record) {
        List<String> words = JsonFields.asStrings(JsonFields.array(node, "tokens"), "tokens", true);
        ExampleBuilder b = new ExampleBuilder(id, words, mapping, report, file, record);
        JsonNode entities = JsonFields.array(node, "entities");
        int[] index = new int[entities.size()];
        for (int i = 0; i < entities.size(); i++) {
            JsonNode e = entities.get(i);
            int start = JsonFields.intField(e, "start");
            int endExclusive = JsonFields.intField(e, "end");
            String type = JsonFields.text(e, "type");
            if (endExclusive <= start) {
                throw new BadRecordException("entities[" + i + "] [" + start + ", " + endExclusive + ") '" + type + "' is empty");
            }
            index[i] = b.entity(start, endExclusive - 1, type);
        }
        JsonNode relations = JsonFields.array(node, "relations");
        for (int i = 0; i < relations.size(); i++) {
            JsonNode r = relations.get(i);
            int h = JsonFields.intField(r, "head");
            int t = JsonFields.intField(r, "tail");
            String type = JsonFields.text(r, "type");
            if (h < 0 || h >= index.length || t < 0 || t >= index.length) {
                throw new BadRecordException("relations[" + i + "] (" + h + ", " + t + ") '" + type
                        + "' points at a missing entity (" + index.length + " entities)");
            }
            b.relation(index[h], index[t], type);
        }
        return b.build();
    }
}
