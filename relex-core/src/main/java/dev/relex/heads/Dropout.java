package dev.relex.heads;

/**
 * Training-time dropout of the heads' projection blocks (torch {@code nn.Dropout}: each element is zeroed
 * with probability p, the others scaled by 1/(1 − p)). Seeded and deterministic: a SplitMix64 stream in
 * a fixed order of sites and elements. Off (p = 0) unless the caller of the training forward asks.
 */
final class Dropout {
    private float p;
    private float keepScale = 1f;
    private long state;

    /** Sets the probability and restarts the random stream from {@code seed}. */
    void reset(double probability, long seed) {
        if (!(probability >= 0 && probability < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + probability);
        }
        this.p = (float) probability;
        this.keepScale = p > 0 ? 1f / (1f - p) : 1f;
        this.state = seed;
    }

    boolean active() {
        return p > 0;
    }

    /** The factor kept elements were multiplied by (1 when off). */
    float keepScale() {
        return keepScale;
    }

    /** Applies dropout to x[off … off+len) in place (no-op when off). */
    void apply(float[] x, int off, int len) {
        if (p <= 0) return;
        for (int i = off; i < off + len; i++) {
            x[i] = nextFloat() < p ? 0f : x[i] * keepScale;
        }
    }

    private float nextFloat() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f;
    }

    /**
     * Backward of ReLU followed by this dropout, given the stored output y (after both): dx = dy·scale
     * where y > 0, else 0 (a dropped element and a ReLU zero both have y = 0 and zero gradient; a kept
     * positive element has y > 0). In place on dy.
     */
    void reluBackward(float[] y, int yOff, int len, float[] dy, int dyOff) {
        float s = keepScale;
        for (int i = 0; i < len; i++) dy[dyOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] * s : 0f;
    }
}
