package dev.relex.pretrained;

/** An artifact could not be found, downloaded or verified; the message names the artifact and the URL. */
public final class ResolutionException extends RuntimeException {
    private final boolean retryable;

    public ResolutionException(String message) {
        this(message, null, false);
    }

    public ResolutionException(String message, Throwable cause) {
        this(message, cause, false);
    }

    ResolutionException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** True for failures another attempt may cure (server errors, timeouts, truncated or corrupted bodies). */
    boolean retryable() {
        return retryable;
    }
}
