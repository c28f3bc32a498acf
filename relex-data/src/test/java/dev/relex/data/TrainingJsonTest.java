package dev.relex.data;

import dev.relex.data.io.TrainingJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingJsonTest {
    @TempDir
    Path dir;

    /** The example of spec §5.1, verbatim. */
    static final String SPEC_EXAMPLE = """
            [
              {"tokenized_text": ["Marie", "Curie", "was", "born", "in", "Warsaw", "and", "married", "Pierre", "Curie", "."],
               "ner": [[0, 1, "person"], [5, 5, "city"], [8, 9, "person"]],
               "relations": [[0, 1, "born in"], [0, 2, "spouse of"], [2, 0, "spouse of"]]},
              {"tokenized_text": ["Acme", "Corp", "hired", "Bob", "."],
               "ner": [[0, 1, "organization"], [3, 3, "person"]],
               "relations": [[1, 0, "works for"]],
               "rel_negatives": ["founded by"]}
            ]
            """;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsTheSpecExample() throws IOException {
        ReadReport report = new ReadReport();
        List<Example> ex = TrainingJson.readAll(write("spec.json", SPEC_EXAMPLE), ErrorPolicy.FAIL, report);
        assertEquals(2, ex.size());
        Example a = ex.get(0);
        assertEquals("spec.json#1", a.id());
        assertEquals(11, a.words().size());
        assertEquals(List.of(new EntityMention(0, 1, "person"), new EntityMention(5, 5, "city"),
                new EntityMention(8, 9, "person")), a.entities());
        assertEquals(List.of(new RelationMention(0, 1, "born in"), new RelationMention(0, 2, "spouse of"),
                new RelationMention(2, 0, "spouse of")), a.relations());
        assertNull(a.relationNegatives());
        Example b = ex.get(1);
        assertEquals(List.of(new RelationMention(1, 0, "works for")), b.relations());
        assertEquals(List.of("founded by"), b.relationNegatives());
        assertNull(b.entityLabels());
        assertEquals("2 records read, 2 examples, 0 skipped, 0 entities dropped, 0 relations dropped", report.summary());
    }

    @Test
    void roundTripsArrayAndLines() throws IOException {
        List<Example> original = TrainingJson.readAll(write("spec.json", SPEC_EXAMPLE), ErrorPolicy.FAIL, new ReadReport());
        Example withAll = new Example("x", List.of("a", "\"quoted\"", "ünï"), List.of(new EntityMention(1, 2, "t")),
                List.of(new RelationMention(0, 0, "self")), List.of("t", "u"), List.of("v"), List.of("self"), List.of());
        List<Example> all = List.of(original.get(0), original.get(1), withAll);
        for (TrainingJson.Layout layout : TrainingJson.Layout.values()) {
            Path out = dir.resolve("out-" + layout);
            TrainingJson.write(out, layout, all);
            List<Example> back = TrainingJson.readAll(out, ErrorPolicy.FAIL, new ReadReport());
            assertEquals(all.size(), back.size(), layout.toString());
            for (int i = 0; i < all.size(); i++) {
                Example e = all.get(i), f = back.get(i);
                assertEquals(e.words(), f.words());
                assertEquals(e.entities(), f.entities());
                assertEquals(e.relations(), f.relations());
                assertEquals(e.entityLabels(), f.entityLabels());
                assertEquals(e.entityNegatives(), f.entityNegatives());
                assertEquals(e.relationLabels(), f.relationLabels());
                assertEquals(e.relationNegatives(), f.relationNegatives());
            }
        }
        // The JSON Lines layout is one record per line; hand-written expectation for the third record.
        List<String> lines = Files.readAllLines(dir.resolve("out-JSON_LINES"));
        assertEquals(3, lines.size());
        assertEquals("{\"tokenized_text\":[\"a\",\"\\\"quoted\\\"\",\"ünï\"],\"ner\":[[1,2,\"t\"]],\"relations\":[[0,0,\"self\"]],"
                + "\"ner_labels\":[\"t\",\"u\"],\"ner_negatives\":[\"v\"],\"rel_labels\":[\"self\"],\"rel_negatives\":[]}", lines.get(2));
        assertTrue(Files.readString(dir.resolve("out-JSON_ARRAY")).startsWith("[\n{\"tokenized_text\":[\"Marie\""));
    }

    @Test
    void emptyArrayIsFine() throws IOException {
        Path out = dir.resolve("empty.json");
        TrainingJson.write(out, TrainingJson.Layout.JSON_ARRAY, List.of());
        assertEquals("[]\n", Files.readString(out));
        assertEquals(List.of(), TrainingJson.readAll(out, ErrorPolicy.FAIL, new ReadReport()));
    }

    static final String BAD_LINES = String.join("\n",
            "{\"tokenized_text\": [\"ok\", \"fine\"], \"ner\": [[0, 1, \"x\"]], \"relations\": []}",
            "{\"tokenized_text\": [\"a\", \"b\"], \"ner\": [[1, 2, \"x\"]], \"relations\": []}",
            "{\"tokenized_text\": [\"a\", \"b\"], \"ner\": [[0, 0, \"x\"]], \"relations\": [[0, 1, \"r\"]]}",
            "{\"tokenized_text\": [\"a\", 3], \"ner\": []}",
            "",
            "{\"tokenized_text\": [\"a\", \"\"], \"ner\": []}",
            "{\"tokenized_text\": [\"a\"], \"ner\": [[0, \"0\", \"x\"]]}",
            "{\"tokenized_text\": [\"a\"], \"ner\": [[0, 0]]}",
            "{not json",
            "{\"ner\": []}",
            "{\"tokenized_text\": [\"a\"], \"ner\": [[0, 0, \"x\"]], \"ner_labels\": \"x\"}",
            "{\"tokenized_text\": [], \"ner\": []}",
            "{\"tokenized_text\": [\"last\"], \"ner\": [[0, 0, \"y\"]], \"relations\": [[0, 0, \"r\"]]}");

    @Test
    void badRecordsAreReportedWithFileAndLineAndSkipped() throws IOException {
        Path file = write("bad.jsonl", BAD_LINES);
        ReadReport report = new ReadReport();
        List<Example> ex = TrainingJson.readAll(file, ErrorPolicy.SKIP, report);
        assertEquals(List.of("bad.jsonl#1", "bad.jsonl#13"), ex.stream().map(Example::id).toList());
        assertEquals(12, report.recordsRead());
        assertEquals(2, report.examplesProduced());
        assertEquals(10, report.recordsSkipped());
        List<RecordError> errors = report.errors();
        assertEquals(List.of(2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), errors.stream().map(RecordError::record).toList());
        for (RecordError e : errors) assertEquals(file.toString(), e.file());
        assertEquals("entity [1, 2] 'x' is not a word span of the 2 words", errors.get(0).message());
        assertEquals("relations[0] (0, 1) 'r' points at a missing entity (1 entities in ner)", errors.get(1).message());
        assertEquals("tokenized_text[1] must be a string, not number 3", errors.get(2).message());
        assertEquals("tokenized_text[1] is an empty string", errors.get(3).message());
        assertEquals("ner[0] end must be an integer, not string \"0\"", errors.get(4).message());
        assertEquals("ner[0] must be [start, end, label], not array [0,0]", errors.get(5).message());
        assertTrue(errors.get(6).message().startsWith("not valid JSON"), errors.get(6).message());
        assertEquals("missing field 'tokenized_text'", errors.get(7).message());
        assertEquals("'ner_labels' must be a list, not string \"x\"", errors.get(8).message());
        assertEquals("the text has no words", errors.get(9).message());
    }

    @Test
    void failPolicyStopsAtTheFirstBadRecord() throws IOException {
        Path file = write("bad.jsonl", BAD_LINES);
        List<Example> seen = new java.util.ArrayList<>();
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () ->
                new TrainingJson().read(file, LabelMapping.passThrough("t"), ErrorPolicy.FAIL, new ReadReport(), seen::add));
        assertEquals(new RecordError(file.toString(), 2, "entity [1, 2] 'x' is not a word span of the 2 words"), e.error());
        assertEquals(file + " record 2: entity [1, 2] 'x' is not a word span of the 2 words", e.getMessage());
        assertEquals(1, seen.size());
    }

    @Test
    void brokenArrayEndsTheFileAfterTheGoodRecords() throws IOException {
        Path file = write("broken.json", "[{\"tokenized_text\": [\"a\"]}, {\"tokenized_text\": [\"b\"], oops}]");
        List<Example> seen = new java.util.ArrayList<>();
        ReadReport report = new ReadReport();
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () ->
                new TrainingJson().read(file, LabelMapping.passThrough("t"), ErrorPolicy.SKIP, report, seen::add));
        assertEquals(2, e.error().record());
        assertEquals(1, seen.size());
    }

    @Test
    void mappingAppliesAndDropsAreCountedWithTheirRelations() throws IOException {
        Path file = write("m.json", SPEC_EXAMPLE);
        LabelMapping m = LabelMapping.builder("m").entity("person", "human").entity("city", null)
                .entity("organization", "company").relation("born in", "born in").relation("spouse of", "married to")
                .relation("works for", "employed by").build();
        ReadReport report = new ReadReport();
        List<Example> ex = new TrainingJson().readAll(file, m, ErrorPolicy.FAIL, report);
        // "Warsaw" (city) is dropped, so "born in" loses its tail; Pierre Curie moves from index 2 to 1.
        assertEquals(List.of(new EntityMention(0, 1, "human"), new EntityMention(8, 9, "human")), ex.get(0).entities());
        assertEquals(List.of(new RelationMention(0, 1, "married to"), new RelationMention(1, 0, "married to")),
                ex.get(0).relations());
        assertEquals(1, report.entitiesDropped());
        assertEquals(1, report.relationsDropped());
        assertEquals(java.util.Map.of("argument dropped", 1L), report.droppedRelations());
        assertEquals("2 records read, 2 examples, 0 skipped, 1 entities dropped (label 'city' dropped by the mapping: 1), "
                + "1 relations dropped (argument dropped: 1)", report.summary());
    }

    @Test
    void unmappedLabelIsAnErrorOfItsRecord() throws IOException {
        Path file = write("m.json", SPEC_EXAMPLE);
        LabelMapping m = LabelMapping.builder("m").entity("person", "person").entity("city", "city")
                .relation("born in", "born in").relation("spouse of", "spouse of").build();
        ReadReport report = new ReadReport();
        List<Example> ex = new TrainingJson().readAll(file, m, ErrorPolicy.SKIP, report);
        assertEquals(1, ex.size());
        assertEquals(List.of(new RecordError(file.toString(), 2, "entity label 'organization' has no mapping in 'm'")),
                report.errors());
    }
}
