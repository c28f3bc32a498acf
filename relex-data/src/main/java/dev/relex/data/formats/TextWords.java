package dev.relex.data.formats;

import dev.relex.text.Word;
import dev.relex.text.WordSplitter;

import java.util.Arrays;
import java.util.List;

/**
 * A text split into words by GLiNER's word splitter, with lookups from character offsets to word indices.
 * Offsets are UTF-16 indices into the text (convert code-point offsets first with {@link #utf16Offsets}).
 */
final class TextWords {
    private static final WordSplitter SPLITTER = new WordSplitter();

    final List<Word> words;
    private final int[] starts;
    private final int[] ends;

    TextWords(String text) {
        this.words = SPLITTER.split(text);
        this.starts = new int[words.size()];
        this.ends = new int[words.size()];
        for (int i = 0; i < words.size(); i++) {
            starts[i] = words.get(i).start();
            ends[i] = words.get(i).end();
        }
    }

    List<String> texts() {
        return words.stream().map(Word::text).toList();
    }

    /** Index of the word starting at {@code offset}, or -1 if no word starts there. */
    int wordStartingAt(int offset) {
        int i = Arrays.binarySearch(starts, offset);
        return i >= 0 ? i : -1;
    }

    /** Index of the word ending at {@code offset} (exclusive end), or -1 if no word ends there. */
    int wordEndingAt(int offset) {
        int i = Arrays.binarySearch(ends, offset);
        return i >= 0 ? i : -1;
    }

    /**
     * The words [first, last] covering characters [start, end), or null if start or end falls inside a word
     * or the range holds no word.
     */
    int[] span(int start, int end) {
        int first = wordStartingAt(start);
        int last = wordEndingAt(end);
        if (first < 0 || last < 0 || last < first) return null;
        return new int[]{first, last};
    }

    /**
     * For a text with characters outside the BMP: the UTF-16 index of every code-point offset (length =
     * code points + 1); null when code points and UTF-16 units coincide.
     */
    static int[] utf16Offsets(String text) {
        int cps = text.codePointCount(0, text.length());
        if (cps == text.length()) return null;
        int[] map = new int[cps + 1];
        int u = 0;
        for (int c = 0; c < cps; c++) {
            map[c] = u;
            u += Character.charCount(text.codePointAt(u));
        }
        map[cps] = u;
        return map;
    }
}
