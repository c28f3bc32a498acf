package dev.relex.heads;

/**
 * What the heads compute for one text (spec §3.10, batch of one, no padding).
 *
 * @param spanLevel      true for markerV0 (logits [W, K, C]); false for token_level (logits [W, C, 3])
 * @param numWords       W = L text words
 * @param maxWidth       K (span model), 0 for the token model
 * @param numEntityLabels C
 * @param numRelationLabels R
 * @param entityLogits   raw entity logits, layout as above
 * @param candidateSpans [E * 2] (start word, end word inclusive) of the relation candidates, in order
 * @param pairs          [N * 2] candidate indices (head, tail) of the selected pairs, row-major order
 * @param relationLogits [N * R] raw relation logits
 */
public record HeadOutput(boolean spanLevel, int numWords, int maxWidth, int numEntityLabels, int numRelationLabels,
                         float[] entityLogits, int[] candidateSpans, int[] pairs, float[] relationLogits) {
    public int numCandidates() {
        return candidateSpans.length / 2;
    }

    public int numPairs() {
        return pairs.length / 2;
    }
}
