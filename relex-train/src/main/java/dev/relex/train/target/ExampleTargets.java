package dev.relex.train.target;

import dev.relex.data.EntityMention;
import dev.relex.data.RelationMention;

import java.util.List;

/**
 * Everything one training example contributes to the losses, unpadded (the trainer processes examples one
 * at a time). Arrays are row-major and shared, not copied: treat them as read-only.
 *
 * <p><b>Entity targets.</b> Span head: {@code entityTargets} is (words·maxWidth, C) multi-hot with flat
 * span index f = start·maxWidth + (end − start); spans with start + width ≥ words are invalid
 * ({@link #spanValid(int)}), their targets are 0 and the loss ignores them. Token head: (words, C, 3) =
 * [start word, end word, inside (start..end inclusive)] per class. Class column c is class id c + 1, the
 * (c+1)-th label of {@link #entityLabels()} (prompt order).
 *
 * <p><b>Relation candidates</b> are the gold entities (training uses gold spans, not predicted ones), in
 * (start, end) order, with compact indices 0..E−1: span head = the distinct labelled spans (a span with any
 * target 1, which is what the reference model selects with {@code labels.max(-1) == 1}); token head = every
 * entity whose label is in the label set (no width limit; two entities on one span are two candidates, as
 * in the reference). {@link #entityCandidates()} maps each entity of {@link #entities()} to its candidate,
 * or −1.
 *
 * <p><b>Pairs</b> are sorted lexicographically; {@code adjacencyTarget} (E, E) is 1 at every pair (positive
 * or negative) and null in all-pairs mode ({@code relations_layer "none"}); {@code relationTargets}
 * (pairs, R) is multi-hot for positive pairs, in pair order, column r = relation class id r + 1.
 *
 * @param id               the example's id
 * @param words            words after truncation to max_len
 * @param entities         entities sorted by (start, end) (stable), after augmentation
 * @param relations        relations re-indexed into {@code entities}, sorted by (head, tail) (stable)
 * @param entityLabels     entity label set, prompt order
 * @param relationLabels   relation label set, prompt order
 * @param maxWidth         K of the span head (0 for the token head)
 * @param entityTargets    see above
 * @param candidateStarts  first word of each candidate
 * @param candidateEnds    last word (inclusive) of each candidate
 * @param entityCandidates per entity, its candidate index or −1
 * @param pairs            sorted pairs
 * @param pairPositive     per pair, whether it is annotated
 * @param adjacencyTarget  (E, E) or null in all-pairs mode
 * @param relationTargets  (pairs, R)
 * @param negativeRatio    the pair sampler's draw u, NaN if none
 * @param notes            annotations the targets could not represent (reported, not fatal), e.g. a relation
 *                         whose argument is not a candidate
 */
public record ExampleTargets(String id, int words, List<EntityMention> entities, List<RelationMention> relations,
                             List<String> entityLabels, List<String> relationLabels, int maxWidth,
                             float[] entityTargets, int[] candidateStarts, int[] candidateEnds,
                             int[] entityCandidates, List<CandidatePair> pairs, boolean[] pairPositive,
                             float[] adjacencyTarget, float[] relationTargets, double negativeRatio,
                             List<String> notes) {

    public ExampleTargets {
        entities = List.copyOf(entities);
        relations = List.copyOf(relations);
        entityLabels = List.copyOf(entityLabels);
        relationLabels = List.copyOf(relationLabels);
        pairs = List.copyOf(pairs);
        notes = List.copyOf(notes);
    }

    /** C: number of entity classes (prompt labels). */
    public int entityClasses() {
        return entityLabels.size();
    }

    /** R: number of relation classes. */
    public int relationClasses() {
        return relationLabels.size();
    }

    /** E: number of relation candidates. */
    public int candidates() {
        return candidateStarts.length;
    }

    public int pairCount() {
        return pairs.size();
    }

    public boolean tokenHead() {
        return maxWidth == 0;
    }

    /** Span head: whether flat span f lies inside the text. */
    public boolean spanValid(int f) {
        return f / maxWidth + f % maxWidth < words;
    }

    /** Span head: number of valid spans (the unit of the span loss's "mean"). */
    public int validSpans() {
        if (tokenHead()) return 0;
        int n = 0;
        for (int s = 0; s < words; s++) n += Math.min(maxWidth, words - s);
        return n;
    }
}
