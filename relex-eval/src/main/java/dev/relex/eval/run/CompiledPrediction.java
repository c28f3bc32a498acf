package dev.relex.eval.run;

import dev.relex.eval.metrics.SpanEntity;
import dev.relex.eval.metrics.SpanRelation;
import dev.relex.eval.metrics.TextTripleMetrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One text's prediction (at one entity and adjacency threshold and the lowest relation threshold) reduced to
 * what the metrics count, so that any higher relation threshold is scored without rebuilding sets: the distinct
 * keys of each criterion with their type, best score and correctness against this text's gold. Correctness of a
 * key does not depend on the threshold (span criteria compare against the fixed gold set; the text-level greedy
 * matching runs in descending score order, so the predictions above a threshold are a prefix with the same
 * matches). Counting keys with score above the threshold therefore gives exactly what {@link
 * dev.relex.eval.metrics.SpanMetrics} and {@link TextTripleMetrics} give on the filtered prediction (the sweep
 * test checks it against separate evaluations).
 */
final class CompiledPrediction {
    /** Distinct keys of one criterion: type id, best score, correct. */
    record Keys(int[] type, double[] score, boolean[] correct) {
        void count(double threshold, long[][] into) {
            for (int k = 0; k < type.length; k++) {
                if (score[k] > threshold) {
                    into[type[k]][1]++;
                    if (correct[k]) into[type[k]][0]++;
                }
            }
        }
    }

    final Keys entities;   // scores are +inf: entities do not depend on the relation threshold
    final Keys strict;
    final Keys boundaries;
    final Keys text;

    CompiledPrediction(GoldView view, GoldView.Scored scored, TextTripleMetrics textMetrics, TypeIds entityTypes,
                       TypeIds relationTypes) {
        Set<SpanEntity> goldEntities = new HashSet<>(view.gold.entities());
        Map<SpanEntity, Double> ents = new LinkedHashMap<>();
        for (GoldView.ScoredEntity e : scored.entities()) ents.put(e.span(), Double.POSITIVE_INFINITY);
        entities = keys(ents, k -> entityTypes.id(k.type()), goldEntities::contains);

        Set<SpanRelation> goldStrict = new HashSet<>(view.gold.relations());
        Set<Object> goldBoundaries = new HashSet<>();
        for (SpanRelation r : view.gold.relations()) goldBoundaries.add(boundaries(r));
        Map<SpanRelation, Double> s = new LinkedHashMap<>();
        Map<List<Object>, Double> b = new LinkedHashMap<>();
        for (GoldView.ScoredRelation r : scored.relations()) {
            s.merge(r.relation(), r.score(), Math::max);
            b.merge(boundaries(r.relation()), r.score(), Math::max);
        }
        strict = keys(s, k -> relationTypes.id(k.type()), goldStrict::contains);
        boundaries = keys(b, k -> relationTypes.id((String) k.get(4)), goldBoundaries::contains);

        List<TextTripleMetrics.Match> matches = textMetrics.match(view.goldTriples, scored.triples(Double.NEGATIVE_INFINITY));
        int n = matches.size();
        int[] t = new int[n];
        double[] sc = new double[n];
        boolean[] ok = new boolean[n];
        for (int k = 0; k < n; k++) {
            TextTripleMetrics.Match m = matches.get(k);
            t[k] = relationTypes.id(m.relation());
            sc[k] = m.score();
            ok[k] = m.correct();
        }
        text = new Keys(t, sc, ok);
    }

    private static List<Object> boundaries(SpanRelation r) {
        return List.of(r.head().start(), r.head().end(), r.tail().start(), r.tail().end(), r.type());
    }

    private static <K> Keys keys(Map<K, Double> best, java.util.function.ToIntFunction<K> typeOf,
                                 java.util.function.Predicate<K> correct) {
        int n = best.size();
        int[] t = new int[n];
        double[] s = new double[n];
        boolean[] c = new boolean[n];
        int k = 0;
        for (Map.Entry<K, Double> e : best.entrySet()) {
            t[k] = typeOf.applyAsInt(e.getKey());
            s[k] = e.getValue();
            c[k] = correct.test(e.getKey());
            k++;
        }
        return new Keys(t, s, c);
    }

    /** Thread-safe interning of type names to dense ids. */
    static final class TypeIds {
        private final Map<String, Integer> ids = new HashMap<>();
        private final java.util.ArrayList<String> names = new java.util.ArrayList<>();

        synchronized int id(String name) {
            return ids.computeIfAbsent(name, k -> {
                names.add(k);
                return names.size() - 1;
            });
        }

        synchronized String name(int id) {
            return names.get(id);
        }

        synchronized int size() {
            return names.size();
        }
    }
}
