package dev.relex.checkpoint;

/** A checkpoint could not be read or does not match what its configuration describes. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
