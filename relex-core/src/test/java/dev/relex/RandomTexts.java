package dev.relex;

import java.util.Random;

/**
 * Random texts in the spirit of Lucene's {@code TestUtil.randomAnalysisString}: ASCII words and names,
 * punctuation, whitespace runs of every kind Python treats as whitespace, combining marks, emoji
 * (surrogate pairs, ZWJ sequences, flags), CJK, digits, hyphen/underscore compounds and, now and then,
 * completely random code points, even unpaired surrogates; sometimes empty or whitespace only.
 */
final class RandomTexts {
    private RandomTexts() {}

    private static final String[] WORDS = {"the", "Ada", "Lovelace", "worked", "with", "Charles", "Babbage", "in",
            "London", "Apple", "founded", "by", "Steve", "Jobs", "Cupertino", "state-of-the-art", "snake_case", "U.S.",
            "$5,000", "don't", "1976", "CEO", "Microsoft", "Zoë", "Saldaña", "Jean-Luc", "Ñandú", "Café"};
    private static final String[] SPACES = {" ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u3000", "\u2028",
            "\u2003", "\u000B", "\u0085", " \n\t "};
    private static final String[] ODD = {"🎉", "👩‍💻", "🇫🇷", "😀😀", "東京", "北京大学", "日本語", "e\u0301", "\u0301",
            "a\u0308\u0304", "\u200B", "﷽", "𝒜𝒷𝒸", "𠀀", "Ω", "ß", "İ", "(", ")", ".", ",", ";", "!", "?", "\"", "'",
            "-", "—", "…", "№", "½", "٣", "\uFEFF", "\u200D", "x\uD835\uDC00y", "\uD800", "z\uDC00"};

    static String text(Random r) {
        int kind = r.nextInt(20);
        if (kind == 0) return "";
        if (kind == 1) return SPACES[r.nextInt(SPACES.length)] + SPACES[r.nextInt(SPACES.length)];
        int pieces = 1 + r.nextInt(kind < 5 ? 4 : 40);
        StringBuilder sb = new StringBuilder();
        if (r.nextInt(5) == 0) sb.append(SPACES[r.nextInt(SPACES.length)]);
        for (int i = 0; i < pieces; i++) {
            int p = r.nextInt(10);
            if (p < 5) sb.append(WORDS[r.nextInt(WORDS.length)]);
            else if (p < 8) sb.append(ODD[r.nextInt(ODD.length)]);
            else if (p < 9) sb.append(r.nextInt(100000));
            else sb.appendCodePoint(randomCodePoint(r));
            sb.append(r.nextInt(4) == 0 ? "" : SPACES[r.nextInt(SPACES.length)]);
        }
        return sb.toString();
    }

    /** A valid, assigned-or-not code point outside the surrogate range. */
    static int randomCodePoint(Random r) {
        while (true) {
            int cp = r.nextInt(4) == 0 ? r.nextInt(0x110000) : r.nextInt(0x3000);
            if (cp >= 0xD800 && cp <= 0xDFFF) continue;
            if (cp == 0) continue;
            return cp;
        }
    }
}
