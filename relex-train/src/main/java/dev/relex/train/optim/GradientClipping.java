package dev.relex.train.optim;

import dev.relex.engine.Parameter;

import java.util.List;
import java.util.function.Predicate;

/**
 * Global-norm gradient clipping as torch {@code clip_grad_norm_} (what the HF Trainer does before every
 * step, {@code max_grad_norm} default 1.0): the L2 norm of every parameter's gradient (in double, rounded to
 * float32 per tensor, as torch's per-tensor norms), the norm of those norms (float32), coefficient
 * {@code float(maxNorm) / (norm + 1e-6)} in float32, and — only when the coefficient is below 1 — every
 * gradient element multiplied by it (torch multiplies by the clamped coefficient 1.0 otherwise, which is
 * the identity). Parameters without a gradient are left out, as torch leaves out {@code grad = None}.
 */
public final class GradientClipping {
    private GradientClipping() {}

    /** Clips the gradients of {@code parameters} that {@link Parameter#hasGrad() have one}; returns the norm before clipping. */
    public static double clipGlobalNorm(List<Parameter> parameters, double maxNorm) {
        return clipGlobalNorm(parameters, maxNorm, Parameter::hasGrad);
    }

    /** Clips the gradients of the parameters for which {@code hasGradient} holds; returns the norm before clipping. */
    public static double clipGlobalNorm(List<Parameter> parameters, double maxNorm, Predicate<Parameter> hasGradient) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("max gradient norm must be > 0, found " + maxNorm);
        double sumOfSquaredNorms = 0;
        for (Parameter p : parameters) {
            if (!hasGradient.test(p)) continue;
            float[] g = p.grad();
            double ss = 0;
            for (int i = p.offset(), end = p.offset() + p.size(); i < end; i++) ss += (double) g[i] * g[i];
            float norm = (float) Math.sqrt(ss);
            sumOfSquaredNorms += (double) norm * norm;
        }
        float total = (float) Math.sqrt(sumOfSquaredNorms);
        float coef = (float) maxNorm / (total + 1e-6f);
        if (coef < 1f) {
            for (Parameter p : parameters) {
                if (!hasGradient.test(p)) continue;
                float[] g = p.grad();
                for (int i = p.offset(), end = p.offset() + p.size(); i < end; i++) g[i] *= coef;
            }
        }
        return total;
    }
}
