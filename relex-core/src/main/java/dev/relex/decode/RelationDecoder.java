package dev.relex.decode;

import dev.relex.heads.HeadOutput;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Relation decoding (spec §4.4, {@code SpanRelexDecoder._decode_relations}). Each relation candidate
 * maps to the <em>first</em> decoded entity with the same word boundaries (candidates are chosen
 * before greedy search, so many have none and their pairs are dropped). Pairs are visited in order,
 * relation classes in ascending order; a relation is emitted when σ(logit) exceeds the threshold
 * (compared in double, as the reference compares {@code p.item()} with the Python float).
 * No sorting, no de-duplication.
 */
public final class RelationDecoder {
    private RelationDecoder() {}

    /**
     * @param out            head output with candidates, pairs and relation logits
     * @param entities       decoded entities, in output order (sorted by start)
     * @param threshold      relation threshold
     * @param relationLabels number of relation labels that have a name; classes beyond it are skipped
     */
    public static List<DecodedRelation> decode(HeadOutput out, List<DecodedEntity> entities, double threshold,
                                               int relationLabels) {
        int pairs = out.numPairs();
        int classes = out.numRelationLabels();
        if (pairs == 0 || classes == 0 || entities.isEmpty()) return List.of();
        int[] decodedIndexOfCandidate = candidateToEntity(out.candidateSpans(), entities);
        int[] pairIdx = out.pairs();
        float[] logits = out.relationLogits();
        if (logits.length != (long) pairs * classes) {
            throw new IllegalArgumentException("relation logits hold " + logits.length + " values, expected "
                    + pairs + "×" + classes);
        }
        int candidates = decodedIndexOfCandidate.length;
        int named = Math.min(classes, relationLabels);
        List<DecodedRelation> result = new ArrayList<>();
        for (int n = 0; n < pairs; n++) {
            int h = pairIdx[2 * n];
            int t = pairIdx[2 * n + 1];
            if (h < 0 || t < 0 || h >= candidates || t >= candidates) continue;
            int head = decodedIndexOfCandidate[h];
            int tail = decodedIndexOfCandidate[t];
            if (head < 0 || tail < 0) continue;
            for (int r = 0; r < named; r++) {
                float p = Probabilities.sigmoid(logits[n * classes + r]);
                if (Probabilities.aboveAsPython(p, threshold)) result.add(new DecodedRelation(head, r, tail, p));
            }
        }
        return result;
    }

    /** For each candidate, the index of the first entity with the same boundaries, or −1. */
    static int[] candidateToEntity(int[] candidateSpans, List<DecodedEntity> entities) {
        Map<Long, Integer> firstByBoundaries = new HashMap<>();
        for (int i = 0; i < entities.size(); i++) {
            DecodedEntity e = entities.get(i);
            firstByBoundaries.putIfAbsent(key(e.startWord(), e.endWord()), i);
        }
        int[] map = new int[candidateSpans.length / 2];
        for (int c = 0; c < map.length; c++) {
            Integer idx = firstByBoundaries.get(key(candidateSpans[2 * c], candidateSpans[2 * c + 1]));
            map[c] = idx == null ? -1 : idx;
        }
        return map;
    }

    private static long key(int start, int end) {
        return ((long) start << 32) | (end & 0xffffffffL);
    }
}
