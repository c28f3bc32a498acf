package dev.relex.checkpoint;

/** Element types that may appear in a safetensors file. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int size;

    DType(int size) {
        this.size = size;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** Parses the safetensors dtype string ("F32", "BF16", ...). */
    public static DType parse(String s) {
        try {
            return DType.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("unsupported safetensors dtype '" + s + "'");
        }
    }
}
