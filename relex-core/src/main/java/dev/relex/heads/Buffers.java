package dev.relex.heads;

/** Grow-only buffers of the training states: reallocated only when a larger text comes along. */
final class Buffers {
    private Buffers() {}

    static float[] grow(float[] a, long size) {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("intermediate tensor of " + size + " values is too large for one text");
        }
        return a != null && a.length >= size ? a : new float[(int) Math.max(size, 1)];
    }

    static int[] grow(int[] a, long size) {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("intermediate index list of " + size + " values is too large for one text");
        }
        return a != null && a.length >= size ? a : new int[(int) Math.max(size, 1)];
    }

    /** A grown buffer with its first {@code size} values zeroed. */
    static float[] zeroed(float[] a, long size) {
        float[] b = grow(a, size);
        java.util.Arrays.fill(b, 0, (int) size, 0f);
        return b;
    }
}
