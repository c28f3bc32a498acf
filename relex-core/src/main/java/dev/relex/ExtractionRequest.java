package dev.relex;

import java.util.List;
import java.util.Objects;

/** One text of a batch with its own labels and options. */
public record ExtractionRequest(String text, List<String> entityLabels, List<String> relationLabels,
                                ExtractionOptions options) {
    public ExtractionRequest {
        Objects.requireNonNull(text, "text");
        entityLabels = List.copyOf(entityLabels);
        relationLabels = List.copyOf(relationLabels);
        options = options == null ? ExtractionOptions.defaults() : options;
    }
}
