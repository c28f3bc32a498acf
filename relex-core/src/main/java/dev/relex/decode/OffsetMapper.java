package dev.relex.decode;

import dev.relex.OffsetUnit;
import dev.relex.text.Offsets;

/**
 * Converts Java string indices (UTF-16 units) to the offset unit a caller asked for. Code points
 * differ from UTF-16 units only after a supplementary character, so texts without surrogate pairs
 * map one to one; otherwise each conversion is a binary search over the pairs.
 */
public final class OffsetMapper {
    private final Offsets offsets;

    public OffsetMapper(String text, OffsetUnit unit) {
        this.offsets = unit == OffsetUnit.CODE_POINTS ? Offsets.of(text) : null;
    }

    /** The offset in the requested unit of UTF-16 index {@code utf16}. */
    public int map(int utf16) {
        return offsets == null ? utf16 : offsets.toCodePoint(utf16);
    }
}
