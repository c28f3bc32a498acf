package dev.relex.train.loss;

import java.util.Locale;

/**
 * How a loss component turns its element losses into one number (the reference's {@code loss_reduction}).
 * The denominators of {@link #MEAN} differ per component; see {@link LossDenominators}.
 */
public enum Reduction {
    /** Sum of the masked element losses (the gliner {@code TrainingArguments} default). */
    SUM,
    /** Sum divided by the component's batch-level count of valid units ({@link LossDenominators}). */
    MEAN;

    /** Parses {@code "sum"} / {@code "mean"} (case-insensitive), as written in the reference's arguments. */
    public static Reduction parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "sum" -> SUM;
            case "mean" -> MEAN;
            default -> throw new IllegalArgumentException("loss reduction must be \"sum\" or \"mean\", found \"" + s
                    + "\" (the reference warns and falls back to sum for any other value; we refuse it)");
        };
    }
}
