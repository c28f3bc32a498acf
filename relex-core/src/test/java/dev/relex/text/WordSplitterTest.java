package dev.relex.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The splitter against the reference regex {@code \w+(?:[-_]\w+)*|\S}. Expected words with code-point
 * offsets were produced by CPython 3.11.7 ({@code re.finditer}), the reference interpreter; the fuzz
 * test compares with an independent java.util.regex formulation of the same Python semantics.
 */
class WordSplitterTest {

    private final WordSplitter splitter = new WordSplitter();

    /** "word@start-end" with Python code-point offsets. */
    private List<String> pythonView(String text) {
        Offsets o = Offsets.of(text);
        List<String> out = new ArrayList<>();
        for (Word w : splitter.split(text)) {
            assertEquals(w.text(), text.substring(w.start(), w.end()), "word text is the substring");
            out.add(w.text() + "@" + o.toCodePoint(w.start()) + "-" + o.toCodePoint(w.end()));
        }
        return out;
    }

    private static List<String> words(String... wordAtOffsets) {
        return List.of(wordAtOffsets);
    }

    @Test
    void specExamples() {
        assertEquals(words("state-of-the-art@0-16"), pythonView("state-of-the-art"));
        assertEquals(words("U@0-1", ".@1-2", "S@2-3", ".@3-4"), pythonView("U.S."));
        assertEquals(words("$@0-1", "5@1-2", ",@2-3", "000@3-6"), pythonView("$5,000"));
        assertEquals(words("don@0-3", "'@3-4", "t@4-5"), pythonView("don't"));
    }

    @Test
    void workedExampleOfSpec() {
        assertEquals(words("Ada@0-3", "Lovelace@4-12", "worked@13-19", "with@20-24", "Charles@25-32", "Babbage@33-40",
                        "in@41-43", "London@44-50", ".@50-51"),
                pythonView("Ada Lovelace worked with Charles Babbage in London."));
    }

    @Test
    void combiningMarksAreNotWordCharacters() {
        assertEquals(words("Cafe@0-4", "\u0301@4-5", "noe@6-9", "\u0308@9-10", "l@10-11"),
                pythonView("Cafe\u0301 noe\u0308l"));
        assertEquals(words("ก@0-1", "\u0E48@1-2", "อน@2-4"), pythonView("ก\u0E48อน"));
        // Precomposed letters are letters.
        assertEquals(words("Café@0-4", "noël@5-9"), pythonView("Café noël"));
    }

