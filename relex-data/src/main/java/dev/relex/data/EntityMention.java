package dev.relex.data;

import java.util.Objects;

/**
 * One annotated entity mention: words [start, end] of its example (end <b>inclusive</b>, as the reference's
 * training JSON {@code ner} entries) and its prompt label (already mapped to natural language).
 */
public record EntityMention(int start, int end, String label) {
    public EntityMention {
        Objects.requireNonNull(label, "label");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("entity span [" + start + ", " + end + "] is not a valid word span");
        }
    }

    /** Number of words. */
    public int width() {
        return end - start + 1;
    }
}
