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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.relex.data.readers.ReaderTesting.assertCounts;
import static dev.relex.data.readers.ReaderTesting.builtin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrossReReaderTest {
    @TempDir
    Path dir;

    /**
     * The README's table (section 4), train and dev of all six domains. The test files are held back here; they are
     * checked only when present. The README's totals (5,265 / 26,925 / 19,761) include them.
     */
    @Test
    void countsOfTheReadme() throws IOException {
        Object[][] expected = {
                {"ai", 100, 532, 363, 350, 1548, 1079, 431, 1811, 1164},
                {"literature", 100, 540, 400, 400, 2132, 1570, 416, 2278, 1623},
                {"music", 100, 652, 513, 350, 2468, 1981, 399, 2885, 2415},
                {"news", 164, 350, 181, 350, 609, 308, 400, 856, 396},
                {"politics", 101, 639, 536, 350, 2267, 1874, 400, 2540, 2124},
                {"science", 103, 551, 401, 351, 1994, 1387, 400, 2273, 1446},
        };
        long[] total = new long[3];
        boolean allTests = true;
        Statistics all = new Statistics();
        for (Object[] e : expected) {
            String[] splits = {"train", "dev", "test"};
            for (int k = 0; k < 3; k++) {
                Path file = SharedDatasets.root().resolve("crossre/" + e[0] + "-" + splits[k] + ".json");
                if (k == 2 && !Files.exists(file)) {
                    allTests = false;
                    continue;
                }
                ReadReport report = new ReadReport();
                Statistics s = new Statistics();
                new CrossReReader().read(file, builtin("crossre"), ErrorPolicy.FAIL, report, s.andThen(all));
                assertCounts(s, (int) e[1 + 3 * k], (int) e[2 + 3 * k], (int) e[3 + 3 * k], file.toString());
                assertTrue(report.clean(), report.summary());
                total[0] += s.examples();
                total[1] += s.entities();
                total[2] += s.relations();
            }
        }
        if (allTests) {
            assertEquals(5265, total[0]);
            assertEquals(26925, total[1]);
            assertEquals(19761, total[2]);
        } else {
            // Train + dev only: the README's totals minus its test columns (2,446 / 12,643 / 9,168).
            assertEquals(5265 - 2446, total[0]);
            assertEquals(26925 - 12643, total[1]);
            assertEquals(19761 - 9168, total[2]);
        }
        // All 17 relation types of the README occur in train + dev; 39 entity types in all splits.
        assertEquals(17, all.relationLabels().size());
        assertFalse(all.entityLabels().containsKey("politicalparty"));
        assertTrue(all.entityLabels().containsKey("political party"));
    }

    @Test
    void multiLabelPairsGiveOneRelationPerLabel() throws IOException {
        List<Example> ex = new CrossReReader().readAll(SharedDatasets.file("crossre/news-train.json"), builtin("crossre"),
                ErrorPolicy.FAIL, new ReadReport());
        Example first = ex.get(0);
        // {"doc_key": "news-train-1", "sentence": ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."],
        //  "ner": [[0, 0, "organisation"], [2, 3, "misc"], [6, 7, "misc"]],
        //  "relations": [[0, 0, 2, 3, "opposite", ...], [2, 3, 6, 7, "opposite", ...], [2, 3, 6, 7, "topic", ...]]}
        assertEquals("news-train-1", first.id());
        assertEquals(List.of(new EntityMention(0, 0, "organisation"), new EntityMention(2, 3, "miscellaneous"),
                new EntityMention(6, 7, "miscellaneous")), first.entities());
        assertEquals(List.of(new RelationMention(0, 1, "opposite"), new RelationMention(1, 2, "opposite"),
                new RelationMention(1, 2, "topic")), first.relations());
    }

    @Test
    void relationArgumentsMustBeEntities() throws IOException {
        Path file = ReaderTesting.write(dir, "x.json", String.join("\n",
                "{\"doc_key\": \"a\", \"sentence\": [\"x\", \"y\"], \"ner\": [[0, 0, \"person\"]], \"relations\": [[0, 0, 1, 1, \"role\", \"\", false, false]]}",
                "{\"doc_key\": \"b\", \"sentence\": [\"x\", \"y\"], \"ner\": [[0, 0, \"person\"], [0, 0, \"writer\"], [1, 1, \"book\"]], \"relations\": [[0, 0, 1, 1, \"role\"]]}",
                "{\"doc_key\": \"c\", \"sentence\": [\"x\", \"y\"], \"ner\": [[0, 1, \"person\"]], \"relations\": [[0, 1, 0, 1, \"social\"]]}"));
        ReadReport report = new ReadReport();
        List<Example> ex = new CrossReReader().readAll(file, builtin("crossre"), ErrorPolicy.SKIP, report);
        assertEquals(List.of("c"), ex.stream().map(Example::id).toList());
        assertEquals(List.of(new RelationMention(0, 0, "social")), ex.get(0).relations());
        assertEquals(List.of(
                new RecordError(file.toString(), 1, "relations[0] tail [1, 1] of 'role' is not an entity of ner"),
                new RecordError(file.toString(), 2, "relations[0] head [0, 0] of 'role' matches several entities of ner")),
                report.errors());
    }
}
