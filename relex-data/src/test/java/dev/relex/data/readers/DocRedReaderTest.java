package dev.relex.data.readers;

import dev.relex.data.EntityMention;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;
import dev.relex.data.RelationMention;
import dev.relex.data.SharedDatasets;
import dev.relex.data.Statistics;
import dev.relex.data.docred.DocRedReader;
import dev.relex.data.docred.Document;
import dev.relex.data.docred.DocumentConversion;
import dev.relex.data.docred.Mention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.relex.data.readers.ReaderTesting.assertCounts;
import static dev.relex.data.readers.ReaderTesting.builtin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocRedReaderTest {
    @TempDir
    Path dir;

    /** README section 2: Re-DocRED dev has 500 documents, 9,684 entities (vertexSet entries), 17,284 relations. */
    @Test
    void reDocRedDevDocuments() throws IOException {
        List<Document> docs = new ArrayList<>();
        ReadReport report = new ReadReport();
        DocRedReader.readDocuments(SharedDatasets.file("docred/dev_revised.json"), ErrorPolicy.FAIL, report, docs::add);
        assertEquals(500, docs.size());
        assertEquals(9684, docs.stream().mapToInt(d -> d.entities().size()).sum());
        assertEquals(17284, docs.stream().mapToInt(d -> d.relations().size()).sum());
        assertEquals(13189, docs.stream().mapToInt(Document::mentionCount).sum()); // counted with python over vertexSet
        assertEquals(9, docs.stream().flatMap(d -> d.entities().stream()).filter(e -> e.mixedTypes()).count()); // ditto

        Document first = docs.get(0);
        assertEquals("Willi Schneider (skeleton racer)", first.title());
        assertEquals(List.of(27, 26, 20, 15, 63, 17), first.sentences().stream().map(List::size).toList());
        // vertexSet[0][1] = {"name": "Schneider", "pos": [4, 5], "sent_id": 4, "global_pos": [92, 92]}: 27+26+20+15 = 88.
        assertEquals(new Mention("Schneider", 4, 4, 4, 92, 92, "PER"), first.entities().get(0).mentions().get(1));
        assertEquals(new Mention("Wilfried \" Willi \" Schneider", 0, 0, 4, 0, 4, "PER"), first.entities().get(0).firstMention());
    }

    @Test
    void documentsWithPromptLabels() throws IOException {
        List<Document> docs = new ArrayList<>();
        ReadReport report = new ReadReport();
        DocRedReader.readDocuments(SharedDatasets.file("docred/dev_revised.json"), builtin("docred"), ErrorPolicy.FAIL, report,
                docs::add);
        assertEquals(9684, docs.stream().mapToInt(d -> d.entities().size()).sum());
        assertEquals(17284, docs.stream().mapToInt(d -> d.relations().size()).sum());
        Document first = docs.get(0);
        assertEquals("person", first.entities().get(0).type());
        assertEquals(new dev.relex.data.docred.ClusterRelation(0, 1, "date of birth", List.of(0)),
                first.relations().stream().filter(r -> r.head() == 0 && r.tail() == 1).findFirst().orElseThrow());
        // A mapping that drops TIME: cluster 1 ("13 March 1963") goes, later clusters move up, its relations go.
        dev.relex.data.LabelMapping noTime = builtin("docred").overriddenBy(
                dev.relex.data.LabelMapping.builder("docred").entity("TIME", null).build());
        ReadReport r2 = new ReadReport();
        Document mapped = dev.relex.data.docred.DocumentConversion.mapLabels(
                DocRedReader.parse(dev.relex.data.io.JsonRecords.JSON.readTree(
                        "{\"sents\": [[\"A\", \"born\", \"1963\", \"in\", \"X\"]], \"vertexSet\": ["
                                + "[{\"name\": \"A\", \"sent_id\": 0, \"pos\": [0, 1], \"type\": \"PER\"}],"
                                + "[{\"name\": \"1963\", \"sent_id\": 0, \"pos\": [2, 3], \"type\": \"TIME\"}],"
                                + "[{\"name\": \"X\", \"sent_id\": 0, \"pos\": [4, 5], \"type\": \"LOC\"}]],"
                                + "\"labels\": [{\"h\": 0, \"t\": 1, \"r\": \"P569\"}, {\"h\": 0, \"t\": 2, \"r\": \"P19\"}]}"), "d"),
                noTime.withRelationNames("test", Map.of("P569", "date of birth", "P19", "place of birth")), r2, "f", 1);
        assertEquals(List.of("person", "location"), mapped.entities().stream().map(e -> e.type()).toList());
        assertEquals(List.of(new dev.relex.data.docred.ClusterRelation(0, 1, "place of birth", List.of())), mapped.relations());
        assertEquals(1, r2.entitiesDropped());
        assertEquals(Map.of("argument dropped", 1L), r2.droppedRelations());
    }

    @Test
    void wholeDocumentExamples() throws IOException {
        ReadReport report = new ReadReport();
        Statistics s = new Statistics();
        List<Example> firstOnly = new ArrayList<>();
        new DocRedReader().read(SharedDatasets.file("docred/dev_revised.json"), builtin("docred"), ErrorPolicy.FAIL, report,
                s.andThen(e -> { if (firstOnly.isEmpty()) firstOnly.add(e); }));
        // Every mention is an entity, except 36 mentions listed twice with the same span and type (python count).
        assertCounts(s, 500, 13189 - 36, 17284, "dev_revised.json");
        assertEquals(Map.of("mention listed twice (same span and type), one entity", 36L), report.adjustments());
        assertEquals(95, s.relationLabels().size()); // README: 95 of the 96 relation types occur in dev_revised.json
        assertTrue(s.relationLabels().containsKey("located in the administrative territorial entity"));

        Example e = firstOnly.get(0);
        assertEquals("dev_revised.json#1", e.id());
        assertEquals(27 + 26 + 20 + 15 + 63 + 17, e.words().size());
        // Cluster 0 has 4 mentions (entities 0-3), cluster 1 "13 March 1963" is entity 4, cluster 2 "Mediaș" entity 5.
        assertEquals(new EntityMention(0, 4, "person"), e.entities().get(0));
        assertEquals(new EntityMention(7, 9, "time"), e.entities().get(4));
        assertEquals(new EntityMention(11, 11, "location"), e.entities().get(5));
        // labels {"r": "P569", "h": 0, "t": 1} and {"r": "P19", "h": 0, "t": 2}; rel_info: date / place of birth.
        assertTrue(e.relations().contains(new RelationMention(0, 4, "date of birth")));
        assertTrue(e.relations().contains(new RelationMention(0, 5, "place of birth")));
    }

    @Test
    void sentenceExamplesKeepIntraSentenceRelations() throws IOException {
        ReadReport report = new ReadReport();
        Statistics s = new Statistics();
        List<Example> first = new ArrayList<>();
        new DocRedReader(DocumentConversion.sentences()).read(SharedDatasets.file("docred/dev_revised.json"),
                builtin("docred"), ErrorPolicy.FAIL, report, s.andThen(e -> { if (first.isEmpty()) first.add(e); }));
        // python over the file: 4,110 sentences; summed over sentences, 8,614 (relation, sentence) pairs where both
        // entities are mentioned; 17,284 - 7,982 = 9,302 relations have no such sentence.
        assertCounts(s, 4110, 13189 - 36, 8614, "dev_revised.json sentences");
        assertEquals(Map.of("not within one sentence", 9302L), report.droppedRelations());
        Example s0 = first.get(0);
        assertEquals("dev_revised.json#1/s0", s0.id());
        assertEquals(27, s0.words().size());
        assertEquals(new EntityMention(0, 4, "person"), s0.entities().get(0));
        assertEquals(new EntityMention(7, 9, "time"), s0.entities().get(1));
        assertEquals(new EntityMention(11, 11, "location"), s0.entities().get(2));
        assertTrue(s0.relations().contains(new RelationMention(0, 1, "date of birth")));
        assertTrue(s0.relations().contains(new RelationMention(0, 2, "place of birth")));
    }

    @Test
    void allMentionPairs() throws IOException {
        Statistics s = new Statistics();
        new DocRedReader(new DocumentConversion(DocumentConversion.Granularity.DOCUMENT,
                DocumentConversion.RelationAnchor.ALL_MENTION_PAIRS)).read(SharedDatasets.file("docred/dev_revised.json"),
                builtin("docred"), ErrorPolicy.FAIL, new ReadReport(), s);
        // python: sum over relations of |distinct head mentions| x |distinct tail mentions| = 51,498.
        assertEquals(51498, s.relations());
    }

    @Test
    void unlabelledTestFileAndDwie() throws IOException {
        Statistics test = new Statistics();
        new DocRedReader().read(SharedDatasets.file("docred/test.json"), builtin("docred"), ErrorPolicy.FAIL,
                new ReadReport(), test);
        assertEquals(1000, test.examples());
        assertEquals(0, test.relations());
        List<Document> docs = new ArrayList<>();
        DocRedReader.readDocuments(SharedDatasets.file("docred/test.json"), ErrorPolicy.FAIL, new ReadReport(), docs::add);
        assertEquals(19539, docs.stream().mapToInt(d -> d.entities().size()).sum()); // README: 19,539 entities

        // dwie/SOURCES.md: dev 98 documents / 2,785 entities / 2,624 relation labels; test 99 / 2,623 / 2,459.
        Object[][] dwie = {{"dwie/dataset_dwie/dev.json", 98, 2785, 2624}, {"dwie/dataset_dwie/test.json", 99, 2623, 2459}};
        for (Object[] d : dwie) {
            List<Document> ds = new ArrayList<>();
            DocRedReader.readDocuments(SharedDatasets.file((String) d[0]), ErrorPolicy.FAIL, new ReadReport(), ds::add);
            assertEquals((int) d[1], ds.size());
            assertEquals((int) d[2], ds.stream().mapToInt(x -> x.entities().size()).sum());
            assertEquals((int) d[3], ds.stream().mapToInt(x -> x.relations().size()).sum());
            ReadReport report = new ReadReport();
            Statistics s = new Statistics();
            new DocRedReader().read(SharedDatasets.file((String) d[0]), builtin("dwie"), ErrorPolicy.FAIL, report, s);
            assertEquals((int) d[3], s.relations(), "every DWIE relation label is mapped");
            assertTrue(report.clean(), report.summary());
        }
    }

    @Test
    void badDocumentsAreReported() throws IOException {
        String good = "{\"title\": \"t\", \"sents\": [[\"A\", \"met\", \"B\", \".\"], [\"B\", \"left\"]], \"vertexSet\": "
                + "[[{\"name\": \"A\", \"sent_id\": 0, \"pos\": [0, 1], \"type\": \"PER\"}], "
                + "[{\"name\": \"B\", \"sent_id\": 0, \"pos\": [2, 3], \"type\": \"PER\"}, {\"name\": \"B\", \"sent_id\": 1, \"pos\": [0, 1], \"type\": \"PER\"}]], "
                + "\"labels\": [{\"h\": 0, \"t\": 1, \"r\": \"P26\", \"evidence\": [0]}]}";
        Path file = ReaderTesting.write(dir, "docs.json", "[" + String.join(",\n",
                good,
                good.replace("\"pos\": [0, 1], \"type\": \"PER\"}]]", "\"pos\": [0, 3], \"type\": \"PER\"}]]"),
                good.replace("\"h\": 0, \"t\": 1", "\"h\": 0, \"t\": 2"),
                good.replace("\"P26\"", "\"P0000\""),
                good.replace("\"sent_id\": 1", "\"sent_id\": 2")) + "]");
        ReaderTesting.write(dir, "rel_info.json", "{\"P26\": \"spouse\"}"); // found beside the data file
        ReadReport report = new ReadReport();
        List<Example> ex = new DocRedReader().readAll(file, builtin("docred"), ErrorPolicy.SKIP, report);
        assertEquals(1, ex.size());
        assertEquals(List.of(new RelationMention(0, 1, "spouse")), ex.get(0).relations());
        assertEquals(List.of(new EntityMention(0, 0, "person"), new EntityMention(2, 2, "person"),
                new EntityMention(4, 4, "person")), ex.get(0).entities());
        String f = file.toString();
        assertEquals(List.of(
                new RecordError(f, 2, "vertexSet[1][1] 'B' pos [0, 3) is not a span of sentence 1 (2 words)"),
                new RecordError(f, 3, "labels[0] (0, 2) 'P26' points at a missing entity (2 in vertexSet)"),
                new RecordError(f, 4, "relation label 'P0000' has no mapping in 'docred' nor in rel_info.json"),
                new RecordError(f, 5, "vertexSet[1][1] sent_id 2 does not exist (2 sentences)")), report.errors());
    }
}
