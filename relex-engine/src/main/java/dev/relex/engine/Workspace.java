package dev.relex.engine;

/**
 * Grow-only scratch buffers owned by one thread, so that hot paths allocate nothing once warmed up
 * (freshly touched pages cost ~11 µs each on these VMs). Each caller uses its own slot numbers;
 * a buffer returned for a slot may be larger than asked and holds stale data.
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

    private float[][] floats = new float[16][];
    private int[][] ints = new int[4][];

    /** The calling thread's workspace. */
    public static Workspace get() {
        return LOCAL.get();
    }

    /** A float buffer of at least {@code size} values for {@code slot}; contents are unspecified. */
    public float[] floats(int slot, int size) {
        if (slot >= floats.length) {
            floats = java.util.Arrays.copyOf(floats, Math.max(slot + 1, floats.length * 2));
        }
        float[] b = floats[slot];
        if (b == null || b.length < size) {
            b = new float[Math.max(size, b == null ? 0 : b.length + (b.length >> 1))];
            floats[slot] = b;
        }
        return b;
    }

    /** An int buffer of at least {@code size} values for {@code slot}; contents are unspecified. */
    public int[] ints(int slot, int size) {
        if (slot >= ints.length) {
            ints = java.util.Arrays.copyOf(ints, Math.max(slot + 1, ints.length * 2));
        }
        int[] b = ints[slot];
        if (b == null || b.length < size) {
            b = new int[Math.max(size, b == null ? 0 : b.length + (b.length >> 1))];
            ints[slot] = b;
        }
        return b;
    }
}
