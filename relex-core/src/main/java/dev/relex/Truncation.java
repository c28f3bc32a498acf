package dev.relex;

/**
 * Reports that a text was longer than the model's {@code max_len} words and only a prefix was
 * processed (the reference drops the rest silently; we say so).
 *
 * @param totalWords     words in the whole text
 * @param processedWords words that went through the model
 * @param processedChars offset (in the result's offset unit) where processing stopped
 */
public record Truncation(int totalWords, int processedWords, int processedChars) {}
