package dev.relex.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The reference's greedy span selection (spec §4.2, {@code BaseDecoder.greedy_search}): candidates
 * by descending score with a stable sort (ties keep generation order), each accepted unless it
 * conflicts with an already accepted one, then a stable sort by start word.
 */
public final class GreedySearch {
    private GreedySearch() {}

    /** Descending by score; equal scores compare equal so the stable sort keeps their order. */
    private static final Comparator<DecodedEntity> BY_SCORE_DESC = (a, b) ->
            a.score() > b.score() ? -1 : a.score() < b.score() ? 1 : 0;

    private static final Comparator<DecodedEntity> BY_START = Comparator.comparingInt(DecodedEntity::startWord);

    /**
     * @param candidates in generation order (not modified)
     * @param flatNer    true: overlapping spans conflict; false: only partial (crossing) overlaps conflict
     * @param multiLabel true: the same boundaries may carry several labels
     * @return accepted entities sorted by start word (stable)
     */
    public static List<DecodedEntity> select(List<DecodedEntity> candidates, boolean flatNer, boolean multiLabel) {
        List<DecodedEntity> byScore = new ArrayList<>(candidates);
        byScore.sort(BY_SCORE_DESC); // List.sort is a stable merge sort
        List<DecodedEntity> accepted = new ArrayList<>();
        for (DecodedEntity candidate : byScore) {
            boolean conflict = false;
            for (DecodedEntity kept : accepted) {
                if (conflicts(candidate, kept, flatNer, multiLabel)) {
                    conflict = true;
                    break;
                }
            }
            if (!conflict) accepted.add(candidate);
        }
        accepted.sort(BY_START);
        return accepted;
    }

    /** {@code has_overlapping} / {@code has_overlapping_nested} of the reference. */
    static boolean conflicts(DecodedEntity a, DecodedEntity b, boolean flatNer, boolean multiLabel) {
        if (a.sameBoundaries(b)) return !multiLabel;
        boolean disjoint = a.startWord() > b.endWord() || b.startWord() > a.endWord();
        if (disjoint) return false;
        if (flatNer) return true;
        boolean aContainsB = a.startWord() <= b.startWord() && a.endWord() >= b.endWord();
        boolean bContainsA = b.startWord() <= a.startWord() && b.endWord() >= a.endWord();
        return !(aContainsB || bContainsA);
    }
}
