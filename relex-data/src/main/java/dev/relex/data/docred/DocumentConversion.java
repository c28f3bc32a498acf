package dev.relex.data.docred;

import dev.relex.data.Example;
import dev.relex.data.ExampleBuilder;
import dev.relex.data.LabelMapping;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns a {@link Document} into {@link Example}s. Two granularities:
 * <ul>
 *   <li>{@link Granularity#DOCUMENT}: the whole document is one example (sentences concatenated); every mention
 *       of every entity is an entity of the example, with its own type; each cluster relation becomes a relation
 *       between mentions chosen by the {@link RelationAnchor}.</li>
 *   <li>{@link Granularity#SENTENCE}: one example per sentence (sentences without mentions too: they are
 *       negatives), with the mentions inside that sentence as entities and the <i>intra-sentence</i> relations:
 *       a cluster relation is kept in every sentence where both its entities are mentioned, anchored on their
 *       mentions in that sentence; relations whose entities never meet in one sentence are in no example (they
 *       are counted in the report as dropped, reason "not within one sentence").</li>
 * </ul>
 * {@link RelationAnchor#FIRST_MENTIONS} links the first mentions (document order; in sentence mode, first in the
 * sentence) of head and tail, giving one relation per cluster relation (and per sentence); the other mentions are
 * entities without that relation, so a model trained on it learns to link one mention pair per entity pair.
 * {@link RelationAnchor#ALL_MENTION_PAIRS} links every head mention with every tail mention instead.
 *
 * <p>Two mentions with the same span and label (listed twice in a cluster, or shared by two clusters) become one
 * entity, counted as adjusted in the report. Every relation label of the document is looked up in the mapping,
 * including those that no example keeps, so an unmapped label always makes the document bad. Example ids:
 * the document id, with {@code /s<sentence>} appended in sentence mode.
 */
public final class DocumentConversion {

    /** One example per document or per sentence. */
    public enum Granularity { DOCUMENT, SENTENCE }

    /** Which mentions a cluster relation links. */
    public enum RelationAnchor { FIRST_MENTIONS, ALL_MENTION_PAIRS }

    private final Granularity granularity;
    private final RelationAnchor anchor;

    public DocumentConversion(Granularity granularity, RelationAnchor anchor) {
        this.granularity = Objects.requireNonNull(granularity, "granularity");
        this.anchor = Objects.requireNonNull(anchor, "anchor");
    }

    /** Whole documents, relations between first mentions. */
    public static DocumentConversion documents() {
        return new DocumentConversion(Granularity.DOCUMENT, RelationAnchor.FIRST_MENTIONS);
    }

    /** Sentences, intra-sentence relations between first mentions in the sentence. */
    public static DocumentConversion sentences() {
        return new DocumentConversion(Granularity.SENTENCE, RelationAnchor.FIRST_MENTIONS);
    }

    public Granularity granularity() {
        return granularity;
    }

    public RelationAnchor anchor() {
        return anchor;
    }

    /**
     * Converts one document. Throws {@link dev.relex.data.BadRecordException} (or its subclass for unmapped labels)
     * if the document cannot be converted; {@code file}/{@code record} locate notes in the report.
     */
    public void convert(Document doc, LabelMapping mapping, ReadReport report, String file, long record,
                        Consumer<? super Example> out) {
        for (ClusterRelation r : doc.relations()) mapping.relation(r.relation()); // unmapped anywhere = bad document
        if (granularity == Granularity.DOCUMENT) {
            out.accept(convertPart(doc, -1, doc.id(), doc.words(), mapping, report, file, record));
            return;
        }
        List<Example> parts = new ArrayList<>(doc.sentences().size());
        for (int s = 0; s < doc.sentences().size(); s++) {
            parts.add(convertPart(doc, s, doc.id() + "/s" + s, doc.sentences().get(s), mapping, report, file, record));
        }
        for (ClusterRelation r : doc.relations()) {
            if (!meet(doc.entities().get(r.head()), doc.entities().get(r.tail()))) {
                report.relationDropped("not within one sentence", null);
            }
        }
        parts.forEach(out);
    }

    private static boolean meet(EntityCluster a, EntityCluster b) {
        for (Mention m : a.mentions()) {
            for (Mention n : b.mentions()) {
                if (m.sentence() == n.sentence()) return true;
            }
        }
        return false;
    }

    /**
     * The document with prompt labels: every mention type and relation label mapped. Mentions whose type the mapping
     * drops are left out (an entity left without mentions goes, and the indices of the others close up); relations
     * whose label is dropped or whose entity went are left out; all such drops are counted in the report.
     *
     * @throws dev.relex.data.UnmappedLabelException for a label the mapping does not know
     */
    public static Document mapLabels(Document doc, LabelMapping mapping, ReadReport report, String file, long record) {
        List<EntityCluster> clusters = new ArrayList<>(doc.entities().size());
        int[] newIndex = new int[doc.entities().size()];
        for (int c = 0; c < doc.entities().size(); c++) {
            List<Mention> kept = new ArrayList<>();
            for (Mention m : doc.entities().get(c).mentions()) {
                String label = mapping.entity(m.type());
                if (label == null) {
                    report.entityDropped("label '" + m.type() + "' dropped by the mapping", new RecordError(file, record,
                            doc.id() + ": mention '" + m.name() + "' " + m.type() + " dropped by the mapping"));
                } else {
                    kept.add(new Mention(m.name(), m.sentence(), m.start(), m.end(), m.docStart(), m.docEnd(), label));
                }
            }
            newIndex[c] = kept.isEmpty() ? -1 : clusters.size();
            if (!kept.isEmpty()) clusters.add(new EntityCluster(kept));
        }
        List<ClusterRelation> relations = new ArrayList<>(doc.relations().size());
        for (ClusterRelation r : doc.relations()) {
            String label = mapping.relation(r.relation());
            if (label == null) {
                report.relationDropped("label '" + r.relation() + "' dropped by the mapping", null);
            } else if (newIndex[r.head()] < 0 || newIndex[r.tail()] < 0) {
                report.relationDropped("argument dropped", new RecordError(file, record,
                        doc.id() + ": relation '" + r.relation() + "' lost its " + (newIndex[r.head()] < 0 ? "head" : "tail")));
            } else {
                relations.add(new ClusterRelation(newIndex[r.head()], newIndex[r.tail()], label, r.evidence()));
            }
        }
        return new Document(doc.id(), doc.title(), doc.sentences(), clusters, relations);
    }

    /** One example over the whole document ({@code sentence == -1}) or one sentence. */
    private Example convertPart(Document doc, int sentence, String id, List<String> words, LabelMapping mapping,
                                ReadReport report, String file, long record) {
        ExampleBuilder b = new ExampleBuilder(id, words, mapping, report, file, record);
        int clusters = doc.entities().size();
        // per cluster: builder indices of its mentions in this part (-1 = dropped by the mapping), and its first one
        List<List<Integer>> indices = new ArrayList<>(clusters);
        int[] first = new int[clusters];
        Map<String, Integer> seen = new HashMap<>();
        for (int c = 0; c < clusters; c++) {
            EntityCluster cluster = doc.entities().get(c);
            List<Integer> mine = new ArrayList<>();
            Mention firstMention = null;
            int firstIndex = -1;
            for (Mention m : cluster.mentions()) {
                if (sentence >= 0 && m.sentence() != sentence) continue;
                int start = sentence >= 0 ? m.start() : m.docStart();
                int end = sentence >= 0 ? m.end() : m.docEnd();
                String key = start + ":" + end + ":" + m.type();
                Integer index = seen.get(key);
                if (index == null) {
                    index = b.entity(start, end, m.type());
                    seen.put(key, index);
                } else {
                    report.adjusted("mention listed twice (same span and type), one entity", new RecordError(file, record,
                            id + ": mention '" + m.name() + "' [" + start + ", " + end + "] " + m.type() + " listed twice"));
                }
                if (!mine.contains(index)) mine.add(index);
                if (firstMention == null || m.docStart() < firstMention.docStart()
                        || (m.docStart() == firstMention.docStart() && m.docEnd() < firstMention.docEnd())) {
                    firstMention = m;
                    firstIndex = index;
                }
            }
            indices.add(mine);
            first[c] = firstMention == null ? Integer.MIN_VALUE : firstIndex;
        }
        for (ClusterRelation r : doc.relations()) {
            if (first[r.head()] == Integer.MIN_VALUE || first[r.tail()] == Integer.MIN_VALUE) continue; // not in this part
            if (anchor == RelationAnchor.FIRST_MENTIONS) {
                b.relation(first[r.head()], first[r.tail()], r.relation());
            } else {
                for (int h : indices.get(r.head())) {
                    for (int t : indices.get(r.tail())) b.relation(h, t, r.relation());
                }
            }
        }
        return b.build();
    }
}
