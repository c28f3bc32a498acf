package dev.relex.train.loss;

/**
 * Parameters of the element-wise focal binary cross-entropy (reference
 * {@code focal_loss_with_logits}, golden training README "Losses").
 *
 * @param alpha          class balance weight α; negative (the reference's −1) disables it
 * @param gamma          focusing exponent γ; 0 disables the modulation
 * @param labelSmoothing ε: targets become y(1−ε) + ε/2 (no gradient through targets)
 * @param probMargin     margin subtracted from p in the negative term: pm = clamp(p − margin, 0, 1)
 */
public record FocalParams(double alpha, double gamma, double labelSmoothing, double probMargin) {
    /** Plain BCE: α −1, γ 0, no smoothing, no margin (the reference trainer's defaults). */
    public static final FocalParams PLAIN = new FocalParams(-1, 0, 0, 0);

    public FocalParams {
        if (!Double.isFinite(alpha) || alpha > 1) throw new IllegalArgumentException("focal alpha must be ≤ 1 (or < 0 to disable), found " + alpha);
        if (!(gamma >= 0) || !Double.isFinite(gamma)) throw new IllegalArgumentException("focal gamma must be ≥ 0, found " + gamma);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new IllegalArgumentException("label smoothing must be in [0, 1], found " + labelSmoothing);
        if (!(probMargin >= 0 && probMargin <= 1)) throw new IllegalArgumentException("probability margin must be in [0, 1], found " + probMargin);
    }
}
