package dev.relex.data;

import java.util.Objects;

/**
 * A problem with one record of a dataset file.
 *
 * @param file    the file, as given to the reader
 * @param record  where the record is: its line number for line-based formats (JSON Lines, and the first line of
 *                a CSV record), its 1-based position for elements of a JSON array (or of a JSON object's lists)
 * @param message what is wrong, naming the offending value
 */
public record RecordError(String file, long record, String message) {
    public RecordError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return file + " record " + record + ": " + message;
    }
}
