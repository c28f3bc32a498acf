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
 * @param pairAdjacency  [N] adjacency probability of each selected pair, or null when pairs were not
 *                       selected by an adjacency layer ("none", given pairs, or not recorded)
 */
public record HeadOutput(boolean spanLevel, int numWords, int maxWidth, int numEntityLabels, int numRelationLabels,
                         float[] entityLogits, int[] candidateSpans, int[] pairs, float[] relationLogits,
                         float[] pairAdjacency) {
    public HeadOutput(boolean spanLevel, int numWords, int maxWidth, int numEntityLabels, int numRelationLabels,
                      float[] entityLogits, int[] candidateSpans, int[] pairs, float[] relationLogits) {
        this(spanLevel, numWords, maxWidth, numEntityLabels, numRelationLabels, entityLogits, candidateSpans, pairs,
                relationLogits, null);
    }

    /**
     * The same output restricted to the pairs whose adjacency probability is above {@code threshold}
     * (strict, as the model compares); all pairs are kept when there is no adjacency (see
     * {@link #pairAdjacency()}). Used to apply several adjacency thresholds to one run of the heads made
     * with the lowest of them.
     */
    public HeadOutput withAdjacencyAbove(float threshold) {
        if (pairAdjacency == null) return this;
        int n = numPairs(), r = numRelationLabels;
        int kept = 0;
        for (int i = 0; i < n; i++) if (pairAdjacency[i] > threshold) kept++;
        if (kept == n) return this;
        int[] p = new int[2 * kept];
        float[] logits = new float[kept * r];
        float[] adj = new float[kept];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!(pairAdjacency[i] > threshold)) continue;
            p[2 * k] = pairs[2 * i];
            p[2 * k + 1] = pairs[2 * i + 1];
            System.arraycopy(relationLogits, i * r, logits, k * r, r);
            adj[k] = pairAdjacency[i];
            k++;
        }
        return new HeadOutput(spanLevel, numWords, maxWidth, numEntityLabels, r, entityLogits, candidateSpans, p, logits, adj);
    }
    public int numCandidates() {
        return candidateSpans.length / 2;
    }

    public int numPairs() {
        return pairs.length / 2;
    }
}
