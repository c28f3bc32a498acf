package dev.relex.encoder;

import dev.relex.checkpoint.InMemoryTensorSource;

import java.util.Random;

/** In-memory float32 tensors for tests, with a helper that draws random weights. */
final class MapTensorSource extends InMemoryTensorSource {
    private final Random rnd;

    MapTensorSource(long seed) {
        rnd = new Random(seed);
    }

    MapTensorSource put(String name, float[] values, long... shape) {
        store(name, values, shape);
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
}
