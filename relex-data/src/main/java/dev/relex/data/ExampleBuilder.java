package dev.relex.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Assembles one {@link Example} from a record's dataset annotations: checks every span against the words,
 * maps labels through the {@link LabelMapping}, leaves out (and reports) annotations whose label the mapping
 * drops on purpose, and keeps relation indices pointing at the right entities after such drops. Readers add
 * entities and relations in dataset terms and call {@link #build}.
 *
 * <p>Bad spans and unmapped labels throw {@link BadRecordException} (the whole record is bad); nothing is
 * silently repaired.
 */
public final class ExampleBuilder {
    private final String id;
    private final List<String> words;
    private final LabelMapping mapping;
    private final ReadReport report;
    private final String file;
    private final long record;
    private final List<EntityMention> entities = new ArrayList<>();
    private final List<RelationMention> relations = new ArrayList<>();
    private int entitiesAdded;

    /**
     * @param id     the example id
     * @param words  the words (at least one, each non-empty; checked here)
     * @param file   file and record locate drop notes in the report
     */
    public ExampleBuilder(String id, List<String> words, LabelMapping mapping, ReadReport report, String file, long record) {
        this.id = Objects.requireNonNull(id, "id");
        this.words = List.copyOf(words);
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.report = Objects.requireNonNull(report, "report");
        this.file = file;
        this.record = record;
        if (this.words.isEmpty()) throw new BadRecordException("the text has no words");
        for (int i = 0; i < this.words.size(); i++) {
            if (this.words.get(i).isEmpty()) throw new BadRecordException("word " + i + " is empty");
        }
    }

    public List<String> words() {
        return words;
    }

    /** Number of entities added so far, dropped ones included (the dataset's own index space). */
    public int entitiesAdded() {
        return entitiesAdded;
    }

    /**
     * Adds an entity over words [start, end] (end <b>inclusive</b>) with a dataset label.
     *
     * @return its index in the example's entity list, or -1 if the mapping drops its label
     * @throws BadRecordException     if the span is not inside the words
     * @throws UnmappedLabelException if the label has no mapping
     */
    public int entity(int start, int end, String datasetLabel) {
        entitiesAdded++;
        if (start < 0 || end < start || end >= words.size()) {
            throw new BadRecordException("entity [" + start + ", " + end + "] '" + datasetLabel + "' is not a word span of the "
                    + words.size() + " words");
        }
        String label = mapping.entity(datasetLabel);
        if (label == null) {
            report.entityDropped("label '" + datasetLabel + "' dropped by the mapping",
                    new RecordError(file, record, "entity [" + start + ", " + end + "] '" + datasetLabel + "' dropped by the mapping"));
            return -1;
        }
        entities.add(new EntityMention(start, end, label));
        return entities.size() - 1;
    }

    /** Adds an entity whose label is already a prompt label (not mapped). */
    public int mappedEntity(int start, int end, String promptLabel) {
        entitiesAdded++;
        if (start < 0 || end < start || end >= words.size()) {
            throw new BadRecordException("entity [" + start + ", " + end + "] '" + promptLabel + "' is not a word span of the "
                    + words.size() + " words");
        }
        entities.add(new EntityMention(start, end, promptLabel));
        return entities.size() - 1;
    }

    /**
     * Adds a relation between entities as returned by {@link #entity} (-1 = dropped argument: the relation is
     * dropped and reported).
     *
     * @return whether it was added
     * @throws BadRecordException     if an index points at no entity
     * @throws UnmappedLabelException if the label has no mapping
     */
    public boolean relation(int head, int tail, String datasetLabel) {
        String label = mapping.relation(datasetLabel);
        return add(head, tail, label, datasetLabel);
    }

    /** Adds a relation whose label is already a prompt label (not mapped). */
    public boolean mappedRelation(int head, int tail, String promptLabel) {
        return add(head, tail, Objects.requireNonNull(promptLabel, "promptLabel"), promptLabel);
    }

    private boolean add(int head, int tail, String label, String datasetLabel) {
        if (head < -1 || head >= entities.size() || tail < -1 || tail >= entities.size()) {
            throw new BadRecordException("relation (" + head + ", " + tail + ") '" + datasetLabel
                    + "' points at a missing entity (" + entities.size() + " entities)");
        }
        if (label == null) {
            report.relationDropped("label '" + datasetLabel + "' dropped by the mapping",
                    new RecordError(file, record, "relation '" + datasetLabel + "' dropped by the mapping"));
            return false;
        }
        if (head == -1 || tail == -1) {
            report.relationDropped("argument dropped", new RecordError(file, record,
                    "relation '" + datasetLabel + "' dropped with its " + (head == -1 ? "head" : "tail") + " entity"));
            return false;
        }
        relations.add(new RelationMention(head, tail, label));
        return true;
    }

    public Example build() {
        return new Example(id, words, entities, relations);
    }

    public Example build(List<String> entityLabels, List<String> entityNegatives, List<String> relationLabels,
                         List<String> relationNegatives) {
        return new Example(id, words, entities, relations, entityLabels, entityNegatives, relationLabels, relationNegatives);
    }
}
