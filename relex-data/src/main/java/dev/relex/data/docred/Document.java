package dev.relex.data.docred;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A DocRED-format document: sentences of words, entity clusters, cluster-level relations. Labels are the dataset's
 * own ({@link DocRedReader#readDocuments(java.nio.file.Path, dev.relex.data.ErrorPolicy, dev.relex.data.ReadReport,
 * java.util.function.Consumer)}) or prompt labels after {@link DocumentConversion#mapLabels} (what the overload of
 * {@code readDocuments} with a label mapping gives, e.g. for cluster-level evaluation).
 *
 * @param id        where it came from ({@code <file name>#<element number>})
 * @param title     the dataset's title
 * @param sentences the words of each sentence
 * @param entities  the entity clusters ({@code vertexSet})
 * @param relations the relations ({@code labels}; empty for unlabelled files such as DocRED's test.json)
 */
public record Document(String id, String title, List<List<String>> sentences, List<EntityCluster> entities,
                       List<ClusterRelation> relations) {
    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        List<List<String>> s = new ArrayList<>(sentences.size());
        for (List<String> sentence : sentences) s.add(List.copyOf(sentence));
        sentences = Collections.unmodifiableList(s);
        entities = List.copyOf(entities);
        relations = List.copyOf(relations);
        for (ClusterRelation r : relations) {
            if (r.head() < 0 || r.head() >= entities.size() || r.tail() < 0 || r.tail() >= entities.size()) {
                throw new IllegalArgumentException(id + ": relation (" + r.head() + ", " + r.tail() + ") '" + r.relation()
                        + "' points at a missing entity (" + entities.size() + " entities)");
            }
        }
    }

    /** All words, sentences concatenated. */
    public List<String> words() {
        List<String> out = new ArrayList<>();
        for (List<String> sentence : sentences) out.addAll(sentence);
        return out;
    }

    /** Number of mentions over all entities. */
    public int mentionCount() {
        int n = 0;
        for (EntityCluster e : entities) n += e.mentions().size();
        return n;
    }
}
