package dev.relex.pretrained;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.TensorInfo;
import dev.relex.checkpoint.TensorSource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables of a Google BERT TensorFlow checkpoint under Hugging Face {@code BertModel} /
 * {@code BertForMaskedLM} names, in torch layout:
 * <ul>
 *   <li>{@code [module/]bert/embeddings/word_embeddings} → {@code embeddings.word_embeddings.weight} (also
 *       position and token-type tables);</li>
 *   <li>{@code .../layer_3/attention/self/query/kernel} → {@code encoder.layer.3.attention.self.query.weight},
 *       transposed from TensorFlow's [in, out] to torch's [out, in];</li>
 *   <li>{@code .../LayerNorm/gamma|beta} → {@code .../LayerNorm.weight|bias};</li>
 *   <li>{@code bert/pooler/dense/*} → {@code pooler.dense.*};</li>
 *   <li>the MLM head {@code cls/predictions/transform/...} → {@code cls.predictions.transform...} and
 *       {@code cls/predictions/output_bias} → {@code cls.predictions.bias} (its decoder is tied to the word
 *       embeddings).</li>
 * </ul>
 * Other variables (optimizer slots, {@code global_step}, NSP head) are left out and listed by
 * {@link #unmapped()}.
 */
public final class TfBertNames implements TensorSource {
    private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");

    private record Target(String tfName, boolean transpose, TensorInfo info) {}

    private final TensorSource tf;
    private final Map<String, Target> byHfName;
    private final Set<String> unmapped;

    private TfBertNames(TensorSource tf, Map<String, Target> byHfName, Set<String> unmapped) {
        this.tf = tf;
        this.byHfName = byHfName;
        this.unmapped = unmapped;
    }

    /** Wraps {@code tf}; closing the result closes it. */
    public static TfBertNames wrap(TensorSource tf) {
        Map<String, Target> out = new LinkedHashMap<>();
        Set<String> unmapped = new java.util.LinkedHashSet<>();
        for (String name : tf.names()) {
            String hf = hfName(name);
            if (hf == null) {
                unmapped.add(name);
                continue;
            }
            TensorInfo info = tf.info(name);
            boolean transpose = name.endsWith("/kernel");
            long[] shape = info.shape();
            if (transpose) {
                if (shape.length != 2) {
                    throw new CheckpointException("TensorFlow kernel '" + name + "' has shape " + info.shapeString()
                            + "; expected a matrix [in, out]");
                }
                shape = new long[] {shape[1], shape[0]};
            }
            Target t = new Target(name, transpose, new TensorInfo(hf, info.dtype(), shape, info.dataOffset(), info.byteLength()));
            Target previous = out.put(hf, t);
            if (previous != null) {
                throw new CheckpointException("TensorFlow variables '" + previous.tfName + "' and '" + name
                        + "' both map to '" + hf + "'");
            }
        }
        return new TfBertNames(tf, Collections.unmodifiableMap(out), Collections.unmodifiableSet(unmapped));
    }

    /** The Hugging Face name of a TensorFlow BERT variable, or null if it is not part of BERT + MLM head. */
    static String hfName(String tfName) {
        String s = tfName;
        if (s.startsWith("module/")) s = s.substring("module/".length());
        if (s.contains("adam_") || s.contains("Adam") || s.equals("global_step")) return null;
        if (s.startsWith("bert/")) {
            s = s.substring("bert/".length());
        } else if (!s.startsWith("cls/predictions/")) {
            return null; // cls/seq_relationship (next-sentence head) and anything else
        }
        if (s.equals("cls/predictions/output_bias")) return "cls.predictions.bias";
        Matcher m = LAYER.matcher(s);
        s = m.replaceAll("layer.$1");
        String[] parts = s.split("/");
        String last = parts[parts.length - 1];
        String head = String.join(".", java.util.Arrays.copyOf(parts, parts.length - 1));
        return switch (last) {
            case "kernel", "gamma" -> head + ".weight";
            case "bias", "beta" -> head + ".bias";
            case "word_embeddings", "position_embeddings", "token_type_embeddings" -> s.replace('/', '.') + ".weight";
            default -> null;
        };
    }

    /** TensorFlow variables that have no Hugging Face counterpart here. */
    public Set<String> unmapped() {
        return unmapped;
    }

    /** The TensorFlow name behind a Hugging Face key. */
    public String tfName(String hfName) {
        return target(hfName).tfName;
    }

    @Override
    public Set<String> names() {
        return byHfName.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        return target(name).info;
    }

    @Override
    public float[] floats(String name) {
        Target t = target(name);
        float[] v = tf.floats(t.tfName);
        if (!t.transpose) return v;
        long[] stored = tf.info(t.tfName).shape();
        int in = Math.toIntExact(stored[0]), out = Math.toIntExact(stored[1]);
        float[] r = new float[v.length];
        for (int i = 0; i < in; i++) {
            int row = i * out;
            for (int o = 0; o < out; o++) r[o * in + i] = v[row + o];
        }
        return r;
    }

    @Override
    public long[] longs(String name) {
        return tf.longs(target(name).tfName);
    }

    @Override
    public void close() {
        tf.close();
    }

    private Target target(String name) {
        Target t = byHfName.get(name);
        if (t == null) throw new CheckpointException("tensor '" + name + "' is not in " + tf);
        return t;
    }
}
