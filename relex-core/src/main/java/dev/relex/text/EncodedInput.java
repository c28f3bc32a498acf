package dev.relex.text;

import java.util.List;

/**
 * Everything the network needs for one text (spec §2): token ids of
 * {@code [CLS] <<ENT>> e1 … <<SEP>> <<REL>> r1 … <<SEP>> w1 … wL [SEP]}, the words mask, and the words.
 *
 * @param inputIds       token ids, length T
 * @param wordsMask      length T; k ≥ 1 marks the first sub-token of text word k (1-based), else 0
 * @param words          the text words that were kept (at most max_len), offsets in UTF-16 units
 * @param totalWords     number of words in the whole text before max_len truncation
 * @param entityLabels   de-duplicated entity labels, in prompt order
 * @param relationLabels de-duplicated relation labels, in prompt order
 * @param promptLength   2C + 1 + 2R + 1 prompt words
 */
public record EncodedInput(int[] inputIds, int[] wordsMask, List<Word> words, int totalWords,
                           List<String> entityLabels, List<String> relationLabels, int promptLength) {
    /** Number of text words that go through the model (L). */
    public int textLength() {
        return words.size();
    }

    public int tokenCount() {
        return inputIds.length;
    }

    /** No text word reaches the model (empty or whitespace-only text): the result is empty, skip the model. */
    public boolean isEmpty() {
        return words.isEmpty();
    }

    /** Some words of the text were dropped (max_len or the encoder's token limit); report it to the user. */
    public boolean truncated() {
        return words.size() < totalWords;
    }
}
