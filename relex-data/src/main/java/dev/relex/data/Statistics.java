package dev.relex.data;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Counts over a stream of examples: examples, words, entities, relations, and how often each entity and
 * relation label occurs. Use it as the sink of a {@link DatasetReader} (it is a {@code Consumer<Example>}) and
 * print {@link #format()} (what a {@code data stats} command shows). Not thread-safe.
 */
public final class Statistics implements Consumer<Example> {
    private long examples;
    private long words;
    private long entities;
    private long relations;
    private long examplesWithoutEntities;
    private long examplesWithRelations;
    private int maxWords;
    private final Map<String, Long> entityLabels = new TreeMap<>();
    private final Map<String, Long> relationLabels = new TreeMap<>();

    @Override
    public void accept(Example e) {
        examples++;
        words += e.words().size();
        maxWords = Math.max(maxWords, e.words().size());
        entities += e.entities().size();
        relations += e.relations().size();
        if (e.entities().isEmpty()) examplesWithoutEntities++;
        if (!e.relations().isEmpty()) examplesWithRelations++;
        for (EntityMention m : e.entities()) entityLabels.merge(m.label(), 1L, Long::sum);
        for (RelationMention r : e.relations()) relationLabels.merge(r.label(), 1L, Long::sum);
    }

    /** Statistics of a list of examples. */
    public static Statistics of(Iterable<Example> examples) {
        Statistics s = new Statistics();
        examples.forEach(s);
        return s;
    }

    public long examples() {
        return examples;
    }

    public long words() {
        return words;
    }

    public int maxWords() {
        return maxWords;
    }

    public long entities() {
        return entities;
    }

    public long relations() {
        return relations;
    }

    public long examplesWithoutEntities() {
        return examplesWithoutEntities;
    }

    public long examplesWithRelations() {
        return examplesWithRelations;
    }

    /** Entity label → count, sorted by label. */
    public Map<String, Long> entityLabels() {
        return Collections.unmodifiableMap(entityLabels);
    }

    /** Relation label → count, sorted by label. */
    public Map<String, Long> relationLabels() {
        return Collections.unmodifiableMap(relationLabels);
    }

    /** One line: {@code "922 examples, 19,048 words (max 118), 3,377 entities (4 labels), 1,283 relations (5 labels)"}. */
    public String summary() {
        return String.format("%,d examples, %,d words (max %,d), %,d entities (%,d labels), %,d relations (%,d labels)",
                examples, words, maxWords, entities, entityLabels.size(), relations, relationLabels.size());
    }

    /**
     * The summary line, then the entity and relation labels by decreasing count (ties by label), at most
     * {@code maxLabels} of each (the rest counted in one line).
     */
    public String format(int maxLabels) {
        StringBuilder sb = new StringBuilder(summary()).append('\n');
        sb.append(String.format("examples without entities: %,d; with relations: %,d\n", examplesWithoutEntities,
                examplesWithRelations));
        labels(sb, "entity labels", entityLabels, maxLabels);
        labels(sb, "relation labels", relationLabels, maxLabels);
        return sb.toString();
    }

    /** {@link #format(int)} with up to 50 labels of each kind. */
    public String format() {
        return format(50);
    }

    private static void labels(StringBuilder sb, String title, Map<String, Long> counts, int max) {
        if (counts.isEmpty()) return;
        sb.append(title).append(":\n");
        List<Map.Entry<String, Long>> sorted = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .toList();
        for (int i = 0; i < sorted.size() && i < max; i++) {
            sb.append(String.format("  %8d  %s\n", sorted.get(i).getValue(), sorted.get(i).getKey()));
        }
        if (sorted.size() > max) {
            long rest = sorted.subList(max, sorted.size()).stream().mapToLong(Map.Entry::getValue).sum();
            sb.append(String.format("  %8d  (%d more labels)\n", rest, sorted.size() - max));
        }
    }

    /** The label counts of both kinds, for machine-readable output. */
    public Map<String, Map<String, Long>> labelCounts() {
        Map<String, Map<String, Long>> m = new LinkedHashMap<>();
        m.put("entities", entityLabels());
        m.put("relations", relationLabels());
        return m;
    }

    @Override
    public String toString() {
        return summary();
    }
}
