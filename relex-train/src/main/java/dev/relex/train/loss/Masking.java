package dev.relex.train.loss;

import java.util.Locale;

/**
 * Negative sub-sampling strategy (reference {@code masking}, base.py {@code _loss}). Which elements are
 * <em>eligible</em> to be dropped differs; every eligible element is then kept with probability
 * {@code negatives} by its own Bernoulli draw (the reference draws per element for every strategy,
 * golden README difference 9).
 */
public enum Masking {
    /** No sub-sampling. */
    NONE,
    /** Eligible: every element whose (unsmoothed) target is 0. */
    GLOBAL,
    /** Eligible: every element of a class column that has no positive in the example. */
    LABEL,
    /** Eligible: every element of a row (span, pair, adjacency cell) that has no positive. */
    SPAN;

    public static Masking parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "global" -> GLOBAL;
            case "label" -> LABEL;
            case "span" -> SPAN;
            default -> throw new IllegalArgumentException("masking must be one of none, global, label, span; found \""
                    + s + "\"");
        };
    }
}
