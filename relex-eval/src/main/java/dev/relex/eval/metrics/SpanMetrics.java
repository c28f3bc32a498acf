package dev.relex.eval.metrics;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Span-level scores accumulated over texts:
 * <ul>
 *   <li><b>entities strict</b>: a predicted entity is correct iff a gold entity of the same text has the same
 *       word span and the same type;</li>
 *   <li><b>relations strict</b> (the literature's Rel+, e.g. SpERT's CoNLL04 figure): head span, head type,
 *       tail span, tail type and relation type all equal a gold relation's;</li>
 *   <li><b>relations boundaries</b>: both spans and the relation type; entity types ignored (the criterion of the
 *       reference's built-in evaluator, spec §6.1).</li>
 * </ul>
 * Within one text, predictions and gold items are sets under the criterion's key: a duplicate (a second
 * prediction with the same key, e.g. the same relation found twice through two labels of a multi-label
 * span when types are ignored) counts once, as predicted and as correct. Per-type counts use the entity type
 * resp. the relation type. Micro scores sum the counts over all texts and types.
 */
public final class SpanMetrics {
    private final TypedScores.Builder entities = new TypedScores.Builder();
    private final TypedScores.Builder strict = new TypedScores.Builder();
    private final TypedScores.Builder boundaries = new TypedScores.Builder();
    private long texts;

    /** Adds one text's gold and prediction. */
    public SpanMetrics add(SpanAnnotation gold, SpanAnnotation predicted) {
        texts++;
        count(entities, gold.entities(), predicted.entities(), e -> e, SpanEntity::type);
        count(strict, gold.relations(), predicted.relations(), SpanRelation::strictKey, SpanRelation::type);
        count(boundaries, gold.relations(), predicted.relations(), SpanRelation::boundariesKey,
                SpanRelation.BoundariesKey::type);
        return this;
    }

    /** Adds another accumulator's counts (for parallel evaluation; counts are additive). */
    public SpanMetrics addAll(SpanMetrics o) {
        texts += o.texts;
        entities.addAll(o.entities.build());
        strict.addAll(o.strict.build());
        boundaries.addAll(o.boundaries.build());
        return this;
    }

    private static <T, K> void count(TypedScores.Builder into, Iterable<T> gold, Iterable<T> predicted,
                                     Function<T, K> key, Function<K, String> typeOf) {
        Set<K> g = new LinkedHashSet<>();
        for (T t : gold) g.add(key.apply(t));
        Set<K> p = new LinkedHashSet<>();
        for (T t : predicted) p.add(key.apply(t));
        for (K k : g) into.add(typeOf.apply(k), 0, 0, 1);
        for (K k : p) into.add(typeOf.apply(k), g.contains(k) ? 1 : 0, 1, 0);
    }

    public long texts() {
        return texts;
    }

    public Result result() {
        return new Result(texts, entities.build(), strict.build(), boundaries.build());
    }

    /** The three span-level score sets. */
    public record Result(long texts, TypedScores entitiesStrict, TypedScores relationsStrict,
                         TypedScores relationsBoundaries) {}
}
