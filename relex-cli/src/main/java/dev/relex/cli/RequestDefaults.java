package dev.relex.cli;

import dev.relex.OffsetUnit;

import java.util.List;

/**
 * Settings from the command line that apply to every input unless the input line overrides them.
 * Null adjacency/relation thresholds follow the (possibly per-line) entity threshold, as in the
 * reference.
 */
record RequestDefaults(List<String> entityLabels, List<String> relationLabels, double threshold,
                       Double adjacencyThreshold, Double relationThreshold, boolean nested, boolean multiLabel,
                       OffsetUnit offsetUnit, boolean failOnTruncation) {
    RequestDefaults {
        entityLabels = List.copyOf(entityLabels);
        relationLabels = List.copyOf(relationLabels);
    }
}
