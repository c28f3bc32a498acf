package dev.relex.train.loss;

/**
 * The four loss components of GLiNER-Relex for <b>one example</b>, on plain row-major arrays. Each returns
 * the example's masked element-loss <em>sum</em> (in double) and writes {@code gradScale · d(sum)/d(input)}
 * into {@code grad} (every element of the input block is written; masked ones get 0). Pass
 * {@code gradScale = coefficient / denominator} for a "mean" reduction (see {@link RelexLoss}, which does
 * this bookkeeping); the reductions are batch-level, so the division happens outside.
 *
 * <p>Per example every element of the block is valid except, for the span loss, the spans that run past
 * the text (start + width ≥ words); class padding, word padding and candidate padding of the reference's
 * batch tensors do not exist here.
 */
public final class ComponentLosses {
    private ComponentLosses() {}

    /**
     * Span (markerV0) entity loss, reference base.py:490-557. {@code logits} and {@code targets} are
     * (words·maxWidth, classes) with flat span index start·maxWidth + (end − start).
     */
    public static double span(float[] logits, int logitsOff, float[] targets, int targetsOff, int words, int maxWidth,
                              int classes, FocalParams params, NegativeMasking masking, float[] grad, int gradOff,
                              double gradScale) {
        int rows = words * maxWidth;
        boolean[] keep = masking == null ? null : masking.keepMask(targets, targetsOff, rows, classes);
        double sum = 0;
        for (int s = 0; s < words; s++) {
            for (int w = 0; w < maxWidth; w++) {
                int f = s * maxWidth + w;
                if (s + w < words) {
                    sum += FocalBce.block(logits, logitsOff + f * classes, targets, targetsOff + f * classes, classes,
                            keep, f * classes, params, false, grad, gradOff + f * classes, gradScale);
                } else if (grad != null) {
                    java.util.Arrays.fill(grad, gradOff + f * classes, gradOff + (f + 1) * classes, 0f);
                }
            }
        }
        return sum;
    }

    /**
     * Token-level entity loss, reference base.py:2650-2698: {@code logits}/{@code targets} (words, classes, 3)
     * = [start, end, inside]; every element counts; negative masking is never applied to this loss.
     */
    public static double token(float[] logits, int logitsOff, float[] targets, int targetsOff, int words, int classes,
                               FocalParams params, float[] grad, int gradOff, double gradScale) {
        return FocalBce.block(logits, logitsOff, targets, targetsOff, words * classes * 3, null, 0, params, false, grad,
                gradOff, gradScale);
    }

    /**
     * Adjacency loss, reference base.py:2497-2560: {@code probabilities} (the adjacency module's output, no
     * sigmoid) and {@code targets} are (candidates, candidates); all cells count, the diagonal included.
     */
    public static double adjacency(float[] probabilities, int off, float[] targets, int targetsOff, int candidates,
                                   FocalParams params, NegativeMasking masking, float[] grad, int gradOff,
                                   double gradScale) {
        int n = candidates * candidates;
        // the reference views the matrix as (E·E, 1): "label" = the whole matrix is one column, "span" = each cell
        boolean[] keep = masking == null ? null : masking.keepMask(targets, targetsOff, n, 1);
        return FocalBce.block(probabilities, off, targets, targetsOff, n, keep, 0, params, true, grad, gradOff, gradScale);
    }

    /** Relation loss, reference base.py:2562-2619: {@code logits}/{@code targets} (pairs, relation classes). */
    public static double relation(float[] logits, int off, float[] targets, int targetsOff, int pairs, int classes,
                                  FocalParams params, NegativeMasking masking, float[] grad, int gradOff,
                                  double gradScale) {
        boolean[] keep = masking == null ? null : masking.keepMask(targets, targetsOff, pairs, classes);
        return FocalBce.block(logits, off, targets, targetsOff, pairs * classes, keep, 0, params, false, grad, gradOff,
                gradScale);
    }
}
