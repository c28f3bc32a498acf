package dev.relex.eval.metrics;

import java.util.Objects;

/** A directed relation between two typed spans (head → tail). */
public record SpanRelation(SpanEntity head, SpanEntity tail, String type) {
    public SpanRelation {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(tail, "tail");
        Objects.requireNonNull(type, "type");
    }

    /** Key of the strict criterion: both spans, both entity types, relation type (= the record itself). */
    SpanRelation strictKey() {
        return this;
    }

    /** Key of the boundaries criterion: both spans and the relation type, entity types dropped. */
    BoundariesKey boundariesKey() {
        return new BoundariesKey(head.start(), head.end(), tail.start(), tail.end(), type);
    }

    record BoundariesKey(int headStart, int headEnd, int tailStart, int tailEnd, String type) {}
}
