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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.relex.data.readers.ReaderTesting.builtin;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RebelReaderTest {
    @TempDir
    Path dir;

    /**
     * README: 1,000 abstracts, 10,977 entity mentions, 2,868 triples, 186 relation names. All 2,868 triples are kept.
     * Entities: 10,866 = 10,977 - 111 that land on the words of an earlier entity (20 pairs share their boundaries
     * in the file; the others are relocated or widened onto another entity's words). The README's "character offsets
     * (checked)" does not hold for 1,711 entities: their boundaries do not select their surface form (the texts were
     * cleaned after the offsets were computed; see RebelReader). These numbers were reproduced with an independent
     * python script over the file (regex \w+(?:[-_]\w+)*|\S for words, nearest occurrence for relocation).
     */
    @Test
    void sampleCounts() throws IOException {
        ReadReport report = new ReadReport();
        Statistics s = new Statistics();
        List<Example> sixth = new ArrayList<>();
        new RebelReader().read(SharedDatasets.file("rebel_sample/sample.jsonl"), builtin("rebel"), ErrorPolicy.FAIL, report,
                s.andThen(e -> { if (e.id().equals("29899371")) sixth.add(e); }));
        assertEquals(1000, s.examples());
        assertEquals(87082, s.words());
        assertEquals(10866, s.entities());
        assertEquals(2868, s.relations());
        assertEquals(186, s.relationLabels().size());
        // Annotators in the file: Me 7,906, Date_Linker 1,854, Value_Linker 1,217; after the 111 merges (the first
        // entity on a span keeps it) and mapping to prompt labels (same python script):
        assertEquals(Map.of("entity", 7901L, "date", 1836L, "number", 1129L), s.entityLabels());
        assertEquals(Map.of(
                "boundaries off their surface form, moved to its nearest occurrence", 1711L,
                "boundary inside a word, widened to whole words", 583L,
                "two entities on the same words, one entity", 111L), report.adjustments());
        assertEquals(0, report.entitiesDropped());
        assertEquals(0, report.relationsDropped());
        // Record 6 (docid 29899371): "... Chulalongkorn University  is the first Pharmacy school in Thailand ...";
        // "Pharmacy school" has boundaries [77, 92) but is at [75, 90).
        assertEquals(new RecordError(SharedDatasets.file("rebel_sample/sample.jsonl").toString(), 6,
                "entities[0] 'Pharmacy school' moved from 77 to 75"), report.notes().stream()
                .filter(n -> n.record() == 6).findFirst().orElseThrow());
        Example e = sixth.get(0);
        int pharmacy = e.words().indexOf("Pharmacy");
        assertEquals("school", e.words().get(pharmacy + 1));
        assertEquals(true, e.entities().contains(new EntityMention(pharmacy, pharmacy + 1, "entity")));
    }

    @Test
    void handMadeRecord() throws IOException {
        // "Ada" [0,3) Me; "London" given at [10,16) but it is at [7,13) (moved); "1815" [16,20) Date_Linker; "Lond"
        // [7,11) cuts "London" (widened, then merged with it); "Bob" [0,3) is not in the text (dropped). Relations
        // are named by their predicate's surface form (the rebel mapping has no relation entries).
        String text = "Ada in London , 1815";
        String line = "{\"docid\": \"d1\", \"text\": \"" + text + "\", \"entities\": ["
                + "{\"uri\": \"Q1\", \"boundaries\": [0, 3], \"surfaceform\": \"Ada\", \"annotator\": \"Me\"},"
                + "{\"uri\": \"Q2\", \"boundaries\": [10, 16], \"surfaceform\": \"London\", \"annotator\": \"Me\"},"
                + "{\"uri\": \"Q3\", \"boundaries\": [16, 20], \"surfaceform\": \"1815\", \"annotator\": \"Date_Linker\"},"
                + "{\"uri\": \"Q4\", \"boundaries\": [7, 11], \"surfaceform\": \"Lond\", \"annotator\": \"Me\"},"
                + "{\"uri\": \"Q5\", \"boundaries\": [0, 3], \"surfaceform\": \"Bob\", \"annotator\": \"Me\"}],"
                + "\"triples\": ["
                + "{\"subject\": {\"uri\": \"Q1\", \"boundaries\": [0, 3]}, \"predicate\": {\"uri\": \"P19\", \"surfaceform\": \"place of birth\"},"
                + " \"object\": {\"uri\": \"Q2\", \"boundaries\": [10, 16]}},"
                + "{\"subject\": {\"uri\": \"Q1\", \"boundaries\": [0, 3]}, \"predicate\": {\"uri\": \"P569\", \"surfaceform\": \"date of birth\"},"
                + " \"object\": {\"uri\": \"Q3\", \"boundaries\": [16, 20]}},"
                + "{\"subject\": {\"uri\": \"Q5\", \"boundaries\": [0, 3]}, \"predicate\": {\"uri\": \"P27\", \"surfaceform\": \"citizenship\"},"
                + " \"object\": {\"uri\": \"Q2\", \"boundaries\": [10, 16]}}]}";
        Path file = ReaderTesting.write(dir, "r.jsonl", line + "\n");
        ReadReport report = new ReadReport();
        List<Example> ex = new RebelReader().readAll(file, builtin("rebel"), ErrorPolicy.FAIL, report);
        Example e = ex.get(0);
        assertEquals(List.of("Ada", "in", "London", ",", "1815"), e.words());
        // "London" is moved to [7, 13) = word 2; "Lond" [7, 11) is widened to word 2 and merged with it; "Bob" does not
        // occur and is dropped with its triple.
        assertEquals(List.of(new EntityMention(0, 0, "entity"), new EntityMention(2, 2, "entity"),
                new EntityMention(4, 4, "date")), e.entities());
        assertEquals(List.of(new RelationMention(0, 1, "place of birth"), new RelationMention(0, 2, "date of birth")),
                e.relations());
        assertEquals(Map.of("surface form not in the text", 1L), report.droppedEntities());
        assertEquals(Map.of("argument dropped", 1L), report.droppedRelations());
        assertEquals(Map.of("boundaries off their surface form, moved to its nearest occurrence", 1L,
                "boundary inside a word, widened to whole words", 1L,
                "two entities on the same words, one entity", 1L), report.adjustments());
    }
}
