package dev.relex.data.docred;

import java.util.Objects;

/**
 * One mention of a document entity.
 *
 * @param name      the mention text as the dataset gives it
 * @param sentence  index of its sentence
 * @param start     first word, relative to the sentence
 * @param end       last word, relative to the sentence (<b>inclusive</b>; DocRED's {@code pos} end is exclusive)
 * @param docStart  first word in the whole document (sentences concatenated)
 * @param docEnd    last word in the whole document (inclusive)
 * @param type      the dataset's entity type of this mention ({@code "PER"}, {@code "type::location"})
 */
public record Mention(String name, int sentence, int start, int end, int docStart, int docEnd, String type) {
    public Mention {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (sentence < 0 || start < 0 || end < start || docEnd - docStart != end - start) {
            throw new IllegalArgumentException("mention '" + name + "' sentence " + sentence + " [" + start + ", " + end
                    + "] / document [" + docStart + ", " + docEnd + "] is not a valid span");
        }
    }
}
