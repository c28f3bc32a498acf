package dev.relex.data.formats;

import java.util.Objects;

/** A labelled word span decoded from a tag sequence: words [start, end], end inclusive; the dataset's raw label. */
public record TaggedSpan(int start, int end, String label) {
    public TaggedSpan {
        Objects.requireNonNull(label, "label");
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span [" + start + ", " + end + "]");
    }
}
