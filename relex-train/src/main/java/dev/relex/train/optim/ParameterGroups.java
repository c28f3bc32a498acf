package dev.relex.train.optim;

import dev.relex.engine.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The reference trainer's parameter groups (gliner trainer.py:227-300).
 *
 * <ul>
 *   <li><b>decay</b> parameters: name does not contain "bias" and the parameter does not belong to a
 *       LayerNorm module (HF {@code get_parameter_names(model, [nn.LayerNorm])});</li>
 *   <li><b>encoder</b> parameters: name contains {@code token_rep_layer} — this includes GLiNER's
 *       Denc→D projection {@code token_rep_layer.projection.*} (golden README difference 11);</li>
 *   <li>with {@code othersLr} set: four groups in this order — [non-encoder decay: othersLr,
 *       othersWeightDecay], [non-encoder no-decay: othersLr, 0], [encoder decay: lr, wd],
 *       [encoder no-decay: lr, 0]; without it two groups — [decay: lr, wd], [no-decay: lr, 0].</li>
 * </ul>
 * Parameters that are not trainable (torch {@code requires_grad = False}, e.g. a frozen encoder) are in
 * no group. Empty groups are kept (torch keeps them too) so group indices stay fixed.
 */
public final class ParameterGroups {
    private ParameterGroups() {}

    /** Groups by the reference rules, LayerNorm membership by {@link #isLayerNormParameter(String)}. */
    public static List<ParamGroup> reference(List<Parameter> parameters, double learningRate, double weightDecay,
                                             Double othersLr, double othersWeightDecay, Predicate<Parameter> trainable) {
        return reference(parameters, learningRate, weightDecay, othersLr, othersWeightDecay, trainable,
                p -> isLayerNormParameter(p.name()));
    }

    /**
     * Groups by the reference rules.
     *
     * @param trainable   false for frozen parameters (left out of every group)
     * @param inLayerNorm whether a parameter belongs to a LayerNorm module (never decayed)
     */
    public static List<ParamGroup> reference(List<Parameter> parameters, double learningRate, double weightDecay,
                                             Double othersLr, double othersWeightDecay, Predicate<Parameter> trainable,
                                             Predicate<Parameter> inLayerNorm) {
        List<Parameter> othersDecay = new ArrayList<>(), othersNoDecay = new ArrayList<>();
        List<Parameter> encDecay = new ArrayList<>(), encNoDecay = new ArrayList<>();
        for (Parameter p : parameters) {
            if (!trainable.test(p)) continue;
            boolean decay = !p.name().contains("bias") && !inLayerNorm.test(p);
            boolean encoder = othersLr != null && isEncoderParameter(p.name());
            (encoder ? (decay ? encDecay : encNoDecay) : (decay ? othersDecay : othersNoDecay)).add(p);
        }
        if (othersLr == null) {
            return List.of(new ParamGroup("decay", learningRate, weightDecay, othersDecay),
                    new ParamGroup("no-decay", learningRate, 0.0, othersNoDecay));
        }
        return List.of(new ParamGroup("others/decay", othersLr, othersWeightDecay, othersDecay),
                new ParamGroup("others/no-decay", othersLr, 0.0, othersNoDecay),
                new ParamGroup("encoder/decay", learningRate, weightDecay, encDecay),
                new ParamGroup("encoder/no-decay", learningRate, 0.0, encNoDecay));
    }

    /** The reference's encoder rule: the name contains {@code token_rep_layer}. */
    public static boolean isEncoderParameter(String name) {
        return name.contains("token_rep_layer");
    }

    /**
     * Whether a parameter belongs to a LayerNorm module, judged from its torch name (we have no module
     * tree): the module name (everything before the last dot) ends in a segment that, lower-cased, ends
     * with "layernorm" or "layer_norm" or "norm", or is "ln"/starts with "ln_". This covers HF's
     * {@code LayerNorm} (BERT, DeBERTa: also the encoder-level {@code encoder.LayerNorm} of the relative
     * embeddings) and the usual {@code norm}, {@code final_norm}, {@code ln_f} spellings. A model whose
     * LayerNorm modules are named otherwise must pass its own predicate.
     */
    public static boolean isLayerNormParameter(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) return false;
        String module = name.substring(0, dot);
        String last = module.substring(module.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return last.endsWith("norm") || last.equals("ln") || last.startsWith("ln_");
    }
}
