package dev.relex.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Float32 tensors held in maps, for tests that build weights in memory instead of writing a file. */
public class InMemoryTensorSource implements TensorSource {
    public final Map<String, float[]> data = new LinkedHashMap<>();
    public final Map<String, long[]> shapes = new LinkedHashMap<>();

    /** Adds or replaces a tensor. */
    protected void store(String name, float[] values, long... shape) {
        data.put(name, values);
        shapes.put(name, shape);
    }

    /** Drops a tensor, as if the checkpoint lacked it. */
    protected void drop(String name) {
        data.remove(name);
        shapes.remove(name);
    }

    @Override
    public Set<String> names() {
        return data.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        long[] s = shapes.get(name);
        if (s == null) throw new CheckpointException("no tensor '" + name + "'");
        return new TensorInfo(name, DType.F32, s, 0, data.get(name).length * 4L);
    }

    @Override
    public float[] floats(String name) {
        info(name);
        return data.get(name).clone();
    }

    @Override
    public long[] longs(String name) {
        throw new CheckpointException("'" + name + "' is float32");
    }

    @Override
    public void close() {}
}
