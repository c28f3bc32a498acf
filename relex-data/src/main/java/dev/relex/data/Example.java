package dev.relex.data;

import java.util.List;
import java.util.Objects;

/**
 * One annotated text in the reference's training format (spec §5.1): the common currency of the dataset
 * readers, the converters, the trainer and the evaluator. Words are pre-split (the dataset's own
 * tokens); entity spans are word indices, end inclusive; relations index {@link #entities()}.
 *
 * @param id                where the example came from (file and record number, or the dataset's id)
 * @param words             the words ({@code tokenized_text})
 * @param entities          the entity mentions ({@code ner}), in the order given
 * @param relations         the relations ({@code relations}), indices into {@code entities}
 * @param entityLabels      fixed entity label set for the prompt ({@code ner_labels}), or null (sampled)
 * @param entityNegatives   explicit negative entity types ({@code ner_negatives}), or null
 * @param relationLabels    fixed relation label set ({@code rel_labels}), or null (sampled)
 * @param relationNegatives explicit negative relation types ({@code rel_negatives}), or null
 */
public record Example(String id, List<String> words, List<EntityMention> entities, List<RelationMention> relations,
                      List<String> entityLabels, List<String> entityNegatives, List<String> relationLabels,
                      List<String> relationNegatives) {
    public Example {
        Objects.requireNonNull(id, "id");
        words = List.copyOf(words);
        entities = List.copyOf(entities);
        relations = List.copyOf(relations);
        entityLabels = entityLabels == null ? null : List.copyOf(entityLabels);
        entityNegatives = entityNegatives == null ? null : List.copyOf(entityNegatives);
        relationLabels = relationLabels == null ? null : List.copyOf(relationLabels);
        relationNegatives = relationNegatives == null ? null : List.copyOf(relationNegatives);
        for (EntityMention e : entities) {
            if (e.end() >= words.size()) {
                throw new IllegalArgumentException(id + ": entity [" + e.start() + ", " + e.end() + "] '" + e.label()
                        + "' ends beyond the " + words.size() + " words");
            }
        }
        for (RelationMention r : relations) {
            if (r.head() >= entities.size() || r.tail() >= entities.size()) {
                throw new IllegalArgumentException(id + ": relation (" + r.head() + ", " + r.tail() + ") '" + r.label()
                        + "' points at a missing entity (" + entities.size() + " entities)");
            }
        }
    }

    /** An example with sampled label sets (no fixed labels or negatives). */
    public Example(String id, List<String> words, List<EntityMention> entities, List<RelationMention> relations) {
        this(id, words, entities, relations, null, null, null, null);
    }
}
