package dev.relex.engine;

import java.util.Arrays;
import java.util.Objects;

/**
 * A trainable tensor: its torch name and shape, its value and its gradient. The value is a view of
 * {@code size()} floats of {@link #data()} starting at {@link #offset()}, so a layer can keep several
 * checkpoint tensors in one array that its kernels use directly (e.g. BERT's query, key and value
 * weights as the row blocks of one fused [3A, H] matrix): the optimizer updates the view in place and
 * the fused form needs no rebuild. The gradient is a view of the same offsets of {@link #grad()}, an
 * array as long as {@code data} and shared by every view of it, so a backward pass that computes the
 * fused gradient fills each view's gradient at once.
 *
 * <p>Derived forms computed from values (GEMM-packed copies, folded layers, projected tables) go stale
 * when a value changes; whoever changes values calls {@link #valuesChanged()} (drops the engine's packed
 * copies of the data array) and then has the owning model rebuild its own derived forms.
 */
public final class Parameter {
    private final String name;
    private final int[] shape;
    private final int size;
    private final float[] data;
    private final int offset;
    private final GradHolder grad;

    /** A parameter owning all of {@code data}. */
    public Parameter(String name, int[] shape, float[] data) {
        this(name, shape, data, 0, new GradHolder(data.length));
    }

    private Parameter(String name, int[] shape, float[] data, int offset, GradHolder grad) {
        this.name = Objects.requireNonNull(name, "name");
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        if (offset < 0 || offset + n > data.length) {
            throw new IllegalArgumentException(name + ": " + Arrays.toString(shape) + " from offset " + offset
                    + " does not fit in " + data.length + " values");
        }
        this.size = (int) n;
        this.data = data;
        this.offset = offset;
        this.grad = grad;
    }

    /**
     * Views of consecutive blocks of one array, e.g. the query, key and value weights of a fused matrix:
     * block i has {@code shapes[i]} and starts where block i−1 ends. The views share one gradient array.
     */
    public static Parameter[] views(float[] data, String[] names, int[][] shapes) {
        if (names.length != shapes.length) throw new IllegalArgumentException("names and shapes differ in length");
        GradHolder g = new GradHolder(data.length);
        Parameter[] out = new Parameter[names.length];
        int off = 0;
        for (int i = 0; i < names.length; i++) {
            out[i] = new Parameter(names[i], shapes[i], data, off, g);
            off += out[i].size;
        }
        if (off != data.length) {
            throw new IllegalArgumentException("views cover " + off + " of " + data.length + " values");
        }
        return out;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** Number of values. */
    public int size() {
        return size;
    }

    /** The array holding the value (and possibly other parameters' values); see {@link #offset()}. */
    public float[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    /**
     * The gradient array (same length and offsets as {@link #data()}) for a backward pass to accumulate into:
     * allocated on first use, and zero-filled when it was {@linkplain #zeroGrad() absent}; from then on this
     * parameter (and every view of the same array) {@linkplain #hasGrad() has a gradient}.
     */
    public float[] grad() {
        return grad.get();
    }

    /**
     * Whether a gradient was taken since the last {@link #zeroGrad()}: torch's {@code p.grad is not None}.
     * The optimizer and gradient clipping skip parameters without one, as the reference does for parameters
     * a step's loss did not reach (e.g. the relation heads in a batch without relation labels).
     */
    public boolean hasGrad() {
        return grad.present;
    }

    /**
     * Makes the gradient absent, like torch's {@code zero_grad(set_to_none=True)}: for this parameter and
     * every view of the same array (they share one gradient). The next {@link #grad()} call starts from zeros.
     */
    public void zeroGrad() {
        grad.present = false;
    }

    /** A copy of the value, in torch's row-major layout. */
    public float[] copyValue() {
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    /** Overwrites the value with {@code values} (row-major, {@link #size()} floats) and invalidates packed copies. */
    public void setValue(float[] values) {
        if (values.length != size) {
            throw new IllegalArgumentException(name + ": " + values.length + " values given, shape "
                    + Arrays.toString(shape) + " needs " + size);
        }
        System.arraycopy(values, 0, data, offset, size);
        valuesChanged();
    }

    /** Drops every packed copy the engine made of the data array, after an in-place update. */
    public void valuesChanged() {
        PackedWeights.invalidate(data);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }

    private static final class GradHolder {
        private final int length;
        private volatile float[] array;
        private volatile boolean present;

        GradHolder(int length) {
            this.length = length;
        }

        float[] get() {
            if (present) return array;
            synchronized (this) {
                if (!present) {
                    if (array == null) array = new float[length];
                    else Arrays.fill(array, 0f);
                    present = true;
                }
                return array;
            }
        }
    }
}
