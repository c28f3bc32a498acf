package dev.relex.text;

/**
 * One word of the input text.
 *
 * @param text  the word
 * @param start start index in the text, UTF-16 units, inclusive
 * @param end   end index, UTF-16 units, exclusive
 */
public record Word(String text, int start, int end) {}