    @Test
    void everyPythonWhitespaceSeparatesWords() {
        int[] spaces = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
                0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
                0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
        for (int cp : spaces) {
            String text = "a" + Character.toString(cp) + Character.toString(cp) + "b";
            assertEquals(words("a@0-1", "b@3-4"), pythonView(text), "U+" + Integer.toHexString(cp));
            assertTrue(WordSplitter.isWhitespace(cp));
        }
        assertEquals(List.of(), splitter.split("   \n\t\u00A0\u3000 "));
        assertEquals(List.of(), splitter.split(""));
        // Exactly these 29 code points are whitespace.
        int count = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) if (WordSplitter.isWhitespace(cp)) count++;
        assertEquals(spaces.length, count);
    }

    @Test
    void zeroWidthAndFormatCharactersAreWords() {
        assertEquals(words("a@0-1", "\u200B@1-2", "b@2-3"), pythonView("a\u200Bb"));
        assertEquals(words("a@0-1", "\u00AD@1-2", "b@2-3"), pythonView("a\u00ADb"));
        assertFalse(WordSplitter.isWhitespace(0x200B));
        assertFalse(WordSplitter.isWhitespace(0xFEFF));
    }

    @Test
    void supplementaryCharactersAreOneCharacter() {
        assertEquals(words("hi@0-2", "\uD83C\uDF89@3-4", "!@4-5"), pythonView("hi 🎉!"));
        List<Word> w = splitter.split("hi 🎉!");
        assertEquals(new Word("🎉", 3, 5), w.get(1), "UTF-16 offsets of the emoji");
        assertEquals(new Word("!", 5, 6), w.get(2));
        assertEquals(words("👍@0-1", "🏽@1-2", "👨@3-4", "\u200D@4-5", "👩@5-6"), pythonView("👍🏽 👨\u200D👩"));
        // Supplementary letters (math bold, CJK extension B) are word characters.
        assertEquals(words("𝐀𝐁@0-2", "𠀀x@3-5"), pythonView("𝐀𝐁 𠀀x"));
        assertEquals(new Word("𠀀x", 5, 8), splitter.split("𝐀𝐁 𠀀x").get(1));
    }

    @Test
    void loneSurrogateIsOneCharacterWord() {
        List<Word> w = splitter.split("a\uD800b\uDC00");
        assertEquals(List.of(new Word("a", 0, 1), new Word("\uD800", 1, 2), new Word("b", 2, 3), new Word("\uDC00", 3, 4)), w);
    }

    @Test
    void cjkNumbersAndOtherScripts() {
        assertEquals(words("東京タワー@0-5", "、@5-6", "大阪@6-8"), pythonView("東京タワー、大阪"));
        assertEquals(words("२०२४@0-4", "½@5-6", "Ⅻ@7-8", "²@9-10"), pythonView("२०२४ ½ Ⅻ ²"));
        assertEquals(words("مرحبا@0-5", "بالعالم@6-13"), pythonView("مرحبا بالعالم"));
    }

    @Test
    void underscoresAndHyphens() {
        assertEquals(words("snake_case_name@0-15", "_x_@16-19", "a-_b@20-24", "foo_-bar@25-33", "a@34-35", "-@35-36",
                        "-@36-37", "b@37-38", "-@39-40", "a@40-41", "a@42-43", "-@43-44", "x_@45-47"),
                pythonView("snake_case_name _x_ a-_b foo_-bar a--b -a a- x_"));
        assertEquals(words("Jean-Luc@0-8"), pythonView("Jean-Luc"));
        // Only ASCII hyphen joins: an en dash is its own word.
        assertEquals(words("1990@0-4", "–@4-5", "2000@5-9"), pythonView("1990–2000"));
    }

    @Test
    void markerTokensInTextAreSplit() {
        assertEquals(words("<@0-1", "<@1-2", "ENT@2-5", ">@5-6", ">@6-7", "Apple@8-13"), pythonView("<<ENT>> Apple"));
    }

    /** Independent formulation: explicit Python classes in java.util.regex (which matches by code point). */
    private static final String W = "[\\p{L}\\p{Nd}\\p{Nl}\\p{No}_]";
    private static final String S = "[\\t\\n\\x0B\\f\\r\\x1C-\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";
    private static final Pattern REFERENCE = Pattern.compile(W + "+(?:[-_]" + W + "+)*|(?:(?!" + S + ")[\\s\\S])");

    @Test
    void fuzzAgainstRegexFormulation() {
        String[] pool = {"a", "Z", "0", "9", "_", "-", "-", ".", ",", "'", " ", " ", "\t", "\n", "\u00A0", "\u3000",
                "\u2009", "\u200B", "\u0301", "é", "ß", "東", "ー", "²", "Ⅻ", "٣", "🎉", "𝐀", "𠀀", "\u200D", "\u00AD",
                "$", "<", ">", "\u0E48", "ก", "\u0085", "\u001F"};
        Random random = new Random(12345);
        for (int iter = 0; iter < 5000; iter++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(20);
            for (int i = 0; i < len; i++) sb.append(pool[random.nextInt(pool.length)]);
            String text = sb.toString();
            List<Word> expected = new ArrayList<>();
            Matcher m = REFERENCE.matcher(text);
            while (m.find()) expected.add(new Word(m.group(), m.start(), m.end()));
            assertEquals(expected, splitter.split(text), () -> "text: " + escape(text));
        }
    }

    @Test
    void wordCharacterClassMatchesRegexOnAllCodePoints() {
        Pattern w = Pattern.compile(W);
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) continue;
            assertEquals(w.matcher(Character.toString(cp)).matches(), WordSplitter.isWordChar(cp), "U+" + Integer.toHexString(cp));
        }
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(cp < 128 && cp >= 32 ? Character.toString(cp) : String.format("\\u{%x}", cp)));
        return sb.toString();
    }
}
