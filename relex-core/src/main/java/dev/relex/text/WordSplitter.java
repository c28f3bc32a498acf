package dev.relex.text;

import java.util.ArrayList;
import java.util.List;

/**
 * GLiNER's "whitespace" word splitter (spec §2.1): the Python regex {@code \w+(?:[-_]\w+)*|\S} applied
 * with find-all, with Python's Unicode semantics for {@code \w} and {@code \s}.
 *
 * <p>A word is a run of word characters optionally followed by groups of ({@code -} or {@code _} then
 * one or more word characters); any other non-whitespace code point is a word on its own. The text is
 * scanned by code points, so a surrogate pair (emoji) is one character; offsets in the returned
 * {@link Word}s are UTF-16 indices (use {@link Offsets} for Python code-point offsets). Nothing is
 * normalised. Stateless and thread-safe.
 */
public final class WordSplitter {

    /** ASCII fast path: bit 0 = word char, bit 1 = whitespace. */
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            boolean space = (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
            ASCII[c] = (byte) ((word ? 1 : 0) | (space ? 2 : 0));
        }
    }

    /**
     * Python {@code \w} for str patterns: {@code str.isalnum()} or {@code _}. isalnum = alphabetic
     * (Lu, Ll, Lt, Lm, Lo) or numeric (Nd, Nl, No; numeric CJK ideographs are Lo). Combining marks and
     * connector punctuation other than {@code _} are not word characters (unlike Java's
     * {@code UNICODE_CHARACTER_CLASS}).
     */
    public static boolean isWordChar(int cp) {
        if (cp < 128) return (ASCII[cp] & 1) != 0;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /**
     * Python {@code \s} = {@code str.isspace()}: TAB, LF, VT, FF, CR, U+001C–U+001F, SPACE, U+0085,
     * U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000. Spelled out because
     * Java's {@code \s} is ASCII-only and {@code Character.isWhitespace} excludes no-break spaces.
     * U+200B (zero-width space) is not whitespace.
     */
    public static boolean isWhitespace(int cp) {
        if (cp < 128) return (ASCII[cp] & 2) != 0;
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Splits {@code text} into words with UTF-16 offsets, in text order. */
    public List<Word> split(String text) {
        List<Word> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isWhitespace(cp)) {
                i = next;
                continue;
            }
            int start = i;
            if (!isWordChar(cp)) {
                // \S alternative: exactly one code point (a lone surrogate counts as one, as in Python).
                out.add(new Word(text.substring(start, next), start, next));
                i = next;
                continue;
            }
            int end = skipWordChars(text, next);
            // (?:[-_]\w+)*: '_' is itself a word char and already consumed, so only '-' can join.
            while (end < n && (text.charAt(end) == '-' || text.charAt(end) == '_')
                    && end + 1 < n && isWordChar(text.codePointAt(end + 1))) {
                end = skipWordChars(text, end + 1);
            }
            out.add(new Word(text.substring(start, end), start, end));
            i = end;
        }
        return out;
    }

    /**
     * Splits on whitespace only (Python's {@code str.split()} with Python's whitespace definition): for
     * text that is already tokenized, such as the words of the reference's training JSON joined by
     * spaces, every token comes back unchanged (punctuation is not split off).
     */
    public List<Word> splitOnWhitespace(String text) {
        List<Word> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            if (isWhitespace(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (i < n) {
                cp = text.codePointAt(i);
                if (isWhitespace(cp)) break;
                i += Character.charCount(cp);
            }
            out.add(new Word(text.substring(start, i), start, i));
        }
        return out;
    }

    /** Returns the index after the run of word characters starting at {@code i}. */
    private static int skipWordChars(String text, int i) {
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c < 128) {
                if ((ASCII[c] & 1) == 0) break;
                i++;
            } else {
                int cp = text.codePointAt(i);
                if (!isWordChar(cp)) break;
                i += Character.charCount(cp);
            }
        }
        return i;
    }
}
