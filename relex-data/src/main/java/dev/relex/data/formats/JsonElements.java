package dev.relex.data.formats;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.data.DatasetFormatException;
import dev.relex.data.RecordError;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams the records of a JSON file as {@link Parsed} results: the elements of a top-level array (one tree at a
 * time; record = 1-based position) or the lines of a JSON Lines file (record = line number; a line that is not
 * JSON is a bad record). An array element that does not parse ends the file with a
 * {@link DatasetFormatException}: nothing after it can be found.
 */
final class JsonElements {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Converts one record. */
    @FunctionalInterface
    interface Converter {
        Parsed convert(long record, JsonNode node);
    }

    private JsonElements() {}

    static Stream<Parsed> array(Path file, Converter converter) throws IOException {
        JsonParser p = JSON.getFactory().createParser(file.toFile());
        String name = file.toString();
        if (p.nextToken() != JsonToken.START_ARRAY) {
            p.close();
            throw new DatasetFormatException(new RecordError(name, 0, "expected a JSON array"));
        }
        Iterator<Parsed> it = new Iterator<>() {
            long record;
            Parsed next;
            boolean done;

            @Override
            public boolean hasNext() {
                if (next != null || done) return next != null;
                try {
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.END_ARRAY || t == null) {
                        done = true;
                        return false;
                    }
                    record++;
                    JsonNode node = JSON.readTree(p);
                    next = converter.convert(record, node);
                    return true;
                } catch (IOException e) {
                    done = true;
                    throw new DatasetFormatException(new RecordError(name, record, "element does not parse: " + e.getMessage()), e);
                }
            }

            @Override
            public Parsed next() {
                if (!hasNext()) throw new NoSuchElementException();
                Parsed n = next;
                next = null;
                return n;
            }
        };
        return stream(it, p::close);
    }

    static Stream<Parsed> lines(Path file, Converter converter) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        String name = file.toString();
        Iterator<Parsed> it = new Iterator<>() {
            long line;
            Parsed next;
            boolean done;

            @Override
            public boolean hasNext() {
                while (next == null && !done) {
                    String l;
                    try {
                        l = in.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (l == null) {
                        done = true;
                        break;
                    }
                    line++;
                    if (l.isBlank()) continue;
                    JsonNode node;
                    try {
                        node = JSON.readTree(l);
                    } catch (IOException e) {
                        next = new Parsed.Bad(name, line, "not a JSON line: " + e.getMessage());
                        break;
                    }
                    next = converter.convert(line, node);
                }
                return next != null;
            }

            @Override
            public Parsed next() {
                if (!hasNext()) throw new NoSuchElementException();
                Parsed n = next;
                next = null;
                return n;
            }
        };
        return stream(it, in::close);
    }

    private interface Closer {
        void close() throws IOException;
    }

    private static Stream<Parsed> stream(Iterator<Parsed> it, Closer closer) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        closer.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** A required text field, or null if missing or not text. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
