package dev.relex.data.io;

import dev.relex.data.DatasetFormatException;
import dev.relex.data.RecordError;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming CSV reader (RFC 4180): fields separated by commas, records by CR LF or LF; a field in double quotes
 * may hold commas, line breaks and doubled quotes ({@code ""}). Each record knows the line it starts on. A quote
 * inside an unquoted field is kept as text (as Python's csv module does); a quoted field that is never closed is
 * a {@link DatasetFormatException}. Not thread-safe.
 */
public final class Csv implements AutoCloseable {

    /** One record: its fields and the 1-based line it starts on. */
    public record Row(long line, List<String> fields) {
        public Row {
            fields = List.copyOf(fields);
        }
    }

    private final Reader in;
    private final String file;
    private long line = 1;
    private int peeked = -2;

    /** @param file names the source in errors */
    public Csv(Reader in, String file) {
        this.in = in;
        this.file = file;
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        return in.read();
    }

    private int peek() throws IOException {
        if (peeked == -2) peeked = in.read();
        return peeked;
    }

    /** The next record, or null at the end of the input. */
    public Row next() throws IOException {
        int c = peek();
        if (c == -1) return null;
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        while (true) {
            c = read();
            if (quoted) {
                if (c == -1) {
                    throw new DatasetFormatException(new RecordError(file, start, "a quoted field is never closed"));
                }
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') line++;
                    field.append((char) c);
                }
                continue;
            }
            if (c == -1 || c == '\n' || c == '\r') {
                if (c == '\r' && peek() == '\n') read();
                if (c != -1) line++;
                fields.add(field.toString());
                return new Row(start, fields);
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                continue;
            }
            if (c == '"' && fieldStart) {
                quoted = true;
                fieldStart = false;
                continue;
            }
            fieldStart = false;
            field.append((char) c);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
