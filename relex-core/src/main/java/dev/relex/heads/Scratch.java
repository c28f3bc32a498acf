package dev.relex.heads;

import dev.relex.engine.Workspace;

/**
 * Hands out the calling thread's {@link Workspace} buffers from the slot range reserved for the heads
 * (60–99), one slot per intermediate tensor of a forward call, so nothing is allocated once warm.
 */
final class Scratch {
    static final int FIRST_SLOT = 60;
    static final int LAST_SLOT = 99;

    private final Workspace workspace;
    private int nextFloat = FIRST_SLOT;
    private int nextInt = FIRST_SLOT;

    Scratch(Workspace workspace) {
        this.workspace = workspace;
    }

    static Scratch get() {
        return new Scratch(Workspace.get());
    }

    /** A buffer of at least {@code size} floats with stale contents. */
    float[] floats(long size) {
        if (nextFloat > LAST_SLOT) throw new IllegalStateException("heads ran out of workspace slots");
        return workspace.floats(nextFloat++, checkedSize(size));
    }

    /** A buffer of at least {@code size} ints with stale contents. */
    int[] ints(long size) {
        if (nextInt > LAST_SLOT) throw new IllegalStateException("heads ran out of workspace slots");
        return workspace.ints(nextInt++, checkedSize(size));
    }

    private static int checkedSize(long size) {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("intermediate tensor of " + size + " values is too large for one text");
        }
        return (int) Math.max(size, 1);
    }
}
