package dev.relex.checkpoint;

import java.util.Arrays;

/**
 * Where one tensor lives in a safetensors file.
 *
 * @param name       tensor name
 * @param dtype      element type
 * @param shape      dimensions (empty for a scalar)
 * @param dataOffset absolute byte offset of the first element in the file
 * @param byteLength number of bytes
 */
public record TensorInfo(String name, DType dtype, long[] shape, long dataOffset, long byteLength) {
    /** Number of elements. */
    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Shape as an int array (every dimension must fit an int). */
    public int[] intShape() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(shape[i]);
        return s;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape)
                && t.dataOffset == dataOffset && t.byteLength == byteLength;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeString();
    }
}
