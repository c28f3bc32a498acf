package dev.relex.train.optim;

import dev.relex.engine.Parameter;

import java.util.List;

/**
 * Parameters that share a base learning rate and a weight decay (a torch {@code param_group}).
 *
 * @param label        what the group holds, for logs and errors (e.g. "others/decay")
 * @param learningRate base learning rate, multiplied by the schedule's factor at every step
 * @param weightDecay  decoupled weight decay (AdamW): p ← p·(1 − lr·wd) before the Adam update
 * @param parameters   in update order
 */
public record ParamGroup(String label, double learningRate, double weightDecay, List<Parameter> parameters) {
    public ParamGroup {
        parameters = List.copyOf(parameters);
        if (!(learningRate >= 0)) throw new IllegalArgumentException(label + ": learning rate must be ≥ 0, found " + learningRate);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException(label + ": weight decay must be ≥ 0, found " + weightDecay);
    }

    /** The torch names of the parameters, in order. */
    public List<String> names() {
        return parameters.stream().map(Parameter::name).toList();
    }
}
