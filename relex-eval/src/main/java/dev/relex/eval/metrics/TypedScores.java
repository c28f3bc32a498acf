package dev.relex.eval.metrics;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Micro-averaged counts over all items plus counts per type (entity type or relation type).
 *
 * <p>Macro averages: {@link #macroF1()} is the mean of the per-type F1 over every type that occurs in gold
 * or in the predictions (scikit-learn's default label set; a predicted type absent from gold scores 0 and
 * lowers it); {@link #macroF1Over(Collection)} takes the type set explicitly (e.g. the types present in
 * gold, as CrossRE's protocol).
 */
public record TypedScores(Prf micro, SortedMap<String, Prf> perType) {
    public TypedScores {
        perType = Collections.unmodifiableSortedMap(new TreeMap<>(perType));
    }

    public static final TypedScores EMPTY = new TypedScores(Prf.ZERO, new TreeMap<>());

    public double macroF1() {
        return macroF1Over(perType.keySet());
    }

    /** Mean per-type F1 over {@code types}; a type without counts scores 0; 0 for an empty set. */
    public double macroF1Over(Collection<String> types) {
        if (types.isEmpty()) return 0;
        double sum = 0;
        for (String t : types) sum += perType.getOrDefault(t, Prf.ZERO).f1();
        return sum / types.size();
    }

    /** Types with at least one gold item. */
    public java.util.List<String> goldTypes() {
        return perType.entrySet().stream().filter(e -> e.getValue().gold() > 0).map(Map.Entry::getKey).toList();
    }

    /** Mutable accumulator; not thread-safe. */
    public static final class Builder {
        private long correct, predicted, gold;
        private final TreeMap<String, long[]> perType = new TreeMap<>();

        public Builder add(String type, long correct, long predicted, long gold) {
            long[] c = perType.computeIfAbsent(type, k -> new long[3]);
            c[0] += correct;
            c[1] += predicted;
            c[2] += gold;
            this.correct += correct;
            this.predicted += predicted;
            this.gold += gold;
            return this;
        }

        public Builder addAll(TypedScores s) {
            s.perType.forEach((t, p) -> add(t, p.correct(), p.predicted(), p.gold()));
            return this;
        }

        public TypedScores build() {
            TreeMap<String, Prf> m = new TreeMap<>();
            perType.forEach((t, c) -> m.put(t, new Prf(c[0], c[1], c[2])));
            return new TypedScores(new Prf(correct, predicted, gold), m);
        }
    }
}
