package dev.relex.encoder;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.TensorInfo;
import dev.relex.checkpoint.TensorSource;
import dev.relex.engine.Linear;

import java.util.Arrays;

/** Reads encoder tensors under a key prefix, checking shapes and naming the key on any error. */
final class WeightReader {
    private final TensorSource source;
    private final String prefix;

    WeightReader(TensorSource source, String prefix) {
        this.source = source;
        this.prefix = prefix == null ? "" : prefix;
    }

    boolean has(String name) {
        return source.contains(prefix + name);
    }

    /** Shape of a tensor, or a clear error if it is missing. */
    int[] shape(String name) {
        String key = prefix + name;
        if (!source.contains(key)) throw new CheckpointException("encoder weight '" + key + "' is missing");
        return source.info(key).intShape();
    }

    /** The tensor as floats; its shape must equal {@code expected}. */
    float[] floats(String name, int... expected) {
        String key = prefix + name;
        if (!source.contains(key)) {
            throw new CheckpointException("encoder weight '" + key + "' is missing (expected shape "
                    + Arrays.toString(expected) + ")");
        }
        TensorInfo info = source.info(key);
        if (!Arrays.equals(info.intShape(), expected)) {
            throw new CheckpointException("encoder weight '" + key + "' has shape " + info.shapeString()
                    + ", expected " + Arrays.toString(expected));
        }
        return source.floats(key);
    }

    /** A torch Linear {@code name}.weight [out, in] with {@code name}.bias [out] (bias optional if allowed). */
    Linear linear(String name, int in, int out, boolean bias) {
        float[] w = floats(name + ".weight", out, in);
        float[] b = bias ? floats(name + ".bias", out) : null;
        return new Linear(w, b, in, out);
    }

    /** LayerNorm weight and bias [dim]. */
    Norm norm(String name, int dim, float eps) {
        return new Norm(floats(name + ".weight", dim), floats(name + ".bias", dim), eps);
    }

    String key(String name) {
        return prefix + name;
    }
}
