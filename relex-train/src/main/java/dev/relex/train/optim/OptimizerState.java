package dev.relex.train.optim;

import dev.relex.checkpoint.SafeTensors;
import dev.relex.checkpoint.SafeTensorsWriter;
import dev.relex.checkpoint.TensorInfo;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exported AdamW state as plain arrays: the number of optimizer steps taken and, per parameter that has
 * been updated, its own step count and both moments (torch {@code exp_avg}, {@code exp_avg_sq}), in
 * parameter order.
 *
 * <p>Safetensors layout ({@link #writeTo} / {@link #readFrom}): {@code <name>.exp_avg} and
 * {@code <name>.exp_avg_sq} (F32, the parameter's shape), {@code <name>.step} (I64 [1]); metadata
 * {@code format = relex-adamw-1} and {@code steps}.
 */
public record OptimizerState(long steps, Map<String, Moments> moments) {
    public static final String FORMAT = "relex-adamw-1";

    public OptimizerState {
        moments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(moments));
    }

    /** One parameter's state. */
    public record Moments(int[] shape, long step, float[] expAvg, float[] expAvgSq) {
        public Moments {
            int n = 1;
            for (int d : shape) n = Math.multiplyExact(n, d);
            if (expAvg.length != n || expAvgSq.length != n) {
                throw new IllegalArgumentException("moments of shape " + Arrays.toString(shape) + " need " + n
                        + " values, found " + expAvg.length + " and " + expAvgSq.length);
            }
        }
    }

    /** Adds every array to {@code w} (referenced, not copied) with the layout above. */
    public SafeTensorsWriter writeTo(SafeTensorsWriter w) {
        w.putMetadata("format", FORMAT).putMetadata("steps", Long.toString(steps));
        for (Map.Entry<String, Moments> e : moments.entrySet()) {
            Moments m = e.getValue();
            long[] shape = Arrays.stream(m.shape()).asLongStream().toArray();
            w.putFloats(e.getKey() + ".exp_avg", m.expAvg(), shape);
            w.putFloats(e.getKey() + ".exp_avg_sq", m.expAvgSq(), shape);
            w.putLongs(e.getKey() + ".step", new long[] {m.step()}, 1);
        }
        return w;
    }

    /** Reads the layout above; errors name the file and the tensor. */
    public static OptimizerState readFrom(SafeTensors st) {
        String where = String.valueOf(st.file());
        String format = st.metadata().get("format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(where + ": not an optimizer state (metadata format " + format + ", expected " + FORMAT + ")");
        }
        long steps;
        try {
            steps = Long.parseLong(st.metadata().get("steps"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": metadata 'steps' is missing or not a number");
        }
        Map<String, Moments> out = new LinkedHashMap<>();
        for (String name : st.names().stream().sorted().toList()) {
            if (!name.endsWith(".exp_avg")) {
                if (!name.endsWith(".exp_avg_sq") && !name.endsWith(".step")) {
                    throw new IllegalArgumentException(where + ": unexpected tensor " + name);
                }
                continue;
            }
            String param = name.substring(0, name.length() - ".exp_avg".length());
            for (String part : new String[] {param + ".exp_avg_sq", param + ".step"}) {
                if (!st.names().contains(part)) throw new IllegalArgumentException(where + ": " + name + " without " + part);
            }
            TensorInfo info = st.info(name);
            if (!Arrays.equals(info.shape(), st.info(param + ".exp_avg_sq").shape())) {
                throw new IllegalArgumentException(where + ": " + param + ".exp_avg and .exp_avg_sq differ in shape");
            }
            long[] step = st.longs(param + ".step");
            if (step.length != 1) throw new IllegalArgumentException(where + ": " + param + ".step must hold one value");
            out.put(param, new Moments(info.intShape(), step[0], st.floats(name), st.floats(param + ".exp_avg_sq")));
        }
        return new OptimizerState(steps, out);
    }
}
