package dev.relex.decode;

/**
 * Sigmoid probabilities and threshold comparisons with the reference's float32 semantics.
 *
 * <p>torch evaluates {@code sigmoid} on float32 tensors in float arithmetic, so we compute
 * {@code 1 / (1 + exp(-x))} in float too (the exponential may differ from torch's vectorised one by an
 * ulp, far below the golden tolerance of 1e-5). Two kinds of comparison occur in the reference:
 * <ul>
 *   <li>tensor comparisons ({@code probs > threshold}, entity and token decoding): the Python float
 *       threshold is cast to float32 first – {@link #tensorThreshold};</li>
 *   <li>Python comparisons of {@code p.item()} with the threshold (relation decoding): both are
 *       doubles, the probability being the exact float32 value – {@link #aboveAsPython}.</li>
 * </ul>
 */
public final class Probabilities {
    private Probabilities() {}

    /** σ(x) in float32, as torch computes it for a float32 tensor. */
    public static float sigmoid(float x) {
        float e = (float) Math.exp(-x);
        return 1f / (1f + e);
    }

    /** The threshold as torch sees it when comparing with a float32 tensor. */
    public static float tensorThreshold(double threshold) {
        return (float) threshold;
    }

    /** {@code p.item() > threshold} in Python: float32 probability widened to double, double threshold. */
    public static boolean aboveAsPython(float p, double threshold) {
        return (double) p > threshold;
    }
}
