package dev.relex.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Dataset label → natural-language prompt label, separately for entity and relation labels, for one dataset
 * ({@code "Peop"} → {@code "person"}, {@code "Work_For"} → {@code "works for"}). The mappings themselves live in
 * the resource {@code dev/relex/data/label-mappings.json} (see {@link LabelMappings}).
 *
 * <p>Lookup order for a relation label: the mapping's own entry, then the relation names added with
 * {@link #withRelationNames} in the order added (a dataset's {@code rel_info.json} / {@code pid2name.json}, then
 * the auxiliary Wikidata names), then pass-through if the mapping passes relation labels through. A label found
 * nowhere is an {@link UnmappedLabelException}: an error of the record that uses it, never silently kept or
 * dropped. An entry whose value is {@code null} drops the annotations with that label on purpose; the readers
 * count such drops in the {@link ReadReport}. Immutable.
 */
public final class LabelMapping {

    /** Relation names from a file, with the file's name for messages. */
    private record Names(String source, Map<String, String> names) {}

    private final String name;
    private final Map<String, String> entities;
    private final Map<String, String> relations;
    private final boolean entitiesPassThrough;
    private final boolean relationsPassThrough;
    private final List<Names> relationNames;

    private LabelMapping(String name, Map<String, String> entities, Map<String, String> relations,
                         boolean entitiesPassThrough, boolean relationsPassThrough, List<Names> relationNames) {
        this.name = Objects.requireNonNull(name, "name");
        this.entities = Collections.unmodifiableMap(new LinkedHashMap<>(entities));
        this.relations = Collections.unmodifiableMap(new LinkedHashMap<>(relations));
        this.entitiesPassThrough = entitiesPassThrough;
        this.relationsPassThrough = relationsPassThrough;
        this.relationNames = List.copyOf(relationNames);
    }

    /** A mapping that keeps every label as it is (for data already in prompt labels, e.g. the training JSON). */
    public static LabelMapping passThrough(String name) {
        return new LabelMapping(name, Map.of(), Map.of(), true, true, List.of());
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The dataset name this mapping is for. */
    public String name() {
        return name;
    }

    /**
     * The prompt label of a dataset entity label, or {@code null} if the mapping drops that label on purpose.
     *
     * @throws UnmappedLabelException if the label has no entry and entity labels are not passed through
     */
    public String entity(String datasetLabel) {
        if (entities.containsKey(datasetLabel)) return entities.get(datasetLabel);
        if (entitiesPassThrough) return datasetLabel;
        throw new UnmappedLabelException("entity label '" + datasetLabel + "' has no mapping in '" + name + "'");
    }

    /**
     * The prompt label of a dataset relation label, or {@code null} if the mapping drops that label on purpose.
     *
     * @throws UnmappedLabelException if the label is in neither the mapping nor the relation names and relation
     *                                labels are not passed through
     */
    public String relation(String datasetLabel) {
        return relation(datasetLabel, null);
    }

    /**
     * As {@link #relation(String)}, for a record that names its relation itself (REBEL's predicate surface form):
     * {@code recordName}, if not null, is used after the mapping's own entry and before the added relation names.
     */
    public String relation(String datasetLabel, String recordName) {
        if (relations.containsKey(datasetLabel)) return relations.get(datasetLabel);
        if (recordName != null && !recordName.isBlank()) return recordName;
        for (Names n : relationNames) {
            String s = n.names().get(datasetLabel);
            if (s != null) return s;
        }
        if (relationsPassThrough) return datasetLabel;
        StringBuilder msg = new StringBuilder("relation label '").append(datasetLabel)
                .append("' has no mapping in '").append(name).append('\'');
        for (Names n : relationNames) msg.append(" nor in ").append(n.source());
        throw new UnmappedLabelException(msg.toString());
    }

    /**
     * This mapping with one more source of relation names (Wikidata id → name), consulted after the mapping's own
     * entries and after the sources added before it.
     *
     * @param source the file the names come from, for error messages
     */
    public LabelMapping withRelationNames(String source, Map<String, String> names) {
        List<Names> more = new ArrayList<>(relationNames);
        more.add(new Names(source, Map.copyOf(names)));
        return new LabelMapping(name, entities, relations, entitiesPassThrough, relationsPassThrough, more);
    }

    /**
     * This mapping with {@code override}'s entries replacing or adding to its own, key by key; pass-through flags
     * and relation names of {@code override} win when set.
     */
    public LabelMapping overriddenBy(LabelMapping override) {
        Map<String, String> e = new LinkedHashMap<>(entities);
        e.putAll(override.entities);
        Map<String, String> r = new LinkedHashMap<>(relations);
        r.putAll(override.relations);
        List<Names> names = new ArrayList<>(override.relationNames);
        names.addAll(relationNames);
        return new LabelMapping(name, e, r, entitiesPassThrough || override.entitiesPassThrough,
                relationsPassThrough || override.relationsPassThrough, names);
    }

    /** The explicit entity entries (dataset label → prompt label, {@code null} = dropped), in file order. */
    public Map<String, String> entityEntries() {
        return entities;
    }

    /** The explicit relation entries, in file order. */
    public Map<String, String> relationEntries() {
        return relations;
    }

    public boolean entitiesPassThrough() {
        return entitiesPassThrough;
    }

    public boolean relationsPassThrough() {
        return relationsPassThrough;
    }

    @Override
    public String toString() {
        return "LabelMapping[" + name + ": " + entities.size() + " entity, " + relations.size() + " relation entries"
                + (entitiesPassThrough ? ", entities pass through" : "")
                + (relationsPassThrough ? ", relations pass through" : "")
                + (relationNames.isEmpty() ? "" : ", names from " + relationNames.stream().map(Names::source).toList())
                + "]";
    }

    /** Builds a {@link LabelMapping}. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> entities = new LinkedHashMap<>();
        private final Map<String, String> relations = new LinkedHashMap<>();
        private boolean entitiesPassThrough;
        private boolean relationsPassThrough;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Maps an entity label; {@code promptLabel == null} drops it. */
        public Builder entity(String datasetLabel, String promptLabel) {
            entities.put(Objects.requireNonNull(datasetLabel, "datasetLabel"), promptLabel);
            return this;
        }

        /** Maps a relation label; {@code promptLabel == null} drops it. */
        public Builder relation(String datasetLabel, String promptLabel) {
            relations.put(Objects.requireNonNull(datasetLabel, "datasetLabel"), promptLabel);
            return this;
        }

        public Builder entitiesPassThrough(boolean on) {
            entitiesPassThrough = on;
            return this;
        }

        public Builder relationsPassThrough(boolean on) {
            relationsPassThrough = on;
            return this;
        }

        public LabelMapping build() {
            return new LabelMapping(name, entities, relations, entitiesPassThrough, relationsPassThrough, List.of());
        }
    }
}
