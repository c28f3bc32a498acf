package dev.relex.checkpoint;

import java.util.Set;

/** Named tensors, read on demand; implementations may be backed by memory-mapped files. */
public interface TensorSource extends AutoCloseable {
    /** All tensor names, in file order. */
    Set<String> names();

    /** Description of a tensor; throws {@link CheckpointException} naming the key if absent. */
    TensorInfo info(String name);

    default boolean contains(String name) {
        return names().contains(name);
    }

    /** Elements converted to float32 (F32, F16, BF16, F64 and integer types accepted), in a fresh array. */
    float[] floats(String name);

    /** Elements as long (integer and bool types only), in a fresh array. */
    long[] longs(String name);

    @Override
    void close();
}
