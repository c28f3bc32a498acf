package dev.relex.text;

/**
 * The span model's candidate spans (spec §2.7): for a text of {@code L} words and maximum width
 * {@code K}, flat index {@code f = s·K + k} is the span from word {@code s} to word {@code s + k}
 * (inclusive). All {@code L·K} spans are enumerated, also those running past the last word, which are
 * masked out; a batch pads each row to {@code W·K} with span (0, 0) and mask false.
 */
public final class SpanEnumeration {

    private SpanEnumeration() {}

    /** Start word (0-based) of flat span {@code flat}. */
    public static int start(int flat, int maxWidth) {
        return flat / maxWidth;
    }

    /** Inclusive end word (0-based) of flat span {@code flat}. */
    public static int end(int flat, int maxWidth) {
        return flat / maxWidth + flat % maxWidth;
    }

    /** True if flat span {@code flat} lies inside a text of {@code length} words. */
    public static boolean valid(int flat, int length, int maxWidth) {
        return flat < length * maxWidth && end(flat, maxWidth) <= length - 1;
    }

    /** {@code span_idx} of one text, flattened [paddedLength·K, 2]: (start, end) pairs, padding (0, 0). */
    public static int[] spanIndex(int length, int maxWidth, int paddedLength) {
        check(length, maxWidth, paddedLength);
        int[] idx = new int[paddedLength * maxWidth * 2];
        for (int s = 0; s < length; s++) {
            for (int k = 0; k < maxWidth; k++) {
                int f = s * maxWidth + k;
                idx[2 * f] = s;
                idx[2 * f + 1] = s + k;
            }
        }
        return idx;
    }

    /** {@code span_mask} of one text, [paddedLength·K]: true iff the span ends inside the text. */
    public static boolean[] spanMask(int length, int maxWidth, int paddedLength) {
        check(length, maxWidth, paddedLength);
        boolean[] mask = new boolean[paddedLength * maxWidth];
        for (int s = 0; s < length; s++) {
            for (int k = 0; k < maxWidth && s + k < length; k++) mask[s * maxWidth + k] = true;
        }
        return mask;
    }

    /** Number of valid spans of a text of {@code length} words. */
    public static int validCount(int length, int maxWidth) {
        int n = 0;
        for (int s = 0; s < length; s++) n += Math.min(maxWidth, length - s);
        return n;
    }

    private static void check(int length, int maxWidth, int paddedLength) {
        if (length < 0 || maxWidth <= 0 || paddedLength < length) {
            throw new IllegalArgumentException("invalid span enumeration: length " + length + ", max width " + maxWidth
                    + ", padded length " + paddedLength);
        }
    }
}
