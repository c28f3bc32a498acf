package dev.relex.eval.docred;

import dev.relex.data.Datasets;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.LabelMapping;
import dev.relex.data.LabelMappings;
import dev.relex.data.ReadReport;
import dev.relex.data.docred.ClusterRelation;
import dev.relex.data.docred.DocRedReader;
import dev.relex.data.docred.Document;
import dev.relex.data.docred.EntityCluster;
import dev.relex.data.docred.Mention;
import dev.relex.eval.metrics.DocumentRelationMetrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** DocRED-format documents with the dataset's label mapping (relation ids named from {@code rel_info.json}). */
public record LoadedDocuments(Path file, List<Document> documents, LabelMapping mapping, ReadReport report) {

    public static LoadedDocuments load(String dataset, Path file, int limit) throws IOException {
        LabelMapping mapping = DocRedReader.withRelationNames(Datasets.get(dataset).labelMapping(LabelMappings.builtin()), file);
        ReadReport report = new ReadReport();
        List<Document> docs = new ArrayList<>();
        int max = limit <= 0 ? Integer.MAX_VALUE : limit;
        DocRedReader.readDocuments(file, ErrorPolicy.SKIP, report, d -> {
            if (docs.size() < max) docs.add(d);
        });
        return new LoadedDocuments(file, List.copyOf(docs), mapping, report);
    }

    /**
     * The facts of these documents named as the official script names training facts: (head mention name, tail
     * mention name, relation) for every mention pair of every fact — the reference set for Ign F1.
     */
    public Set<DocumentRelationMetrics.NamedFact> namedFacts() {
        Set<DocumentRelationMetrics.NamedFact> out = new HashSet<>();
        for (Document d : documents) {
            for (ClusterRelation r : d.relations()) {
                EntityCluster h = d.entities().get(r.head()), t = d.entities().get(r.tail());
                String rel = mapping.relation(r.relation());
                for (Mention a : h.mentions()) for (Mention b : t.mentions()) out.add(new DocumentRelationMetrics.NamedFact(a.name(), b.name(), rel));
            }
        }
        return out;
    }
}
