package dev.relex.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatisticsAndRegistryTest {

    @Test
    void statisticsOfHandMadeExamples() {
        Statistics s = Statistics.of(List.of(
                new Example("a", List.of("A", "met", "B"), List.of(new EntityMention(0, 0, "person"), new EntityMention(2, 2, "person")),
                        List.of(new RelationMention(0, 1, "met"))),
                new Example("b", List.of("nothing"), List.of(), List.of())));
        assertEquals(2, s.examples());
        assertEquals(4, s.words());
        assertEquals(3, s.maxWords());
        assertEquals(2, s.entities());
        assertEquals(1, s.relations());
        assertEquals(1, s.examplesWithoutEntities());
        assertEquals(1, s.examplesWithRelations());
        assertEquals(Map.of("person", 2L), s.entityLabels());
        assertEquals("2 examples, 4 words (max 3), 2 entities (1 labels), 1 relations (1 labels)", s.summary());
        assertEquals("""
                2 examples, 4 words (max 3), 2 entities (1 labels), 1 relations (1 labels)
                examples without entities: 1; with relations: 1
                entity labels:
                         2  person
                relation labels:
                         1  met
                """, s.format());
    }

    @Test
    void registryNamesTheBenchmarkDatasets() {
        for (String name : List.of("conll04", "scierc", "ade", "crossre", "docred", "docred-sentences", "dwie", "fewrel",
                "fewrel2-pubmed", "rebel", "nuner", "gliner-json")) {
            DatasetInfo d = Datasets.get(name);
            assertEquals(name, d.name());
            assertTrue(LabelMappings.builtin().has(d.mapping()), name + " has its label mapping");
            assertTrue(!d.licence().isBlank() && !d.format().isBlank() && !d.description().isBlank(), name);
        }
        assertTrue(Datasets.get("rebel").licence().contains("non-commercial"));
        assertEquals(18, Datasets.get("crossre").splits().size());
    }

    /**
     * Every split of the benchmark datasets present in ../shared reads without a single bad record (FAIL policy).
     * Only this provider's datasets: other providers' data may have bad records on purpose (reported under SKIP).
     */
    @Test
    void everyPresentSplitReadsWithoutBadRecords() throws IOException {
        int read = 0;
        for (DatasetInfo d : new dev.relex.data.readers.BenchmarkDatasets().datasets()) {
            for (Map.Entry<String, String> split : d.splits().entrySet()) {
                Path file = SharedDatasets.root().resolve(split.getValue());
                if (!Files.isRegularFile(file)) continue; // held back or too large for the snapshot (datasets README)
                ReadReport report = new ReadReport();
                Statistics s = new Statistics();
                d.newReader().read(file, d.labelMapping(LabelMappings.builtin()), ErrorPolicy.FAIL, report, s);
                assertEquals(0, report.recordsSkipped(), d.name() + " " + split.getKey());
                assertTrue(s.examples() > 0, d.name() + " " + split.getKey());
                read++;
            }
        }
        assertTrue(read >= 27, "splits read: " + read);
    }
}
