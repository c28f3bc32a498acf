package dev.relex.data.docred;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.data.BadRecordException;
import dev.relex.data.DatasetReader;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.LabelMapping;
import dev.relex.data.ReadReport;
import dev.relex.data.WikidataNames;
import dev.relex.data.io.JsonFields;
import dev.relex.data.io.JsonRecords;
import dev.relex.data.io.Records;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * DocRED's JSON (DocRED, Re-DocRED, DWIE's conversion): one JSON array of documents
 * {@code {"title", "sents": [[words]], "vertexSet": [[{"name", "sent_id", "pos": [start, end), "type"}]],
 * "labels": [{"h", "t", "r", "evidence"}]}}, streamed document by document. {@code pos} is relative to the
 * sentence, end exclusive; Re-DocRED's extra {@code global_pos} (document start, twice) is checked against the
 * computed document offset when present, and {@code index} is ignored. {@code labels} may be absent (DocRED's
 * test.json): the document then has no relations.
 *
 * <p>As a {@link DatasetReader} it converts each document with its {@link DocumentConversion} (whole documents by
 * default). Relation names: a {@code rel_info.json} beside the file names Wikidata ids (DocRED), then the
 * auxiliary Wikidata name files (see {@link WikidataNames#findAuxiliary}); entries of the label mapping win.
 */
public final class DocRedReader implements DatasetReader {
    /** The companion file with Wikidata relation names, looked for beside the data file. */
    public static final String REL_INFO = "rel_info.json";

    private final DocumentConversion conversion;

    /** Whole documents, relations between first mentions. */
    public DocRedReader() {
        this(DocumentConversion.documents());
    }

    public DocRedReader(DocumentConversion conversion) {
        this.conversion = Objects.requireNonNull(conversion, "conversion");
    }

    public DocumentConversion conversion() {
        return conversion;
    }

    @Override
    public void read(Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report, Consumer<? super Example> sink)
            throws IOException {
        LabelMapping named = withRelationNames(mapping, file);
        String name = file.toString();
        String shortName = file.getFileName().toString();
        JsonRecords.forEachInArray(file, policy, report, (record, node) -> {
            Document doc = parse(node, shortName + "#" + record);
            List<Example> out = new ArrayList<>();
            conversion.convert(doc, named, report, name, record, out::add); // all or nothing per document
            for (Example e : out) Records.emit(e, report, sink);
        });
    }

    /** {@code mapping} with the relation names of {@code rel_info.json} beside {@code file} and the auxiliary names. */
    public static LabelMapping withRelationNames(LabelMapping mapping, Path file) throws IOException {
        LabelMapping m = mapping;
        Path dir = file.toAbsolutePath().getParent();
        Path relInfo = dir == null ? null : dir.resolve(REL_INFO);
        if (relInfo != null && Files.isRegularFile(relInfo)) m = m.withRelationNames(REL_INFO, WikidataNames.read(relInfo));
        return WikidataNames.withAuxiliary(m, file);
    }

    /** Streams the documents of a file (dataset labels, no mapping). */
    public static void readDocuments(Path file, ErrorPolicy policy, ReadReport report, Consumer<? super Document> sink)
            throws IOException {
        String shortName = file.getFileName().toString();
        JsonRecords.forEachInArray(file, policy, report, (record, node) -> sink.accept(parse(node, shortName + "#" + record)));
    }

    /**
     * Streams the documents of a file with prompt labels: mention types and relation labels mapped (relation names
     * from {@code rel_info.json} beside the file and the auxiliary names, as {@link #read} does). An unmapped label
     * makes the document bad; labels the mapping drops are left out and counted (see
     * {@link DocumentConversion#mapLabels}).
     */
    public static void readDocuments(Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report,
                                     Consumer<? super Document> sink) throws IOException {
        LabelMapping named = withRelationNames(mapping, file);
        String name = file.toString();
        String shortName = file.getFileName().toString();
        JsonRecords.forEachInArray(file, policy, report, (record, node) ->
                sink.accept(DocumentConversion.mapLabels(parse(node, shortName + "#" + record), named, report, name, record)));
    }

    /** Parses one document; throws {@link BadRecordException} naming the offending field. */
    public static Document parse(JsonNode node, String id) {
        String title = node.has("title") && node.get("title").isTextual() ? node.get("title").asText() : "";
        JsonNode sents = JsonFields.array(node, "sents");
        List<List<String>> sentences = new ArrayList<>(sents.size());
        int[] offset = new int[sents.size() + 1];
        for (int s = 0; s < sents.size(); s++) {
            List<String> words = JsonFields.asStrings(sents.get(s), "sents[" + s + "]", true);
            sentences.add(words);
            offset[s + 1] = offset[s] + words.size();
        }
        JsonNode vertexSet = JsonFields.array(node, "vertexSet");
        List<EntityCluster> entities = new ArrayList<>(vertexSet.size());
        for (int v = 0; v < vertexSet.size(); v++) {
            JsonNode cluster = vertexSet.get(v);
            String where = "vertexSet[" + v + "]";
            if (!cluster.isArray() || cluster.isEmpty()) {
                throw new BadRecordException(where + " must be a non-empty list of mentions, not " + JsonFields.kind(cluster));
            }
            List<Mention> mentions = new ArrayList<>(cluster.size());
            for (int k = 0; k < cluster.size(); k++) {
                mentions.add(mention(cluster.get(k), where + "[" + k + "]", sentences, offset));
            }
            entities.add(new EntityCluster(mentions));
        }
        List<ClusterRelation> relations = new ArrayList<>();
        JsonNode labels = JsonFields.optionalArray(node, "labels");
        if (labels != null) {
            for (int i = 0; i < labels.size(); i++) {
                JsonNode l = labels.get(i);
                String where = "labels[" + i + "]";
                int h = JsonFields.intField(l, "h");
                int t = JsonFields.intField(l, "t");
                String r = JsonFields.text(l, "r");
                if (h < 0 || h >= entities.size() || t < 0 || t >= entities.size()) {
                    throw new BadRecordException(where + " (" + h + ", " + t + ") '" + r + "' points at a missing entity ("
                            + entities.size() + " in vertexSet)");
                }
                List<Integer> evidence = new ArrayList<>();
                JsonNode ev = JsonFields.optionalArray(l, "evidence");
                if (ev != null) {
                    for (int k = 0; k < ev.size(); k++) {
                        int s = JsonFields.asInt(ev.get(k), where + " evidence[" + k + "]");
                        if (s < 0 || s >= sentences.size()) {
                            throw new BadRecordException(where + " evidence sentence " + s + " does not exist ("
                                    + sentences.size() + " sentences)");
                        }
                        evidence.add(s);
                    }
                }
                relations.add(new ClusterRelation(h, t, r, evidence));
            }
        }
        return new Document(id, title, sentences, entities, relations);
    }

    private static Mention mention(JsonNode m, String where, List<List<String>> sentences, int[] offset) {
        int s = JsonFields.intField(m, "sent_id");
        if (s < 0 || s >= sentences.size()) {
            throw new BadRecordException(where + " sent_id " + s + " does not exist (" + sentences.size() + " sentences)");
        }
        JsonNode pos = JsonFields.array(m, "pos");
        if (pos.size() != 2) throw new BadRecordException(where + " pos must be [start, end), not " + JsonFields.kind(pos));
        int start = JsonFields.asInt(pos.get(0), where + " pos start");
        int endExclusive = JsonFields.asInt(pos.get(1), where + " pos end");
        String type = JsonFields.text(m, "type");
        String name = m.has("name") && m.get("name").isTextual() ? m.get("name").asText() : "";
        int n = sentences.get(s).size();
        if (start < 0 || endExclusive <= start || endExclusive > n) {
            throw new BadRecordException(where + " '" + name + "' pos [" + start + ", " + endExclusive
                    + ") is not a span of sentence " + s + " (" + n + " words)");
        }
        JsonNode global = m.get("global_pos");
        if (global != null && global.isArray() && !global.isEmpty()) {
            int g = JsonFields.asInt(global.get(0), where + " global_pos");
            if (g != offset[s] + start) {
                throw new BadRecordException(where + " '" + name + "' global_pos " + g + " differs from its document offset "
                        + (offset[s] + start));
            }
        }
        return new Mention(name, s, start, endExclusive - 1, offset[s] + start, offset[s] + endExclusive - 1, type);
    }
}
