package dev.relex.decode;

import dev.relex.OffsetUnit;

/**
 * Converts Java string indices (UTF-16 units) to the offset unit a caller asked for. Code points
 * differ from UTF-16 units only after a supplementary character, so texts without surrogates map
 * one to one.
 */
public final class OffsetMapper {
    private final String text;
    private final boolean identity;

    public OffsetMapper(String text, OffsetUnit unit) {
        this.text = text;
        this.identity = unit != OffsetUnit.CODE_POINTS || !hasSurrogates(text);
    }

    /** The offset in the requested unit of UTF-16 index {@code utf16}. */
    public int map(int utf16) {
        return identity ? utf16 : text.codePointCount(0, utf16);
    }

    private static boolean hasSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) return true;
        }
        return false;
    }
}
