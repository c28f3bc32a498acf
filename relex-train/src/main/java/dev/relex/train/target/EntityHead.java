package dev.relex.train.target;

/** Which entity head the targets are for (gliner_config {@code span_mode}). */
public enum EntityHead {
    /** {@code markerV0}: multi-hot labels over every (start, width) span, width < max_width. */
    SPAN,
    /** {@code token_level}: [start, end, inside] labels per word and class. */
    TOKEN
}
