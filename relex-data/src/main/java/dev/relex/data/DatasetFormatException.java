package dev.relex.data;

/**
 * A dataset file that cannot be read as its format says: thrown for the first bad record under
 * {@link ErrorPolicy#FAIL}, and under any policy when the file's structure itself is broken (a JSON array that
 * does not parse, so no later record can be found).
 */
public class DatasetFormatException extends RuntimeException {
    private final RecordError error;

    public DatasetFormatException(RecordError error) {
        super(error.toString());
        this.error = error;
    }

    public DatasetFormatException(RecordError error, Throwable cause) {
        super(error.toString(), cause);
        this.error = error;
    }

    /** The file, record and message. */
    public RecordError error() {
        return error;
    }
}
