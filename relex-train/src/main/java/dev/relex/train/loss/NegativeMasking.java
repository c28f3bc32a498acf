package dev.relex.train.loss;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Negative sub-sampling (reference {@code _loss} with {@code negatives} and {@code masking}): decides per
 * element whether its loss is kept. With {@code negatives ≥ 1} or {@link Masking#NONE} everything is kept
 * and no random number is drawn (the reference draws {@code torch.rand_like} anyway, without effect).
 * Otherwise exactly one {@code nextDouble()} is drawn per element of the block, in row-major order
 * (eligible or not, so the stream position depends only on the block sizes), and an eligible element is
 * kept iff its draw is {@code < negatives}. torch's {@code rand_like} cannot be replayed, so only the
 * distribution matches the reference, not the draws.
 *
 * <p>Holds a grow-only scratch mask; not thread-safe (one instance per training thread).
 */
public final class NegativeMasking {
    private final Masking strategy;
    private final double negatives;
    private final RandomGenerator rng;
    private boolean[] keep = new boolean[0];
    private boolean[] columns = new boolean[0];

    /** @param rng the source of the Bernoulli draws; may be null only if sub-sampling is inactive */
    public NegativeMasking(Masking strategy, double negatives, RandomGenerator rng) {
        this.strategy = strategy;
        this.negatives = negatives;
        this.rng = rng;
        if (!(negatives >= 0)) throw new IllegalArgumentException("negatives must be ≥ 0, found " + negatives);
        if (active() && rng == null) {
            throw new IllegalArgumentException("negative sub-sampling (" + strategy + ", negatives " + negatives
                    + ") needs a random generator");
        }
    }

    /** Whether any element can be dropped. */
    public boolean active() {
        return strategy != Masking.NONE && negatives < 1;
    }

    /**
     * The keep mask of a row-major {@code rows × cols} block of targets (raw, unsmoothed), or null when
     * every element is kept. The returned array is scratch, valid until the next call.
     */
    public boolean[] keepMask(float[] targets, int off, int rows, int cols) {
        if (!active()) return null;
        int n = rows * cols;
        if (keep.length < n) keep = new boolean[n];
        boolean[] k = keep;
        switch (strategy) {
            case GLOBAL -> {
                for (int i = 0; i < n; i++) {
                    boolean drawKeep = rng.nextDouble() < negatives;
                    k[i] = targets[off + i] != 0f || drawKeep;
                }
            }
            case SPAN -> {
                for (int r = 0; r < rows; r++) {
                    boolean hasPositive = false;
                    for (int c = 0; c < cols; c++) hasPositive |= targets[off + r * cols + c] != 0f;
                    for (int c = 0; c < cols; c++) {
                        boolean drawKeep = rng.nextDouble() < negatives;
                        k[r * cols + c] = hasPositive || drawKeep;
                    }
                }
            }
            case LABEL -> {
                if (columns.length < cols) columns = new boolean[cols];
                boolean[] colHasPositive = columns;
                Arrays.fill(colHasPositive, 0, cols, false);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) colHasPositive[c] |= targets[off + r * cols + c] != 0f;
                }
                for (int i = 0; i < n; i++) {
                    boolean drawKeep = rng.nextDouble() < negatives;
                    k[i] = colHasPositive[i % cols] || drawKeep;
                }
            }
            default -> throw new IllegalStateException();
        }
        return k;
    }
}
