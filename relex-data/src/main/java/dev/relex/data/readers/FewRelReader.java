package dev.relex.data.readers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.data.BadRecordException;
import dev.relex.data.DatasetReader;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.ExampleBuilder;
import dev.relex.data.LabelMapping;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;
import dev.relex.data.WikidataNames;
import dev.relex.data.io.JsonFields;
import dev.relex.data.io.JsonRecords;
import dev.relex.data.io.Records;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * FewRel's JSON ({@code train_wiki.json}, {@code val_wiki.json}, FewRel 2.0's {@code val_pubmed.json}): one object
 * {@code {relation: [instance, ...]}} with instances {@code {"tokens": [..], "h": [name, id, [[token indices], ...]],
 * "t": [...]}}, streamed instance by instance. One example per instance, with one relation from the head to the
 * tail labelled with the relation key (mapped: Wikidata ids are named by a {@code pid2name.json} beside the file,
 * then the auxiliary Wikidata names; entries of the label mapping win).
 *
 * <p>Arguments: each inner token index list is one occurrence; every occurrence becomes an entity with the dataset
 * label {@code "entity"} (FewRel has no types), and the relation links the first (leftmost) head occurrence with
 * the first tail occurrence. A non-contiguous index list ({@code [3, 5]}) is either replaced by its covering span
 * (counted as adjusted in the report; the default) or makes the instance bad ({@link NonContiguous#REJECT}).
 * Indices outside the tokens make the instance bad.
 *
 * <p>A relation filter keeps only the instances of the given relation keys (the m unseen relations of a zero-shot
 * split, see {@link FewRelSplits}); the other instances are counted as read but produce nothing. Example ids:
 * {@code <relation>/<position in its list>}.
 */
public final class FewRelReader implements DatasetReader {
    /** The companion file with Wikidata relation names, looked for beside the data file. */
    public static final String PID2NAME = "pid2name.json";
    /** The dataset label every FewRel entity gets. */
    public static final String ENTITY_LABEL = "entity";

    /** What to do with a non-contiguous token index list. */
    public enum NonContiguous { COVERING_SPAN, REJECT }

    private final Set<String> relations;
    private final NonContiguous nonContiguous;

    /** All relations, covering spans for non-contiguous arguments. */
    public FewRelReader() {
        this(null, NonContiguous.COVERING_SPAN);
    }

    /**
     * @param relations     relation keys to keep, or null for all
     * @param nonContiguous what to do with non-contiguous arguments
     */
    public FewRelReader(Set<String> relations, NonContiguous nonContiguous) {
        this.relations = relations == null ? null : Set.copyOf(relations);
        this.nonContiguous = nonContiguous;
    }

    /** A reader that keeps only these relations. */
    public FewRelReader onlyRelations(Set<String> keep) {
        return new FewRelReader(keep, nonContiguous);
    }

    @Override
    public void read(Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report, Consumer<? super Example> sink)
            throws IOException {
        LabelMapping named = mapping;
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && Files.isRegularFile(dir.resolve(PID2NAME))) {
            named = named.withRelationNames(PID2NAME, WikidataNames.read(dir.resolve(PID2NAME)));
        }
        LabelMapping m = WikidataNames.withAuxiliary(named, file);
        String name = file.toString();
        JsonRecords.forEachInObjectOfArrays(file, policy, report, (record, relation, position, node) -> {
            if (relations != null && !relations.contains(relation)) return;
            Records.emit(convert(node, relation, relation + "/" + position, m, report, name, record), report, sink);
        });
    }

    Example convert(JsonNode node, String relation, String id, LabelMapping mapping, ReadReport report, String file,
                    long record) {
        List<String> words = JsonFields.asStrings(JsonFields.array(node, "tokens"), "tokens", true);
        ExampleBuilder b = new ExampleBuilder(id, words, mapping, report, file, record);
        List<int[]> head = occurrences(node, "h", words.size(), report, file, record);
        List<int[]> tail = occurrences(node, "t", words.size(), report, file, record);
        int h = -1;
        for (int[] span : head) {
            int index = b.entity(span[0], span[1], ENTITY_LABEL);
            if (h == -1) h = index;
        }
        int t = -1;
        for (int[] span : tail) {
            int index = b.entity(span[0], span[1], ENTITY_LABEL);
            if (t == -1) t = index;
        }
        b.relation(h, t, relation);
        return b.build();
    }

    /** The occurrences of one argument as [start, end] spans, leftmost first, duplicates removed. */
    private List<int[]> occurrences(JsonNode node, String field, int words, ReadReport report, String file, long record) {
        JsonNode arg = JsonFields.array(node, field);
        if (arg.size() < 3 || !arg.get(2).isArray() || arg.get(2).isEmpty()) {
            throw new BadRecordException("'" + field + "' must be [name, id, [[token indices], ...]], not " + JsonFields.kind(arg));
        }
        TreeSet<Long> spans = new TreeSet<>();
        JsonNode lists = arg.get(2);
        for (int k = 0; k < lists.size(); k++) {
            JsonNode list = lists.get(k);
            String what = "'" + field + "' occurrence " + k;
            if (!list.isArray() || list.isEmpty()) {
                throw new BadRecordException(what + " must be a non-empty list of token indices, not " + JsonFields.kind(list));
            }
            TreeSet<Integer> idx = new TreeSet<>();
            for (int i = 0; i < list.size(); i++) {
                int x = JsonFields.asInt(list.get(i), what + " index " + i);
                if (x < 0 || x >= words) {
                    throw new BadRecordException(what + " token index " + x + " is outside the " + words + " tokens");
                }
                idx.add(x);
            }
            int start = idx.first();
            int end = idx.last();
            if (end - start + 1 != idx.size()) {
                if (nonContiguous == NonContiguous.REJECT) {
                    throw new BadRecordException(what + " token indices " + idx + " are not contiguous");
                }
                report.adjusted("non-contiguous argument replaced by its covering span", new RecordError(file, record,
                        what + " token indices " + idx + " replaced by [" + start + ", " + end + "]"));
            }
            spans.add(((long) start << 32) | end);
        }
        List<int[]> out = new ArrayList<>(spans.size());
        for (long s : spans) out.add(new int[] {(int) (s >>> 32), (int) s});
        return out;
    }
}
