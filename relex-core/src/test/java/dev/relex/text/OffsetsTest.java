package dev.relex.text;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Offsets against the JDK's own code point counting. */
class OffsetsTest {

    @Test
    void identityWithoutSurrogatePairs() {
        Offsets o = Offsets.of("Zoë Saldaña 東京");
        assertTrue(o.isIdentity());
        for (int i = 0; i <= 14; i++) {
            assertEquals(i, o.toCodePoint(i));
            assertEquals(i, o.toUtf16(i));
        }
    }

    @Test
    void goldenUnicodeSentence() {
        String text = "Zoë Saldaña visited 東京 in 2019 🎉 with Jean-Luc Godard and Ñandú Café.";
        Offsets o = Offsets.of(text);
        int with = text.indexOf("with");
        assertEquals(34, with);
        assertEquals(33, o.toCodePoint(with), "Python offset of 'with' (golden words: ['with', 33, 37])");
        assertEquals(34, o.toUtf16(33));
        assertEquals(69, o.codePointLength());
        assertEquals(70, o.utf16Length());
        assertEquals(33, Offsets.codePointIndex(text, with));
    }

    @Test
    void randomTextsAgainstJdk() {
        String[] pool = {"a", "é", "東", "🎉", "𝐀", "\uD800", "\uDC00", " "};
        Random random = new Random(7);
        for (int iter = 0; iter < 2000; iter++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(12);
            for (int i = 0; i < len; i++) sb.append(pool[random.nextInt(pool.length)]);
            String text = sb.toString();
            Offsets o = Offsets.of(text);
            for (int i = 0; i <= text.length(); i++) {
                assertEquals(Character.codePointCount(text, 0, i), o.toCodePoint(i), text + " @" + i);
            }
            int cps = text.codePointCount(0, text.length());
            assertEquals(cps, o.codePointLength());
            for (int c = 0; c <= cps; c++) {
                assertEquals(text.offsetByCodePoints(0, c), o.toUtf16(c), text + " cp " + c);
            }
        }
    }

    @Test
    void rejectsOutOfRange() {
        Offsets o = Offsets.of("a🎉");
        assertThrows(IndexOutOfBoundsException.class, () -> o.toCodePoint(4));
        assertThrows(IndexOutOfBoundsException.class, () -> o.toCodePoint(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> o.toUtf16(3));
    }
}
