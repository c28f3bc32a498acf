package dev.relex.data.docred;

import java.util.List;
import java.util.Objects;

/**
 * A relation between two document entities ({@code labels} entry).
 *
 * @param head     index into {@link Document#entities()}
 * @param tail     index into {@link Document#entities()}
 * @param relation the dataset's relation label (a Wikidata id for DocRED, a name for DWIE)
 * @param evidence indices of the supporting sentences (may be empty)
 */
public record ClusterRelation(int head, int tail, String relation, List<Integer> evidence) {
    public ClusterRelation {
        Objects.requireNonNull(relation, "relation");
        evidence = List.copyOf(evidence);
    }
}
