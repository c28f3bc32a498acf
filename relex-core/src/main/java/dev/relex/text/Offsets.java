package dev.relex.text;

import java.util.Arrays;

/**
 * Converts between Java {@code String} indices (UTF-16 units) and Python string indices (code points)
 * for one text. They differ only after a supplementary character (surrogate pair), so the converter
 * records where the pairs are; for texts without any (the common case) both conversions are the
 * identity. Build once per text with {@link #of}; each conversion is then a binary search over the
 * pairs. Immutable and thread-safe.
 */
public final class Offsets {

    private static final int[] NONE = new int[0];

    private final int length;
    /** UTF-16 index of the high surrogate of each valid pair, ascending. */
    private final int[] pairStarts;
    /** Code-point index of each pair: pairStarts[k] − k. */
    private final int[] pairCodePoints;

    private Offsets(int length, int[] pairStarts) {
        this.length = length;
        this.pairStarts = pairStarts;
        this.pairCodePoints = new int[pairStarts.length];
        for (int k = 0; k < pairStarts.length; k++) pairCodePoints[k] = pairStarts[k] - k;
    }

    public static Offsets of(CharSequence text) {
        int n = text.length();
        int[] starts = NONE;
        int count = 0;
        for (int i = 0; i + 1 < n; i++) {
            if (Character.isHighSurrogate(text.charAt(i)) && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (count == starts.length) starts = Arrays.copyOf(starts, Math.max(8, count * 2));
                starts[count++] = i;
                i++;
            }
        }
        return new Offsets(n, count == starts.length ? starts : Arrays.copyOf(starts, count));
    }

    /** One-off conversion; for many offsets in the same text build {@link #of} once instead. */
    public static int codePointIndex(CharSequence text, int utf16Index) {
        checkRange(utf16Index, text.length());
        return Character.codePointCount(text, 0, utf16Index);
    }

    /** True if the text has no surrogate pairs, i.e. both units agree everywhere. */
    public boolean isIdentity() {
        return pairStarts.length == 0;
    }

    /**
     * Code-point index of UTF-16 index {@code utf16Index} (0 … length). An index that falls between
     * the two halves of a pair counts the high surrogate as one code point, like
     * {@link Character#codePointCount}.
     */
    public int toCodePoint(int utf16Index) {
        checkRange(utf16Index, length);
        if (pairStarts.length == 0) return utf16Index;
        // Pairs that end at or before utf16Index (start + 2 <= index) each save one unit.
        int completed = countBelow(pairStarts, utf16Index - 1);
        return utf16Index - completed;
    }

    /** UTF-16 index of code-point index {@code codePointIndex} (0 … number of code points). */
    public int toUtf16(int codePointIndex) {
        checkRange(codePointIndex, codePointLength());
        if (pairStarts.length == 0) return codePointIndex;
        return codePointIndex + countBelow(pairCodePoints, codePointIndex);
    }

    public int utf16Length() {
        return length;
    }

    public int codePointLength() {
        return length - pairStarts.length;
    }

    /** Number of elements of the ascending array {@code a} that are {@code < bound}. */
    private static int countBelow(int[] a, int bound) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < bound) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static void checkRange(int index, int length) {
        if (index < 0 || index > length) {
            throw new IndexOutOfBoundsException("offset " + index + " outside 0.." + length);
        }
    }
}
