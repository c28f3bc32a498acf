package dev.relex.data;

/** A dataset label that the {@link LabelMapping} has no prompt label for: an error of the record using it. */
public class UnmappedLabelException extends BadRecordException {
    public UnmappedLabelException(String message) {
        super(message);
    }
}
