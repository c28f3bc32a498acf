package dev.relex.decode;

/**
 * An entity span in word units, before mapping to characters.
 *
 * @param startWord  first word (0-based)
 * @param endWord    last word, inclusive
 * @param labelIndex 0-based index into the de-duplicated entity labels
 * @param score      probability (float32 as the reference reports it)
 */
public record DecodedEntity(int startWord, int endWord, int labelIndex, float score) {
    boolean sameBoundaries(DecodedEntity o) {
        return startWord == o.startWord && endWord == o.endWord;
    }
}
