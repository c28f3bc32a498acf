package dev.relex.data.formats;

/**
 * One record of a dataset file cannot be turned into an example. Thrown by the format parsers; the readers
 * catch it per record and hand it to the error policy, so one bad record never costs the others.
 */
public final class MalformedRecordException extends Exception {
    public MalformedRecordException(String message) {
        super(message);
    }
}
