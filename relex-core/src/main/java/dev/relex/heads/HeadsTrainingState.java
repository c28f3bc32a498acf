package dev.relex.heads;

/**
 * The activation state of one {@link RelexHeads#forwardTraining} call: the outputs (entity logits,
 * adjacency probabilities, relation logits) and everything {@link RelexHeads#backward} needs. Owned by the
 * caller (one per example or per worker), reused across steps; its buffers only grow, so a warm state
 * allocates nothing. Not thread-safe: one call at a time.
 *
 * <p>Dropout is off by default (the golden training data was made with p = 0); {@link #dropout} switches
 * it on for the following forward calls with a seed, so a step is reproducible.
 */
public final class HeadsTrainingState {
    final Dropout dropout = new Dropout();

    // Sizes of the latest forward.
    int tokens, rows, words, classes, relations, candidates, pairs;
    boolean spanLevel;
    int maxWidth;

    // Gathered rows [entity markers | relation markers | words]: token index (−1 none), raw states, projected.
    int[] source;
    float[] raw, projected;
    final Mlp.State promptMlp = new Mlp.State();
    float[] prompts;
    final BiLstm.State lstm = new BiLstm.State();
    int[] spanList;
    final SpanMarker.State marker = new SpanMarker.State();
    final TokenScorer.State scorer = new TokenScorer.State();
    float[] entityLogits;
    int[] candidateSpans;
    int[] candidateRows;
    float[] candidateReps;
    final Adjacency.State adjacencyState = new Adjacency.State();
    float[] adjacency;
    int[] pairList;
    float[] pairHeadPart, pairTailPart, pairHidden, pairReps;
    float[] relationLogits;

    // Backward buffers.
    float[] dProjected, dRaw, dPrompts, dWords, dSpanReps, dCandidates, dCandidatesAdj, dPairReps, dPairHidden,
            dPairHead, dPairTail;

    public HeadsTrainingState() {
        dropout.reset(0, 0);
    }

    /**
     * Dropout probability p of the heads' projection blocks (0 = off; a model's configured value is
     * {@link RelexHeads#configuredDropout()}) for the following forward calls, and the seed of its random
     * stream, restarted now.
     */
    public HeadsTrainingState dropout(double p, long seed) {
        dropout.reset(p, seed);
        return this;
    }

    /** Entity logits of the latest forward: span model [W, K, C] (every flat span), token model [W, C, 3]. */
    public float[] entityLogits() {
        return entityLogits;
    }

    /** Number of values of {@link #entityLogits()} that belong to the latest forward. */
    public int entityLogitCount() {
        return spanLevel ? words * maxWidth * classes : words * classes * 3;
    }

    /** Adjacency probabilities [E, E] of the latest forward (first E·E values), or null for "none". */
    public float[] adjacency() {
        return adjacency;
    }

    /** Relation logits [N, R] of the latest forward (first N·R values). */
    public float[] relationLogits() {
        return relationLogits;
    }

    public int numWords() {
        return words;
    }

    public int numClasses() {
        return classes;
    }

    public int numRelations() {
        return relations;
    }

    public int numCandidates() {
        return candidates;
    }

    public int numPairs() {
        return pairs;
    }

    /** Tokens T of the latest forward's input: the rows of the encoder-state gradient backward writes. */
    public int numTokens() {
        return tokens;
    }
}
