package dev.relex.data.readers;

import dev.relex.data.EntityMention;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;
import dev.relex.data.RelationMention;
import dev.relex.data.SharedDatasets;
import dev.relex.data.Statistics;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.relex.data.readers.ReaderTesting.assertCounts;
import static dev.relex.data.readers.ReaderTesting.builtin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FewRelReaderTest {
    @TempDir
    Path dir;

    /** A val_wiki-style file: P26 with a non-contiguous head and a two-occurrence tail, P177 plain. */
    static final String SAMPLE = """
            {"P26": [{"tokens": ["Ann", "and", "Bo", "Lee", "wed", ";", "Bo", "smiled"],
                      "h": ["ann lee", "Q1", [[0, 3]]], "t": ["bo", "Q2", [[6], [2]]]}],
             "P177": [{"tokens": ["The", "bridge", "crosses", "the", "Rhine"],
                       "h": ["bridge", "Q3", [[1]]], "t": ["rhine", "Q4", [[4]]]},
                      {"tokens": ["x"], "h": ["x", "Q5", [[0]]], "t": ["y", "Q6", [[1]]]}]}
            """;

    @Test
    void instancesBecomeOneRelationExamples() throws IOException {
        Path file = ReaderTesting.write(dir, "val_wiki.json", SAMPLE);
        ReaderTesting.write(dir, "pid2name.json", "{\"P26\": [\"spouse\", \"d\"], \"P177\": [\"crosses\", \"d\"]}");
        ReadReport report = new ReadReport();
        List<Example> ex = new FewRelReader().readAll(file, builtin("fewrel"), ErrorPolicy.SKIP, report);
        assertEquals(2, ex.size());
        Example a = ex.get(0);
        assertEquals("P26/1", a.id());
        // head [0, 3] is not contiguous: covering span [0, 3]; tail occurrences [6] and [2]: both entities, leftmost first.
        assertEquals(List.of(new EntityMention(0, 3, "entity"), new EntityMention(2, 2, "entity"),
                new EntityMention(6, 6, "entity")), a.entities());
        assertEquals(List.of(new RelationMention(0, 1, "spouse")), a.relations());
        assertEquals(Map.of("non-contiguous argument replaced by its covering span", 1L), report.adjustments());
        assertEquals(new RecordError(file.toString(), 1, "'h' occurrence 0 token indices [0, 3] replaced by [0, 3]"),
                report.notes().get(0));
        assertEquals(List.of(new RelationMention(0, 1, "crosses")), ex.get(1).relations());
        assertEquals(List.of(new RecordError(file.toString(), 3, "'t' occurrence 0 token index 1 is outside the 1 tokens")),
                report.errors());
        assertEquals(3, report.recordsRead());
    }

    @Test
    void nonContiguousCanBeRejectedAndRelationsFiltered() throws IOException {
        Path file = ReaderTesting.write(dir, "val_wiki.json", SAMPLE);
        ReaderTesting.write(dir, "pid2name.json", "{\"P26\": [\"spouse\", \"d\"], \"P177\": [\"crosses\", \"d\"]}");
        FewRelReader strict = new FewRelReader(null, FewRelReader.NonContiguous.REJECT);
        {
            var e = assertThrows(dev.relex.data.DatasetFormatException.class,
                    () -> strict.readAll(file, builtin("fewrel"), ErrorPolicy.FAIL, new ReadReport()));
            assertEquals("'h' occurrence 0 token indices [0, 3] are not contiguous", e.error().message());
        }
        Path split = ReaderTesting.write(dir, "fewrel_rel2id_1_x.json",
                "{\"train\": {\"P26\": 0}, \"eval\": {}, \"test\": {\"P177\": 1}}");
        FewRelSplits s = FewRelSplits.read(split);
        assertEquals(Set.of("P177"), s.test());
        ReadReport report = new ReadReport();
        List<Example> ex = new FewRelReader().onlyRelations(s.test()).readAll(file, builtin("fewrel"), ErrorPolicy.SKIP, report);
        assertEquals(List.of("P177/1"), ex.stream().map(Example::id).toList());
        assertEquals(3, report.recordsRead()); // all read, P26 left out by the filter, P177/2 bad
    }

    /** fewrel2-val/SOURCES.md: val_pubmed has 10 UMLS relations x 100 instances, one occurrence per argument. */
    @Test
    void fewRel2PubMed() throws IOException {
        ReadReport report = new ReadReport();
        Statistics s = ReaderTesting.stats(new FewRelReader(), SharedDatasets.file("fewrel2-val/data/val_pubmed.json"),
                "fewrel2-pubmed", report);
        assertCounts(s, 1000, 2000, 1000, "val_pubmed.json");
        assertEquals(10, s.relationLabels().size());
        s.relationLabels().values().forEach(n -> assertEquals(100L, n));
        assertTrue(s.relationLabels().containsKey("gene found in organism"));
        assertTrue(report.clean(), report.summary());
    }

    /**
     * val_wiki.json and the zero-shot split files are held back from this folder (datasets README); when present:
     * 16 relations x 700 instances, and the m = 5/10/15 "ori" test sets are all val_wiki relations.
     */
    @Test
    void valWikiWhenPresent() throws IOException {
        Path val = SharedDatasets.root().resolve("fewrel/val_wiki.json");
        Assumptions.assumeTrue(Files.isRegularFile(val), "fewrel/val_wiki.json is held back");
        ReadReport report = new ReadReport();
        Statistics s = ReaderTesting.stats(new FewRelReader(), val, "fewrel", report);
        assertEquals(11200, s.examples());
        assertEquals(11200, s.relations());
        assertEquals(16, s.relationLabels().size());
        for (int m : new int[] {5, 10, 15}) {
            Path split = SharedDatasets.root().resolve("fewrel/zs_splits/fewrel_rel2id_" + m + "_ori.json");
            if (!Files.isRegularFile(split)) continue;
            Statistics t = new Statistics();
            new FewRelReader().onlyRelations(FewRelSplits.read(split).test()).read(val, builtin("fewrel"), ErrorPolicy.FAIL,
                    new ReadReport(), t);
            assertEquals(700L * m, t.examples());
        }
    }
}
