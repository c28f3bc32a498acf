package dev.relex.data.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.data.DatasetFormatException;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams the records of a JSON file: the elements of a top-level JSON array one at a time (Jackson's streaming
 * parser; only one element is a tree at once), or the lines of a JSON Lines file. Each record goes through
 * {@link Records#process}, so a bad one is reported with file and record number and the next one is read.
 *
 * <p>Record numbers: the 1-based element position in an array, the line number in JSON Lines (blank lines are
 * skipped but counted). A line that is not valid JSON is a bad record; an array element that is not valid JSON
 * ends the file with a {@link DatasetFormatException}, since nothing after it can be found.
 */
public final class JsonRecords {
    /** Shared mapper (thread-safe once configured). */
    public static final ObjectMapper JSON = new ObjectMapper();

    /** Converts one record; throws {@link dev.relex.data.BadRecordException} for a bad one. */
    @FunctionalInterface
    public interface RecordHandler {
        void handle(long record, JsonNode node);
    }

    private JsonRecords() {}

    /** The layouts a file may have. */
    public enum Layout { JSON_ARRAY, JSON_LINES }

    /** Looks at the first non-whitespace byte: {@code [} = JSON array, otherwise JSON Lines. */
    public static Layout detect(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF);
            return c == '[' ? Layout.JSON_ARRAY : Layout.JSON_LINES;
        }
    }

    /** Streams the file's records in its detected layout. */
    public static void forEach(Path file, ErrorPolicy policy, ReadReport report, RecordHandler handler) throws IOException {
        if (detect(file) == Layout.JSON_ARRAY) {
            forEachInArray(file, policy, report, handler);
        } else {
            forEachLine(file, policy, report, handler);
        }
    }

    /** Streams the elements of a top-level JSON array. */
    public static void forEachInArray(Path file, ErrorPolicy policy, ReadReport report, RecordHandler handler)
            throws IOException {
        String name = file.toString();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            JsonToken t = next(p, name, 0);
            if (t != JsonToken.START_ARRAY) {
                throw new DatasetFormatException(new RecordError(name, 0, "expected a JSON array, found " + t));
            }
            long record = 0;
            while (true) {
                t = next(p, name, record + 1);
                if (t == JsonToken.END_ARRAY) break;
                if (t == null) throw new DatasetFormatException(new RecordError(name, record + 1, "unexpected end of file"));
                long r = ++record;
                JsonNode node = readTree(p, name, r);
                Records.process(name, r, policy, report, () -> handler.handle(r, node));
            }
        }
    }

    /** Streams the lines of a JSON Lines file (UTF-8). */
    public static void forEachLine(Path file, ErrorPolicy policy, ReadReport report, RecordHandler handler)
            throws IOException {
        String name = file.toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1);
                if (line.isBlank()) continue;
                long r = lineNo;
                String text = line;
                Records.process(name, r, policy, report, () -> {
                    JsonNode node;
                    try {
                        node = JSON.readTree(text);
                    } catch (JsonProcessingException e) {
                        throw new dev.relex.data.BadRecordException("not valid JSON: " + e.getOriginalMessage());
                    }
                    handler.handle(r, node);
                });
            }
        }
    }

    /** Converts one record of a named group; throws {@link dev.relex.data.BadRecordException} for a bad one. */
    @FunctionalInterface
    public interface GroupedRecordHandler {
        /**
         * @param record   1-based position over the whole file
         * @param group    the key of the list the record is in
         * @param position 1-based position inside that list
         */
        void handle(long record, String group, long position, JsonNode node);
    }

    /**
     * Streams a top-level JSON object of lists ({@code {"P177": [instance, ...], ...}}, FewRel's layout) record by
     * record. A value that is not a list ends the file with a {@link DatasetFormatException}.
     */
    public static void forEachInObjectOfArrays(Path file, ErrorPolicy policy, ReadReport report,
                                               GroupedRecordHandler handler) throws IOException {
        String name = file.toString();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            JsonToken t = next(p, name, 0);
            if (t != JsonToken.START_OBJECT) {
                throw new DatasetFormatException(new RecordError(name, 0, "expected a JSON object of lists, found " + t));
            }
            long record = 0;
            while ((t = next(p, name, record + 1)) == JsonToken.FIELD_NAME) {
                String group = p.currentName();
                if (next(p, name, record + 1) != JsonToken.START_ARRAY) {
                    throw new DatasetFormatException(new RecordError(name, record + 1, "the value of '" + group
                            + "' is not a list"));
                }
                long position = 0;
                while (true) {
                    t = next(p, name, record + 1);
                    if (t == JsonToken.END_ARRAY) break;
                    if (t == null) throw new DatasetFormatException(new RecordError(name, record + 1, "unexpected end of file"));
                    long r = ++record;
                    long k = ++position;
                    JsonNode node = readTree(p, name, r);
                    Records.process(name, r, policy, report, () -> handler.handle(r, group, k, node));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new DatasetFormatException(new RecordError(name, record + 1, "expected a field name, found " + t));
            }
        }
    }

    private static JsonToken next(JsonParser p, String name, long record) throws IOException {
        try {
            return p.nextToken();
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(new RecordError(name, record, "not valid JSON: " + e.getOriginalMessage()
                    + " at " + e.getLocation()), e);
        }
    }

    private static JsonNode readTree(JsonParser p, String name, long record) throws IOException {
        try {
            return p.readValueAsTree();
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(new RecordError(name, record, "not valid JSON: " + e.getOriginalMessage()
                    + " at " + e.getLocation()), e);
        }
    }
}
