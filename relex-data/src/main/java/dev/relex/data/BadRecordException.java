package dev.relex.data;

/**
 * Thrown by a reader's per-record conversion when the record is bad. It carries only the message; the loop
 * that reads the file knows file and record number and turns it into a {@link RecordError} for the
 * {@link ReadReport} (or a {@link DatasetFormatException} under {@link ErrorPolicy#FAIL}).
 */
public class BadRecordException extends RuntimeException {
    public BadRecordException(String message) {
        super(message);
    }

    public BadRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
