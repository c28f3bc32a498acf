package dev.relex.engine;

import java.util.Objects;

/**
 * A dense layer y = x·Wᵀ + b with torch's weight layout: {@code weight} is [out, in] row-major.
 * The arrays are owned by the layer and never modified after construction (the engine keeps a packed
 * copy of the weights, keyed by the weight array, for fast products).
 *
 * @param weight [out * in] row-major
 * @param bias   [out], or null for no bias
 * @param in     input width
 * @param out    output width
 */
public record Linear(float[] weight, float[] bias, int in, int out) {
    public Linear {
        Objects.requireNonNull(weight, "weight");
        if (weight.length != (long) in * out) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + in + "x" + out);
        }
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + out);
        }
    }

    /**
     * The layer restricted to input columns [from, from + width) (a copy of that weight slice), with this
     * layer's bias or none: x·W[:, from…]ᵀ for one part of a concatenated input. The slice is a layer of
     * its own, so the engine can keep it pre-packed (a strided view would be packed on every call).
     */
    public Linear inputSlice(int from, int width, boolean withBias) {
        if (from < 0 || width <= 0 || from + width > in) {
            throw new IllegalArgumentException("input slice [" + from + ", " + (from + width) + ") outside [0, " + in + ")");
        }
        float[] part = new float[out * width];
        for (int r = 0; r < out; r++) System.arraycopy(weight, r * in + from, part, r * width, width);
        return new Linear(part, withBias ? bias : null, width, out);
    }

    /**
     * Recomputes this layer, a slice made by {@code source.inputSlice(from, in(), …)}, from the current
     * values of {@code source} (in place), and drops its packed copy: for layers that keep input slices
     * of weights an optimizer updates. The bias is shared with the source, so it needs no copy.
     */
    public void refreshInputSlice(Linear source, int from) {
        if (source.out() != out || from < 0 || from + in > source.in()) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + in) + ") x " + out + " does not fit a layer "
                    + source.in() + " -> " + source.out());
        }
        for (int r = 0; r < out; r++) System.arraycopy(source.weight(), r * source.in() + from, weight, r * in, in);
        PackedWeights.invalidate(weight);
    }

    /** y[rows, out] = x[rows, in]·Wᵀ + b. */
    public void forward(float[] x, int xOff, int rows, float[] y, int yOff) {
        Ops.linear(x, xOff, rows, this, y, yOff);
    }
}
