package dev.relex;

/**
 * One extracted entity.
 *
 * @param start start offset in the text (inclusive), in the unit requested by the options
 * @param end   end offset (exclusive)
 * @param text  the exact substring of the input text
 * @param label entity label as given by the caller
 * @param score probability in (threshold, 1]
 */
public record Entity(int start, int end, String text, String label, double score) {}
