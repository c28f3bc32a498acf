package dev.relex.decode;

/**
 * Sigmoid probabilities and threshold comparisons with the reference's float32 semantics.
 *
 * <p>torch evaluates {@code sigmoid} on float32 tensors in float arithmetic ({@code 1 / (1 + exp(-x))}
 * with a float exp), and a comparison {@code probs > threshold} with a Python float casts the
 * threshold to float32 first. We do the same so that values at the rounding edge decide alike.
 */
public final class Probabilities {
    private Probabilities() {}

    /** σ(x) in float32, as torch computes it for a float32 tensor. */
    public static float sigmoid(float x) {
        float e = (float) Math.exp(-x);
        return 1f / (1f + e);
    }

    /** The threshold as torch sees it when comparing with a float32 tensor. */
    public static float threshold(double threshold) {
        return (float) threshold;
    }
}
