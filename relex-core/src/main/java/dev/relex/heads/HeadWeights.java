package dev.relex.heads;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.TensorInfo;
import dev.relex.checkpoint.TensorSource;
import dev.relex.engine.Linear;

import java.util.Arrays;

/** Reads head tensors with their expected shapes, failing with the key name on any mismatch. */
final class HeadWeights {
    private final TensorSource source;
    /** Every tensor read, as a parameter viewing the returned array. */
    final HeadParameters parameters = new HeadParameters();

    HeadWeights(TensorSource source) {
        if (source == null) throw new IllegalArgumentException("weights are required");
        this.source = source;
    }

    boolean contains(String name) {
        return source.contains(name);
    }

    float[] tensor(String name, long... shape) {
        if (!source.contains(name)) {
            throw new CheckpointException("missing weight '" + name + "' (expected shape " + Arrays.toString(shape) + ")");
        }
        TensorInfo info = source.info(name);
        if (!Arrays.equals(info.shape(), shape)) {
            throw new CheckpointException("weight '" + name + "' has shape " + info.shapeString() + ", expected "
                    + Arrays.toString(shape));
        }
        float[] values = source.floats(name);
        for (float v : values) {
            if (!Float.isFinite(v)) throw new CheckpointException("weight '" + name + "' contains " + v);
        }
        parameters.add(name, shape, values);
        return values;
    }

    /** torch nn.Linear(in, out) at {@code prefix}: weight [out, in] and bias [out]. */
    Linear linear(String prefix, int in, int out) {
        return new Linear(tensor(prefix + ".weight", out, in), tensor(prefix + ".bias", out), in, out);
    }

    /** GLiNER projection block at {@code prefix}: Linear(in, 4·out) → ReLU → Dropout → Linear(4·out, out). */
    Mlp mlp(String prefix, int in, int out) {
        return new Mlp(linear(prefix + ".0", in, 4 * out), linear(prefix + ".3", 4 * out, out));
    }
}
