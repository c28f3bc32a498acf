package dev.relex.train.loss;

/**
 * The element-wise focal BCE of the reference and its derivative, over a contiguous block of elements.
 *
 * <p>The intermediate quantities are formed in float32 exactly as torch forms them — smoothed target
 * {@code y(1−ε) + ε/2}, {@code p = σ(x)} (or the given probability), {@code pm = clamp(p − margin, 0, 1)},
 * {@code 1 − pm} — because the clamps {@code max(·, 1e-6)} and the rounding of {@code 1 − p} near p ≈ 1
 * decide the value (golden README: one adjacency probability is exactly 1.0 in float32, its term is
 * −log(1e-6) with zero gradient). Logarithms, powers, products and the sum are then evaluated in double,
 * which is the reference's float64 recomputation from the float32 intermediates and agrees with its float32
 * loss to ~2e-7 relative. The gradient follows torch's autograd rules: a clamp passes the gradient where its
 * input lies inside the bounds (bounds included) and blocks it where it is active; targets carry none.
 */
public final class FocalBce {
    /** The clamp floor of both logarithms (torch {@code eps=1e-6}, as float32). */
    public static final float EPS = 1e-6f;

    private FocalBce() {}

    /**
     * Σ over {@code i < n} with {@code keep[keepOff + i]} (all when {@code keep} is null) of ℓ(x_i, y_i), in
     * double; writes {@code grad[gradOff + i] = gradScale · dℓ/dx_i} (0 for elements not kept). {@code grad}
     * may be null (value only).
     *
     * @param isProbability true if {@code x} already holds probabilities (adjacency loss: no sigmoid)
     */
    public static double block(float[] x, int xOff, float[] y, int yOff, int n, boolean[] keep, int keepOff,
                               FocalParams params, boolean isProbability, float[] grad, int gradOff, double gradScale) {
        final float smoothKeep = (float) (1 - params.labelSmoothing());
        final float smoothAdd = (float) (0.5 * params.labelSmoothing());
        final boolean smooth = params.labelSmoothing() != 0;
        final float margin = (float) params.probMargin();
        final double gamma = params.gamma();
        final double alpha = params.alpha();
        final boolean focal = gamma > 0;
        final boolean balanced = alpha >= 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (keep != null && !keep[keepOff + i]) {
                if (grad != null) grad[gradOff + i] = 0f;
                continue;
            }
            float xi = x[xOff + i];
            float ys = y[yOff + i];
            if (smooth) ys = ys * smoothKeep + smoothAdd;
            float p = isProbability ? xi : sigmoid(xi);
            float shifted = p - margin;
            float pm = Math.min(Math.max(shifted, 0f), 1f);
            float q = 1f - pm;
            float oneMinusY = 1f - ys;
            boolean posOpen = p >= EPS;      // clamp(min=eps) passes the gradient where p ≥ eps
            boolean negOpen = q >= EPS;
            double logP = Math.log(posOpen ? p : EPS);
            double logQ = Math.log(negOpen ? q : EPS);
            double l0 = -(double) ys * logP - (double) oneMinusY * logQ;
            double w = 1, dwdp = 0;
            double dpmdp = (shifted >= 0f && shifted <= 1f) ? 1 : 0;
            if (focal) {
                double pt = (double) p * ys + (double) q * oneMinusY;
                double base = 1 - pt;
                w = Math.pow(base, gamma);
                double dptdp = ys - dpmdp * oneMinusY;
                // at base = 0 (p_t exactly 1) the power's slope is 0 for γ > 1, 1 for γ = 1 and unbounded
                // for γ < 1 (torch yields inf/NaN there); we use 0 for γ < 1 rather than poison the step
                double slope = base > 0 ? Math.pow(base, gamma - 1) : (gamma == 1 ? 1 : 0);
                dwdp = -gamma * slope * dptdp;
            }
            double at = balanced ? alpha * ys + (1 - alpha) * oneMinusY : 1;
            sum += at * l0 * w;
            if (grad != null) {
                double dl0dp = (posOpen ? -ys / (double) p : 0) + (negOpen ? oneMinusY / (double) q * dpmdp : 0);
                double dldp = at * (dl0dp * w + l0 * dwdp);
                double dldx = isProbability ? dldp : dldp * p * (1.0 - p);
                grad[gradOff + i] = (float) (gradScale * dldx);
            }
        }
        return sum;
    }

    /** Logistic sigmoid rounded to float32 (torch computes it in float32; this is within an ulp of it). */
    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }
}
