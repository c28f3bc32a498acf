package dev.relex.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened while reading one or more dataset files: records read, examples produced, records skipped
 * (the first {@link #maxKeptErrors()} errors kept, all counted), and entities or relations left out of an
 * otherwise good record, counted by reason (with their first few occurrences kept as {@link #notes()}).
 * Adjustments that keep the annotation but change it (a non-contiguous span replaced by its covering span)
 * are counted by reason as well.
 *
 * <p>One report may collect several files (the six CrossRE domains, say). Not thread-safe: one reader
 * thread at a time.
 */
public final class ReadReport {
    /** How many errors and notes are kept by default. */
    public static final int DEFAULT_KEPT_ERRORS = 20;

    private final int maxKeptErrors;
    private long recordsRead;
    private long examplesProduced;
    private long recordsSkipped;
    private final List<RecordError> errors = new ArrayList<>();
    private final List<RecordError> notes = new ArrayList<>();
    private long notesTotal;
    private final Map<String, Long> droppedEntities = new TreeMap<>();
    private final Map<String, Long> droppedRelations = new TreeMap<>();
    private final Map<String, Long> adjustments = new TreeMap<>();

    public ReadReport() {
        this(DEFAULT_KEPT_ERRORS);
    }

    public ReadReport(int maxKeptErrors) {
        if (maxKeptErrors < 0) throw new IllegalArgumentException("maxKeptErrors < 0: " + maxKeptErrors);
        this.maxKeptErrors = maxKeptErrors;
    }

    // ---- counting (called by readers) ----

    /** One more record read from a file (good or bad). */
    public void recordRead() {
        recordsRead++;
    }

    /** One more example sent to the sink. */
    public void exampleProduced() {
        examplesProduced++;
    }

    /**
     * A bad record: under {@link ErrorPolicy#FAIL} throws {@link DatasetFormatException}; under
     * {@link ErrorPolicy#SKIP} counts it as skipped and keeps the error if fewer than the limit are kept.
     */
    public void reject(RecordError error, ErrorPolicy policy) {
        if (policy == ErrorPolicy.FAIL) throw new DatasetFormatException(error);
        recordsSkipped++;
        if (errors.size() < maxKeptErrors) errors.add(error);
    }

    /** An entity left out of a record that is otherwise kept; {@code detail} locates it (kept as a note). */
    public void entityDropped(String reason, RecordError detail) {
        droppedEntities.merge(reason, 1L, Long::sum);
        note(detail);
    }

    /** A relation left out of a record that is otherwise kept. */
    public void relationDropped(String reason, RecordError detail) {
        droppedRelations.merge(reason, 1L, Long::sum);
        note(detail);
    }

    /** An annotation kept in changed form (for example a non-contiguous span replaced by its covering span). */
    public void adjusted(String reason, RecordError detail) {
        adjustments.merge(reason, 1L, Long::sum);
        note(detail);
    }

    private void note(RecordError detail) {
        if (detail == null) return;
        notesTotal++;
        if (notes.size() < maxKeptErrors) notes.add(detail);
    }

    // ---- results ----

    public int maxKeptErrors() {
        return maxKeptErrors;
    }

    public long recordsRead() {
        return recordsRead;
    }

    public long examplesProduced() {
        return examplesProduced;
    }

    public long recordsSkipped() {
        return recordsSkipped;
    }

    /** The first skipped records' errors (at most {@link #maxKeptErrors()}; {@link #recordsSkipped()} counts all). */
    public List<RecordError> errors() {
        return Collections.unmodifiableList(errors);
    }

    /** The first drops and adjustments, located (at most {@link #maxKeptErrors()}). */
    public List<RecordError> notes() {
        return Collections.unmodifiableList(notes);
    }

    /** Number of drops and adjustments that came with a location (all, not only the kept ones). */
    public long notesTotal() {
        return notesTotal;
    }

    /** Entities dropped, by reason (sorted by reason). */
    public Map<String, Long> droppedEntities() {
        return Collections.unmodifiableMap(droppedEntities);
    }

    /** Relations dropped, by reason (sorted by reason). */
    public Map<String, Long> droppedRelations() {
        return Collections.unmodifiableMap(droppedRelations);
    }

    /** Adjusted annotations, by reason (sorted by reason). */
    public Map<String, Long> adjustments() {
        return Collections.unmodifiableMap(adjustments);
    }

    public long entitiesDropped() {
        return droppedEntities.values().stream().mapToLong(Long::longValue).sum();
    }

    public long relationsDropped() {
        return droppedRelations.values().stream().mapToLong(Long::longValue).sum();
    }

    /** True when nothing was skipped, dropped or adjusted. */
    public boolean clean() {
        return recordsSkipped == 0 && droppedEntities.isEmpty() && droppedRelations.isEmpty() && adjustments.isEmpty();
    }

    /**
     * One line, e.g. {@code "922 records read, 922 examples, 0 skipped, 0 entities dropped, 0 relations dropped"},
     * followed by the reasons of drops and adjustments when there are any.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(recordsRead).append(" records read, ").append(examplesProduced).append(" examples, ")
                .append(recordsSkipped).append(" skipped, ")
                .append(entitiesDropped()).append(" entities dropped").append(reasons(droppedEntities)).append(", ")
                .append(relationsDropped()).append(" relations dropped").append(reasons(droppedRelations));
        if (!adjustments.isEmpty()) {
            long n = adjustments.values().stream().mapToLong(Long::longValue).sum();
            sb.append(", ").append(n).append(" adjusted").append(reasons(adjustments));
        }
        return sb.toString();
    }

    private static String reasons(Map<String, Long> byReason) {
        if (byReason.isEmpty()) return "";
        StringBuilder sb = new StringBuilder(" (");
        boolean first = true;
        for (Map.Entry<String, Long> e : byReason.entrySet()) {
            if (!first) sb.append("; ");
            sb.append(e.getKey()).append(": ").append(e.getValue());
            first = false;
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
