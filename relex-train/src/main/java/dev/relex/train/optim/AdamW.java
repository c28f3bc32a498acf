package dev.relex.train.optim;

import dev.relex.engine.Parameter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * AdamW as torch's single-tensor path computes it ({@code torch.optim.AdamW}, {@code _single_tensor_adam}
 * with decoupled weight decay; amsgrad, maximize, foreach and fused off — what the reference trainer uses
 * on CPU). Per parameter with a gradient, at its own step count t (1, 2, …):
 * <pre>
 *   p ← p · float(1 − lr·wd)                      (skipped when wd = 0)
 *   m ← m + float(1 − β1)·(g − m)                 (torch lerp; fused multiply-add as its vector kernel)
 *   v ← v·float(β2) + float(1 − β2)·g·g
 *   denom = sqrt(v) / float(sqrt(1 − β2^t)) + float(eps)
 *   p ← p + float(−lr / (1 − β1^t)) · m / denom
 * </pre>
 * with every array operation in float32 and the scalars computed in double and rounded once, in that
 * order, as torch does. At t = 1 this is the golden README's formula.
 *
 * <p><b>Lifecycle</b> (like Tribuo's {@code StochasticGradientOptimiser}): construct over the parameter
 * groups (the moments are allocated on a parameter's first update, as torch allocates its state lazily);
 * per optimisation step the caller fills the gradients (summing micro-batches for gradient accumulation —
 * the reference divides each micro-batch loss by the number of accumulation steps before backward, so pass
 * that factor to the loss as its upstream scale; this optimizer applies the gradients as they are), then
 * optionally {@link GradientClipping#clipGlobalNorm clips}, calls {@link #step(double)} with the schedule's
 * learning-rate factor, and {@link #zeroGrad()}. {@link #exportState()} / {@link #importState} carry
 * everything needed to resume bit for bit.
 *
 * <p>Parameters without a gradient are skipped entirely (no decay, no moment update, their step count does
 * not advance): by default "without a gradient" means {@link Parameter#hasGrad()} is false; a trainer that
 * reuses gradient arrays across steps passes its own predicate to {@link #step(double, Predicate)} for
 * parameters the loss did not reach this step (torch's {@code grad is None}). After updating a parameter the
 * optimizer calls {@link Parameter#valuesChanged()}; the owning model must then rebuild its own derived
 * forms. Updates run in a fixed order (groups, then parameters, then elements), so results are bitwise
 * reproducible. Not thread-safe.
 */
public final class AdamW {
    private final List<ParamGroup> groups;
    private final double beta1, beta2, eps;
    private final Map<Parameter, ParamState> state = new IdentityHashMap<>();
    private long steps;

    /** Per-parameter state: its step count and the two moments (null before its first update). */
    static final class ParamState {
        long step;
        float[] expAvg, expAvgSq;
    }

    /** With torch's defaults β = (0.9, 0.999), eps 1e-8 (HF {@code adam_beta1/2}, {@code adam_epsilon}). */
    public AdamW(List<ParamGroup> groups) {
        this(groups, 0.9, 0.999, 1e-8);
    }

    public AdamW(List<ParamGroup> groups, double beta1, double beta2, double eps) {
        this.groups = List.copyOf(groups);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), found (" + beta1 + ", " + beta2 + ")");
        }
        if (!(eps >= 0)) throw new IllegalArgumentException("eps must be ≥ 0, found " + eps);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        Set<String> names = new HashSet<>();
        Set<Parameter> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : this.groups) {
            for (Parameter p : g.parameters()) {
                if (!seen.add(p) || !names.add(p.name())) {
                    throw new IllegalArgumentException("parameter " + p.name() + " appears in more than one group");
                }
            }
        }
    }

    public List<ParamGroup> groups() {
        return groups;
    }

    /** Every parameter of every group, in update order. */
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        for (ParamGroup g : groups) out.addAll(g.parameters());
        return out;
    }

    /** Number of {@link #step} calls so far (what a schedule is indexed by). */
    public long steps() {
        return steps;
    }

    /** One update of every parameter that {@link Parameter#hasGrad() has a gradient}; lr = group lr × factor. */
    public void step(double learningRateFactor) {
        step(learningRateFactor, Parameter::hasGrad);
    }

    /** One update of every parameter for which {@code hasGradient} holds; lr = group lr × factor. */
    public void step(double learningRateFactor, Predicate<Parameter> hasGradient) {
        if (!(learningRateFactor >= 0)) throw new IllegalArgumentException("learning-rate factor must be ≥ 0, found " + learningRateFactor);
        final float oneMinusBeta1 = (float) (1 - beta1);
        final float beta2f = (float) beta2;
        final float oneMinusBeta2 = (float) (1 - beta2);
        final float epsf = (float) eps;
        for (ParamGroup group : groups) {
            double lr = group.learningRate() * learningRateFactor;
            double wd = group.weightDecay();
            for (Parameter p : group.parameters()) {
                if (!hasGradient.test(p)) continue;
                ParamState s = state.computeIfAbsent(p, k -> new ParamState());
                int n = p.size();
                if (s.expAvg == null) {
                    s.expAvg = new float[n];
                    s.expAvgSq = new float[n];
                }
                s.step++;
                float[] data = p.data(), grad = p.grad(), m = s.expAvg, v = s.expAvgSq;
                int off = p.offset();
                if (wd != 0) {
                    float decay = (float) (1 - lr * wd);
                    for (int i = 0; i < n; i++) data[off + i] *= decay;
                }
                double bc1 = 1 - Math.pow(beta1, s.step);
                double bc2 = 1 - Math.pow(beta2, s.step);
                float stepSize = (float) -(lr / bc1);
                float bc2Sqrt = (float) Math.sqrt(bc2);
                for (int i = 0; i < n; i++) {
                    float g = grad[off + i];
                    float mi = Math.fma(oneMinusBeta1, g - m[i], m[i]);
                    float vi = v[i] * beta2f;
                    vi = vi + oneMinusBeta2 * g * g;
                    m[i] = mi;
                    v[i] = vi;
                    float denom = (float) Math.sqrt(vi) / bc2Sqrt + epsf;
                    data[off + i] = data[off + i] + stepSize * mi / denom;
                }
                p.valuesChanged();
            }
        }
        steps++;
    }

    /** Sets the gradient view of every parameter in the groups to zero. */
    public void zeroGrad() {
        for (ParamGroup g : groups) for (Parameter p : g.parameters()) p.zeroGrad();
    }

    /** A deep copy of the state: the step count and, per updated parameter, its step and both moments. */
    public OptimizerState exportState() {
        Map<String, OptimizerState.Moments> out = new LinkedHashMap<>();
        for (Parameter p : parameters()) {
            ParamState s = state.get(p);
            if (s == null || s.expAvg == null) continue;
            out.put(p.name(), new OptimizerState.Moments(p.shape(), s.step, s.expAvg.clone(), s.expAvgSq.clone()));
        }
        return new OptimizerState(steps, out);
    }

    /**
     * Replaces the state with {@code saved} (copied). Every saved entry must name a parameter of the groups
     * with the same shape; parameters absent from {@code saved} start fresh, as torch does.
     */
    public void importState(OptimizerState saved) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Parameter p : parameters()) byName.put(p.name(), p);
        Map<Parameter, ParamState> next = new IdentityHashMap<>();
        for (Map.Entry<String, OptimizerState.Moments> e : saved.moments().entrySet()) {
            Parameter p = byName.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("optimizer state has moments for " + e.getKey()
                        + ", which is not in any parameter group");
            }
            OptimizerState.Moments mo = e.getValue();
            if (!java.util.Arrays.equals(mo.shape(), p.shape())) {
                throw new IllegalArgumentException("optimizer state for " + e.getKey() + " has shape "
                        + java.util.Arrays.toString(mo.shape()) + ", the parameter " + java.util.Arrays.toString(p.shape()));
            }
            ParamState s = new ParamState();
            s.step = mo.step();
            s.expAvg = mo.expAvg().clone();
            s.expAvgSq = mo.expAvgSq().clone();
            next.put(p, s);
        }
        state.clear();
        state.putAll(next);
        steps = saved.steps();
    }
}
