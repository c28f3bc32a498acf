package dev.relex.eval.metrics;

import java.util.Objects;

/** An entity as the span-level metrics see it: words [start, end] (end inclusive) and its type. */
public record SpanEntity(int start, int end, String type) {
    public SpanEntity {
        Objects.requireNonNull(type, "type");
        if (start < 0 || end < start) throw new IllegalArgumentException("invalid word span [" + start + ", " + end + "]");
    }

    /** Same words, whatever the type. */
    public boolean sameBoundaries(SpanEntity o) {
        return start == o.start && end == o.end;
    }
}
