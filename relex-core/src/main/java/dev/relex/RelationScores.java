package dev.relex;

import java.util.List;

/**
 * Result of {@link RelexModel#scoreRelations}: for each scored pair, the probability of every relation
 * label (sigmoid of the relation logit), in the order of {@link #relationLabels()} (the de-duplicated
 * labels of the prompt).
 */
public record RelationScores(List<GivenEntity> entities, List<String> relationLabels, List<PairScore> pairs) {
    /** Probabilities for one (head, tail) pair; indices into {@link #entities()}. */
    public record PairScore(int head, int tail, float[] probabilities) {
        /** Index of the most probable relation label, or -1 without labels. */
        public int best() {
            int b = -1;
            for (int k = 0; k < probabilities.length; k++) if (b < 0 || probabilities[k] > probabilities[b]) b = k;
            return b;
        }
    }
}
