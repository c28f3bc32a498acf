package dev.relex.eval.metrics;

import java.util.List;

/** The entities and relations of one text (gold or predicted), in word coordinates. */
public record SpanAnnotation(List<SpanEntity> entities, List<SpanRelation> relations) {
    public static final SpanAnnotation EMPTY = new SpanAnnotation(List.of(), List.of());

    public SpanAnnotation {
        entities = List.copyOf(entities);
        relations = List.copyOf(relations);
    }
}
