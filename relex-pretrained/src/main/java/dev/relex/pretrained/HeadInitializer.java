package dev.relex.pretrained;

import dev.relex.checkpoint.ArchitectureSpec;
import dev.relex.checkpoint.CheckpointException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Fresh GLiNER head weights initialised as PyTorch initialises the reference's modules when a model is
 * built ({@code load_from_config}); the reference's relex modules (layers.py, span_rep.py markerV0 /
 * TokenMarker, scorers.py, multitask/relations_layers.py) add no explicit initialisation of their own,
 * so the torch defaults apply:
 * <ul>
 *   <li>{@code nn.Linear}: weight and bias U(−1/√fan_in, 1/√fan_in) (kaiming_uniform with a = √5 gives
 *       exactly this bound for the weight);</li>
 *   <li>{@code nn.LSTM} ({@code rnn.lstm.*}): every weight and bias U(−1/√H, 1/√H), H = hidden size per
 *       direction;</li>
 *   <li>{@code nn.MultiheadAttention} (attention/gat adjacency): {@code in_proj_weight} xavier_uniform
 *       (bound √(6/(fan_in + fan_out)) with fan_in = D, fan_out = 3D), {@code in_proj_bias} and
 *       {@code out_proj.bias} zero, {@code out_proj.weight} as nn.Linear.</li>
 * </ul>
 * Draws come from {@link Random} seeded with the given seed, in the spec's tensor order (not torch's
 * generator, so values differ from a Python run with the same seed; the distributions are the same).
 */
public final class HeadInitializer {
    private HeadInitializer() {}

    /** Every non-encoder tensor of {@code spec}, initialised; keys in the spec's order. */
    public static Map<String, float[]> initialise(ArchitectureSpec spec, long seed) {
        Random rnd = new Random(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        Map<String, ArchitectureSpec.TensorSpec> all = spec.tensors();
        for (ArchitectureSpec.TensorSpec t : all.values()) {
            if (t.name().startsWith(ArchitectureSpec.ENCODER_PREFIX)) continue;
            long[] shape = t.shape();
            int n = 1;
            for (long d : shape) n = Math.multiplyExact(n, Math.toIntExact(d));
            float[] v = new float[n];
            double bound = bound(t.name(), shape, all);
            if (bound > 0) {
                for (int i = 0; i < n; i++) v[i] = (float) ((2 * rnd.nextDouble() - 1) * bound);
            }
            out.put(t.name(), v);
        }
        return out;
    }

    /** Half-width of the uniform distribution of a tensor; 0 for tensors torch sets to zero. */
    static double bound(String name, long[] shape, Map<String, ArchitectureSpec.TensorSpec> all) {
        if (name.startsWith("rnn.lstm.")) {
            // weight_hh_l{k}: [4H, H]; every LSTM tensor uses the same bound 1/sqrt(H).
            String hh = name.replaceFirst("\\.(weight_ih|weight_hh|bias_ih|bias_hh)_l", ".weight_hh_l");
            ArchitectureSpec.TensorSpec w = all.get(hh);
            if (w == null) throw new CheckpointException("no LSTM weight '" + hh + "' for '" + name + "'");
            return 1.0 / Math.sqrt(w.shape()[1]);
        }
        if (name.endsWith(".attn.in_proj_weight")) {
            return Math.sqrt(6.0 / (shape[0] + shape[1]));
        }
        if (name.endsWith(".attn.in_proj_bias") || name.endsWith(".attn.out_proj.bias")) return 0;
        if (name.endsWith(".weight") && shape.length == 2) return 1.0 / Math.sqrt(shape[1]);
        if (name.endsWith(".bias") && shape.length == 1) {
            String weight = name.substring(0, name.length() - ".bias".length()) + ".weight";
            ArchitectureSpec.TensorSpec w = all.get(weight);
            if (w == null || w.shape().length != 2) {
                throw new CheckpointException("cannot find the Linear weight '" + weight + "' of bias '" + name + "'");
            }
            return 1.0 / Math.sqrt(w.shape()[1]);
        }
        throw new CheckpointException("no initialisation rule for head tensor '" + name + "' of rank " + shape.length);
    }
}
