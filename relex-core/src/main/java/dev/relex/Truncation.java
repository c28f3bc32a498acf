package dev.relex;

/**
 * Reports that a text was longer than the model processes and only a prefix of its words went through
 * the model: more than {@code max_len} words (the reference drops the rest silently; we say so), or
 * more tokens than the encoder accepts together with the label prompt. Entities and relations can only
 * be found in the processed prefix; run the remainder (from {@code processedChars}) as another text to
 * cover it.
 *
 * @param totalWords     words in the whole text
 * @param processedWords words that went through the model (a prefix)
 * @param processedChars end offset of the last processed word, in the result's offset unit
 */
public record Truncation(int totalWords, int processedWords, int processedChars) {}
