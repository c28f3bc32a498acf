package dev.relex.encoder;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.DType;
import dev.relex.checkpoint.TensorInfo;
import dev.relex.checkpoint.TensorSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** In-memory float32 tensors for tests, with a helper that draws random weights. */
final class MapTensorSource implements TensorSource {
    final Map<String, float[]> data = new LinkedHashMap<>();
    final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Random rnd;

    MapTensorSource(long seed) {
        rnd = new Random(seed);
    }

    MapTensorSource put(String name, float[] values, long... shape) {
        data.put(name, values);
        shapes.put(name, shape);
        return this;
    }

    /** N(0,1)·scale + shift values. */
    float[] random(String name, double scale, double shift, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * scale + shift);
        put(name, v, shape);
        return v;
    }

    void linear(String name, int in, int out) {
        random(name + ".weight", 1 / Math.sqrt(in), 0, out, in);
        random(name + ".bias", 0.1, 0, out);
    }

    void norm(String name, int dim) {
        random(name + ".weight", 0.1, 1, dim);
        random(name + ".bias", 0.1, 0, dim);
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
