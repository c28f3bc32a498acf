package dev.relex.eval.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.data.DatasetInfo;
import dev.relex.data.DatasetReader;
import dev.relex.data.Datasets;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.LabelMapping;
import dev.relex.data.LabelMappings;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;
import dev.relex.data.readers.FewRelReader;
import dev.relex.data.readers.FewRelSplits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import dev.relex.data.EntityMention;
import dev.relex.data.RelationMention;

/**
 * A dataset split read for evaluation through the {@link Datasets} registry and its built-in label mapping (labels
 * in the examples are prompt labels). Bad records are skipped and reported ({@link ErrorPolicy#SKIP}); the first
 * {@code limit} examples are kept.
 *
 * @param name    registry name
 * @param file    the split file
 * @param sha256  of the split file
 * @param mapping the label mapping used
 * @param report  what the reader reported (records read, skipped, adjusted)
 * @param entityLabels   the dataset's entity label set (prompt labels): the mapping's targets when it names every
 *                       label (not pass-through), else every label of the whole file (before {@code limit}), sorted
 * @param relationLabels the same for relations (FewRel with a zero-shot split: its m test relations)
 */
public record LoadedDataset(String name, Path file, String sha256, LabelMapping mapping, ReadReport report,
                            List<Example> examples, FewRelSplits fewRelSplit, List<String> entityLabels,
                            List<String> relationLabels) {

    /**
     * @param split        a file, or a split name of the dataset resolved against {@code datasetsDir}
     * @param limit        keep the first {@code limit} examples (0 = all)
     * @param fewRelSplit  for FewRel: a zero-shot split file; only the instances of its test relations are read
     */
    public static LoadedDataset load(String name, String split, Path datasetsDir, int limit, Path fewRelSplit) throws IOException {
        DatasetInfo info = Datasets.get(name);
        Path file = Path.of(split);
        if (!Files.isRegularFile(file)) {
            String rel = info.splits().get(split);
            if (rel == null) {
                throw new IllegalArgumentException("split '" + split + "' is neither a file nor a split of " + name + " "
                        + info.splits().keySet());
            }
            file = datasetsDir.resolve(rel);
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException("split file " + file + " does not exist");
        }
        LabelMapping mapping = info.labelMapping(LabelMappings.builtin());
        DatasetReader reader = info.newReader();
        FewRelSplits zs = null;
        if (fewRelSplit != null) {
            if (!(reader instanceof FewRelReader fr)) throw new IllegalArgumentException("--fewrel-split needs a FewRel dataset, not " + name);
            zs = FewRelSplits.read(fewRelSplit);
            reader = fr.onlyRelations(zs.test());
        }
        ReadReport report = new ReadReport();
        List<Example> examples = new ArrayList<>();
        int max = limit <= 0 ? Integer.MAX_VALUE : limit;
        TreeSet<String> ents = new TreeSet<>(), rels = new TreeSet<>();
        reader.read(file, mapping, ErrorPolicy.SKIP, report, e -> {
            if (examples.size() < max) examples.add(e);
            for (EntityMention m : e.entities()) ents.add(m.label());
            for (RelationMention r : e.relations()) rels.add(r.label());
        });
        if (!mapping.entitiesPassThrough() && !mapping.entityEntries().isEmpty()) {
            ents.clear();
            mapping.entityEntries().values().stream().filter(java.util.Objects::nonNull).forEach(ents::add);
        }
        if (!mapping.relationsPassThrough() && !mapping.relationEntries().isEmpty() && zs == null) {
            rels.clear();
            mapping.relationEntries().values().stream().filter(java.util.Objects::nonNull).forEach(rels::add);
        }
        return new LoadedDataset(name, file, Provenance.sha256(file), mapping, report, List.copyOf(examples), zs,
                List.copyOf(ents), List.copyOf(rels));
    }

    /** JSON description: name, file, sha256, records read/skipped, label mapping entries. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("file", file.toAbsolutePath().normalize().toString());
        o.put("sha256", sha256);
        o.put("examples_evaluated", examples.size());
        o.put("records_read", report.recordsRead());
        o.put("records_skipped", report.recordsSkipped());
        var errs = o.putArray("skipped_records");   // the first ones the reader kept
        for (RecordError e : report.errors()) errs.add(String.valueOf(e));
        ObjectNode m = o.putObject("label_mapping");
        m.put("name", mapping.name());
        ObjectNode ents = m.putObject("entities");
        mapping.entityEntries().forEach(ents::put);
        ObjectNode rels = m.putObject("relations");
        mapping.relationEntries().forEach(rels::put);
        if (fewRelSplit != null) {
            o.set("fewrel_unseen_relations", JsonNodeFactory.instance.arrayNode().addAll(
                    fewRelSplit.test().stream().sorted().map(JsonNodeFactory.instance::textNode).toList()));
        }
        return o;
    }
}
