package dev.relex.data;

import java.util.Objects;

/**
 * One annotated relation: indices of its head and tail into the example's entity list (as the reference's
 * training JSON {@code relations} entries) and its prompt label (already mapped to natural language).
 */
public record RelationMention(int head, int tail, String label) {
    public RelationMention {
        Objects.requireNonNull(label, "label");
        if (head < 0 || tail < 0) {
            throw new IllegalArgumentException("relation (" + head + ", " + tail + ") has a negative entity index");
        }
    }
}
