package dev.relex.eval.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Text-level relation scores (spec §6.2): a triple is (head text, relation, tail text) compared after
 * {@link TextNormalizer#normalize}; entity types and positions are ignored. A gold entity may have several
 * surface forms (DocRED aliases = the mentions of its cluster); a prediction matches it if its text
 * equals any of them after normalisation.
 *
 * <p>Per text: predictions with the same normalised (head, relation, tail) count once (the highest score is
 * kept); gold triples with the same normalised alias sets and relation count once. Optionally only the
 * {@code maxLabelsPerPair} highest-scoring relations per (head, tail) are kept (the harness uses 3; 0 = no
 * limit). Matching is greedy and one-to-one: predictions in descending score order (ties: head, relation,
 * tail, lexicographically) each take the first still unmatched gold triple (gold order) they match.
 * Per-label counts use the relation label; micro sums, macro averages per-label F1 over the labels in gold or
 * predictions.
 */
public final class TextTripleMetrics {
    /** A predicted triple with raw texts. */
    public record Predicted(String head, String relation, String tail, double score) {}

    /** A gold triple; each side lists every surface form (at least one). */
    public record Gold(List<String> headAliases, String relation, List<String> tailAliases) {
        public Gold {
            headAliases = List.copyOf(headAliases);
            tailAliases = List.copyOf(tailAliases);
            if (headAliases.isEmpty() || tailAliases.isEmpty()) throw new IllegalArgumentException("gold triple without a surface form");
        }

        public static Gold of(String head, String relation, String tail) {
            return new Gold(List.of(head), relation, List.of(tail));
        }
    }

    private final TypedScores.Builder scores = new TypedScores.Builder();
    private final int maxLabelsPerPair;

    public TextTripleMetrics() {
        this(0);
    }

    public TextTripleMetrics(int maxLabelsPerPair) {
        if (maxLabelsPerPair < 0) throw new IllegalArgumentException("maxLabelsPerPair must be >= 0");
        this.maxLabelsPerPair = maxLabelsPerPair;
    }

    private record Key(String head, String relation, String tail) {}

    private record NormGold(Set<String> heads, String relation, Set<String> tails) {}

    /** One kept prediction after de-duplication, in matching order, and whether it matched a gold triple. */
    public record Match(String head, String relation, String tail, double score, boolean correct) {}

    /** Adds one text (or document). */
    public TextTripleMetrics add(List<Gold> gold, List<Predicted> predicted) {
        for (String relation : goldRelations(gold)) scores.add(relation, 0, 0, 1);
        for (Match m : match(gold, predicted)) scores.add(m.relation(), m.correct() ? 1 : 0, 1, 0);
        return this;
    }

    /** The relation of every distinct gold triple (after normalisation), in gold order. */
    public static List<String> goldRelations(List<Gold> gold) {
        List<String> out = new ArrayList<>();
        for (NormGold g : distinctGold(gold)) out.add(g.relation());
        return out;
    }

    private static List<NormGold> distinctGold(List<Gold> gold) {
        LinkedHashMap<NormGold, Boolean> goldSet = new LinkedHashMap<>();
        for (Gold g : gold) goldSet.put(new NormGold(normalizeAll(g.headAliases()), g.relation(), normalizeAll(g.tailAliases())), Boolean.TRUE);
        return new ArrayList<>(goldSet.keySet());
    }

    /**
     * The predictions that are scored, de-duplicated and in matching order (descending score), each with its
     * match result. Because matching is greedy in this order, the predictions above any higher score threshold
     * are a prefix of this list with the same match results (used by threshold sweeps).
     */
    public List<Match> match(List<Gold> gold, List<Predicted> predicted) {
        List<NormGold> golds = distinctGold(gold);
        Map<Key, Double> best = new HashMap<>();
        Map<String, String> normalized = new HashMap<>();   // the same entity text recurs in many triples
        for (Predicted p : predicted) {
            best.merge(new Key(normalized.computeIfAbsent(p.head(), TextNormalizer::normalize), p.relation(),
                    normalized.computeIfAbsent(p.tail(), TextNormalizer::normalize)), p.score(), Math::max);
        }
        Comparator<Map.Entry<Key, Double>> order = Comparator.<Map.Entry<Key, Double>>comparingDouble(Map.Entry::getValue).reversed()
                .thenComparing(e -> e.getKey().head()).thenComparing(e -> e.getKey().relation())
                .thenComparing(e -> e.getKey().tail());
        List<Map.Entry<Key, Double>> preds = new ArrayList<>(best.entrySet());
        preds.sort(order);
        if (maxLabelsPerPair > 0) {
            Map<List<String>, Integer> perPair = new HashMap<>();
            List<Map.Entry<Key, Double>> kept = new ArrayList<>();
            for (Map.Entry<Key, Double> e : preds) {
                int n = perPair.merge(List.of(e.getKey().head(), e.getKey().tail()), 1, Integer::sum);
                if (n <= maxLabelsPerPair) kept.add(e);
            }
            preds = kept;
        }
        boolean[] matched = new boolean[golds.size()];
        List<Match> out = new ArrayList<>(preds.size());
        for (Map.Entry<Key, Double> e : preds) {
            Key k = e.getKey();
            int hit = -1;
            for (int i = 0; i < golds.size() && hit < 0; i++) {
                NormGold g = golds.get(i);
                if (!matched[i] && g.relation().equals(k.relation()) && g.heads().contains(k.head()) && g.tails().contains(k.tail())) hit = i;
            }
            if (hit >= 0) matched[hit] = true;
            out.add(new Match(k.head(), k.relation(), k.tail(), e.getValue(), hit >= 0));
        }
        return out;
    }

    private static Set<String> normalizeAll(List<String> texts) {
        Set<String> s = new LinkedHashSet<>();
        for (String t : texts) s.add(TextNormalizer.normalize(t));
        return s;
    }

    public TypedScores result() {
        return scores.build();
    }
}
