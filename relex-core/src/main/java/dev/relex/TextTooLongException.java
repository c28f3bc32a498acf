package dev.relex;

/**
 * Thrown instead of truncating when {@link ExtractionOptions#failOnTruncation()} is set and a text has
 * more words than the model processes ({@code max_len} words, or the encoder's token limit together
 * with the label prompt).
 */
public final class TextTooLongException extends IllegalArgumentException {
    private final transient Truncation truncation;

    public TextTooLongException(String message, Truncation truncation) {
        super(message);
        this.truncation = truncation;
    }

    /** How much of the text the model could have processed. */
    public Truncation truncation() {
        return truncation;
    }
}
