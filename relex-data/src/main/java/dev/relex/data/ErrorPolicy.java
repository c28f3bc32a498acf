package dev.relex.data;

/** What a reader does with a bad record. */
public enum ErrorPolicy {
    /** Report the record in the {@link ReadReport}, leave it out and go on with the next one. */
    SKIP,
    /** Stop at the first bad record with a {@link DatasetFormatException} naming file and record. */
    FAIL
}
