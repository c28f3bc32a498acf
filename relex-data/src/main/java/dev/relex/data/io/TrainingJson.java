package dev.relex.data.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.data.BadRecordException;
import dev.relex.data.DatasetReader;
import dev.relex.data.EntityMention;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.ExampleBuilder;
import dev.relex.data.LabelMapping;
import dev.relex.data.ReadReport;
import dev.relex.data.RelationMention;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The reference's training JSON (spec §5.1): records
 * {@code {"tokenized_text": [words], "ner": [[start, end, label]], "relations": [[head, tail, label]]}} with
 * optional {@code ner_labels}, {@code ner_negatives}, {@code rel_labels}, {@code rel_negatives}; entity ends
 * inclusive, relation indices into {@code ner} as given. The file is a JSON array or JSON Lines (detected from
 * its first character); both are streamed. Other fields are ignored, as the reference does.
 *
 * <p>Reading checks every record: words must be non-empty strings, spans inside the words, relation indices
 * pointing at existing entities, labels strings, label lists lists of strings; a bad record is reported with file
 * and record number. Labels go through the {@link LabelMapping} (normally {@link LabelMapping#passThrough}: the
 * file already holds prompt labels); the optional label lists are kept as they are. Example ids are
 * {@code <file name>#<record>}.
 */
public final class TrainingJson implements DatasetReader {

    /** Reads with the given mapping (see {@link DatasetReader}). */
    @Override
    public void read(Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report,
                     Consumer<? super Example> sink) throws IOException {
        String name = file.toString();
        String shortName = file.getFileName().toString();
        JsonRecords.forEach(file, policy, report, (record, node) ->
                Records.emit(parse(node, shortName + "#" + record, mapping, report, name, record), report, sink));
    }

    /** Reads a file whose labels are already prompt labels. */
    public static List<Example> readAll(Path file, ErrorPolicy policy, ReadReport report) throws IOException {
        return new TrainingJson().readAll(file, LabelMapping.passThrough("gliner-json"), policy, report);
    }

    /** Converts one record; throws {@link BadRecordException} if it is bad. */
    public static Example parse(JsonNode node, String id, LabelMapping mapping, ReadReport report, String file, long record) {
        List<String> words = JsonFields.asStrings(JsonFields.array(node, "tokenized_text"), "tokenized_text", true);
        ExampleBuilder b = new ExampleBuilder(id, words, mapping, report, file, record);
        JsonNode ner = JsonFields.optionalArray(node, "ner");
        int n = ner == null ? 0 : ner.size();
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            JsonNode e = ner.get(i);
            String what = "ner[" + i + "]";
            if (!e.isArray() || e.size() != 3) throw new BadRecordException(what + " must be [start, end, label], not "
                    + JsonFields.kind(e));
            index[i] = b.entity(JsonFields.asInt(e.get(0), what + " start"), JsonFields.asInt(e.get(1), what + " end"),
                    JsonFields.asString(e.get(2), what + " label"));
        }
        JsonNode rels = JsonFields.optionalArray(node, "relations");
        if (rels != null) {
            for (int i = 0; i < rels.size(); i++) {
                JsonNode r = rels.get(i);
                String what = "relations[" + i + "]";
                if (!r.isArray() || r.size() != 3) throw new BadRecordException(what + " must be [head, tail, label], not "
                        + JsonFields.kind(r));
                int h = JsonFields.asInt(r.get(0), what + " head");
                int t = JsonFields.asInt(r.get(1), what + " tail");
                String label = JsonFields.asString(r.get(2), what + " label");
                if (h < 0 || h >= n || t < 0 || t >= n) {
                    throw new BadRecordException(what + " (" + h + ", " + t + ") '" + label + "' points at a missing entity ("
                            + n + " entities in ner)");
                }
                b.relation(index[h], index[t], label);
            }
        }
        return b.build(labels(node, "ner_labels"), labels(node, "ner_negatives"), labels(node, "rel_labels"),
                labels(node, "rel_negatives"));
    }

    private static List<String> labels(JsonNode node, String field) {
        JsonNode a = JsonFields.optionalArray(node, field);
        return a == null ? null : JsonFields.asStrings(a, field, true);
    }

    // ---------------------------------------------------------------- writing

    /** How a written file is laid out. */
    public enum Layout {
        /** One JSON array, one record per line inside it. */
        JSON_ARRAY,
        /** One record per line. */
        JSON_LINES
    }

    /** Opens a streaming writer. */
    public static Writer writer(Path file, Layout layout) throws IOException {
        return new Writer(Files.newOutputStream(file), layout);
    }

    /** Opens a streaming writer on a stream (closed with the writer). */
    public static Writer writer(OutputStream out, Layout layout) throws IOException {
        return new Writer(out, layout);
    }

    /** Writes all examples to a file. */
    public static void write(Path file, Layout layout, Iterable<Example> examples) throws IOException {
        try (Writer w = writer(file, layout)) {
            for (Example e : examples) w.write(e);
        }
    }

    /** Writes examples one at a time, in the training JSON format (ids are not written). Not thread-safe. */
    public static final class Writer implements AutoCloseable {
        private final OutputStream out;
        private final JsonGenerator g;
        private final Layout layout;
        private long written;

        private Writer(OutputStream out, Layout layout) throws IOException {
            this.out = out;
            this.layout = layout;
            this.g = JsonRecords.JSON.getFactory().createGenerator(out, JsonEncoding.UTF8);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            // No separator between root values: the newlines and array punctuation are written raw.
            MinimalPrettyPrinter pp = new MinimalPrettyPrinter("");
            g.setPrettyPrinter(pp);
            if (layout == Layout.JSON_ARRAY) {
                g.writeRaw('[');
            }
        }

        public void write(Example e) throws IOException {
            if (layout == Layout.JSON_ARRAY) g.writeRaw(written == 0 ? "\n" : ",\n");
            g.writeStartObject();
            g.writeArrayFieldStart("tokenized_text");
            for (String w : e.words()) g.writeString(w);
            g.writeEndArray();
            g.writeArrayFieldStart("ner");
            for (EntityMention m : e.entities()) {
                g.writeStartArray();
                g.writeNumber(m.start());
                g.writeNumber(m.end());
                g.writeString(m.label());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("relations");
            for (RelationMention r : e.relations()) {
                g.writeStartArray();
                g.writeNumber(r.head());
                g.writeNumber(r.tail());
                g.writeString(r.label());
                g.writeEndArray();
            }
            g.writeEndArray();
            list("ner_labels", e.entityLabels());
            list("ner_negatives", e.entityNegatives());
            list("rel_labels", e.relationLabels());
            list("rel_negatives", e.relationNegatives());
            g.writeEndObject();
            if (layout == Layout.JSON_LINES) g.writeRaw('\n');
            written++;
        }

        private void list(String field, List<String> values) throws IOException {
            if (values == null) return;
            g.writeArrayFieldStart(field);
            for (String v : values) g.writeString(v);
            g.writeEndArray();
        }

        /** Records written so far. */
        public long written() {
            return written;
        }

        @Override
        public void close() throws IOException {
            try {
                if (layout == Layout.JSON_ARRAY) g.writeRaw(written == 0 ? "]\n" : "\n]\n");
                g.close();
            } finally {
                out.close();
            }
        }
    }
}
