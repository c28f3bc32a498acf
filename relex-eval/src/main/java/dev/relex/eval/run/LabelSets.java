package dev.relex.eval.run;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;

import java.util.List;
import java.util.TreeSet;

/**
 * The labels put into the prompt: explicit ones from the configuration, else an example's fixed label sets,
 * else the dataset's = every gold label of the evaluated examples, sorted (so the prompt does not depend on
 * the order of the examples).
 */
record LabelSets(List<String> entityLabels, List<String> relationLabels) {
    static LabelSets resolve(EvaluationConfig c, List<Example> examples) {
        TreeSet<String> ents = new TreeSet<>(), rels = new TreeSet<>();
        for (Example e : examples) {
            for (EntityMention m : e.entities()) ents.add(m.label());
            for (RelationMention r : e.relations()) rels.add(r.label());
        }
        List<String> entities = c.entityLabels() != null ? c.entityLabels()
                : c.datasetEntityLabels() != null ? c.datasetEntityLabels() : List.copyOf(ents);
        List<String> relations = c.relationLabels() != null ? c.relationLabels()
                : c.datasetRelationLabels() != null ? c.datasetRelationLabels() : List.copyOf(rels);
        return new LabelSets(entities, relations);
    }

    List<String> entitiesFor(Example e, boolean explicit) {
        return !explicit && e.entityLabels() != null ? e.entityLabels() : entityLabels;
    }

    List<String> relationsFor(Example e, boolean explicit) {
        return !explicit && e.relationLabels() != null ? e.relationLabels() : relationLabels;
    }
}
