package dev.relex.data.readers;

import dev.relex.data.EntityMention;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;
import dev.relex.data.RelationMention;
import dev.relex.data.SharedDatasets;
import dev.relex.data.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.relex.data.readers.ReaderTesting.assertCounts;
import static dev.relex.data.readers.ReaderTesting.builtin;
import static dev.relex.data.readers.ReaderTesting.stats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpertReaderTest {
    @TempDir
    Path dir;

    /** Sentence, entity and relation counts of the datasets README, sections 1 and 5. */
    @Test
    void countsOfTheReadme() throws IOException {
        Object[][] expected = {
                {"conll04/train_triples.json", "conll04", 922, 3377, 1283},
                {"conll04/dev_triples.json", "conll04", 231, 893, 343},
                {"conll04/test_triples.json", "conll04", 288, 1079, 422},
                // SciERC train has 4 relation triples listed twice in the file; they are kept, as the README counts them.
                {"scierc/train_triples.json", "scierc", 1861, 5598, 3219},
                {"scierc/dev_triples.json", "scierc", 275, 811, 455},
                {"scierc/test_triples.json", "scierc", 551, 1685, 974},
                {"ade/ade_full.json", "ade", 4272, 10839, 6821},
        };
        for (Object[] e : expected) {
            ReadReport report = new ReadReport();
            Statistics s = stats(new SpertReader(), SharedDatasets.file((String) e[0]), (String) e[1], report);
            assertCounts(s, (int) e[2], (int) e[3], (int) e[4], (String) e[0]);
            assertTrue(report.clean(), report.summary());
            assertEquals((int) e[2], report.recordsRead());
        }
    }

    @Test
    void labelsOfConll04() throws IOException {
        Statistics s = stats(new SpertReader(), SharedDatasets.file("conll04/train_triples.json"), "conll04", new ReadReport());
        // Type counts of train_triples.json (counted with jq/python over the file's "type" fields).
        assertEquals(Map.of("location", 1219L, "organization", 616L, "other", 455L, "person", 1087L), s.entityLabels());
        assertEquals(List.of("killed", "lives in", "located in", "organization based in", "works for"),
                List.copyOf(s.relationLabels().keySet()));
    }

    @Test
    void firstConll04SentenceEndsBecomeInclusive() throws IOException {
        List<Example> ex = new SpertReader().readAll(SharedDatasets.file("conll04/train_triples.json"), builtin("conll04"),
                ErrorPolicy.FAIL, new ReadReport());
        Example first = ex.get(0);
        assertEquals("train_triples.json#1", first.id());
        assertEquals(20, first.words().size());
        assertEquals("U.S.", first.words().get(4));
        // In the file: Loc [4,5) [9,10), Org [10,13), Other [15,17) [17,20); OrgBased_In head 2 tail 1.
        assertEquals(List.of(new EntityMention(4, 4, "location"), new EntityMention(9, 9, "location"),
                new EntityMention(10, 12, "organization"), new EntityMention(15, 16, "other"),
                new EntityMention(17, 19, "other")), first.entities());
        assertEquals(List.of(new RelationMention(2, 1, "organization based in")), first.relations());
    }

    @Test
    void badSentencesAreReportedAndSkipped() throws IOException {
        Path file = ReaderTesting.write(dir, "bad.json", """
                [{"tokens": ["a", "b"], "entities": [{"type": "Peop", "start": 0, "end": 2}], "relations": []},
                 {"tokens": ["a", "b"], "entities": [{"type": "Peop", "start": 1, "end": 1}], "relations": []},
                 {"tokens": ["a", "b"], "entities": [{"type": "Peop", "start": 1, "end": 3}], "relations": []},
                 {"tokens": ["a", "b"], "entities": [{"type": "PER", "start": 0, "end": 1}], "relations": []},
                 {"tokens": ["a", "b"], "entities": [{"type": "Peop", "start": 0, "end": 1}],
                  "relations": [{"type": "Kill", "head": 0, "tail": 1}]},
                 {"tokens": ["a", "b"], "entities": [{"type": "Peop", "start": 0, "end": 1}, {"type": "Loc", "start": 1, "end": 2}],
                  "relations": [{"type": "Lives", "head": 0, "tail": 1}]}]
                """);
        ReadReport report = new ReadReport();
        List<Example> ex = new SpertReader().readAll(file, builtin("conll04"), ErrorPolicy.SKIP, report);
        assertEquals(1, ex.size());
        assertEquals(List.of(new EntityMention(0, 1, "person")), ex.get(0).entities());
        String f = file.toString();
        assertEquals(List.of(
                new RecordError(f, 2, "entities[0] [1, 1) 'Peop' is empty"),
                new RecordError(f, 3, "entity [1, 2] 'Peop' is not a word span of the 2 words"),
                new RecordError(f, 4, "entity label 'PER' has no mapping in 'conll04'"),
                new RecordError(f, 5, "relations[0] (0, 1) 'Kill' points at a missing entity (1 entities)"),
                new RecordError(f, 6, "relation label 'Lives' has no mapping in 'conll04'")), report.errors());
    }
}
