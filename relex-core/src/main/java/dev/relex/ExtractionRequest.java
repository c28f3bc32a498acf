package dev.relex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One text of a batch with its own labels and options ({@code null} options = defaults). Labels are
 * validated fully (blank labels, duplicates) when the request is run; here only {@code null}s are
 * rejected, with the same messages.
 */
public record ExtractionRequest(String text, List<String> entityLabels, List<String> relationLabels,
                                ExtractionOptions options) {
    public ExtractionRequest {
        if (text == null) throw new IllegalArgumentException("text must not be null");
        entityLabels = copy(entityLabels, "entity");
        relationLabels = copy(relationLabels, "relation");
        options = options == null ? ExtractionOptions.defaults() : options;
    }

    private static List<String> copy(List<String> labels, String kind) {
        if (labels == null) throw new IllegalArgumentException(kind + " labels must not be null (use an empty list)");
        List<String> copy = new ArrayList<>(labels);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i) == null) throw new IllegalArgumentException(kind + " label " + i + " is null");
        }
        return Collections.unmodifiableList(copy);
    }
}
