package dev.relex.data.formats;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.data.SharedDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DdiReaderTest {

    private static Tally read(String folder) {
        return Tally.of(new DdiReader(), SharedDatasets.root().resolve("ddi/DDICorpus-2013/DDICorpus").resolve(folder));
    }

    private static long notes(Tally t, Parsed.NoteKind kind) {
        return t.notes.stream().filter(n -> n.kind() == kind).count();
    }

    @Test
    void everyEntityAndPositivePairKeptOrReported() {
        // SOURCES.md: Train 6,976 sentences / 14,765 entities / 4,021 positive pairs (one without a type);
        // Test-DDI 1,299 sentences / 979 pairs; Test-DrugNER 665 sentences. Entities of the test folders (3,040 /
        // 686) counted with a script (ElementTree). 71 train sentences have text="" (grep -c): reported as bad.
        Tally train = read("Train");
        assertEquals(6976, train.records);
        assertEquals(71, train.bad.size());
        assertTrue(train.bad.stream().allMatch(b -> b.message().equals("the text has no words")));
        assertEquals(14765, train.entities + notes(train, Parsed.NoteKind.ENTITY_DROPPED));
        assertEquals(4021, train.relations + notes(train, Parsed.NoteKind.RELATION_DROPPED));
        assertEquals(1, train.notes("positive pair without a type"));

        Tally ddi = read("Test/Test for DDI Extraction task");
        assertEquals(1299, ddi.records);
        assertEquals(0, ddi.bad.size());
        assertEquals(3040, ddi.entities + notes(ddi, Parsed.NoteKind.ENTITY_DROPPED));
        assertEquals(979, ddi.relations + notes(ddi, Parsed.NoteKind.RELATION_DROPPED));

        Tally ner = read("Test/Test for DrugNER task");
        assertEquals(665, ner.records);
        assertEquals(686, ner.entities + notes(ner, Parsed.NoteKind.ENTITY_DROPPED));
        // 49 discontinuous entities in the whole corpus (grep -c 'charOffset="[^"]*;')
        assertEquals(49, train.notes("discontinuous entity") + ddi.notes("discontinuous entity") + ner.notes("discontinuous entity"));
    }

    @Test
    void smallDocument(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("d.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <document id="D1">
                  <sentence id="D1.s0" text="Aspirin may increase the effect of warfarin and anti-coagulants.">
                    <entity id="D1.s0.e0" charOffset="0-6" type="drug" text="Aspirin"/>
                    <entity id="D1.s0.e1" charOffset="35-42" type="drug" text="warfarin"/>
                    <entity id="D1.s0.e2" charOffset="53-62" type="group" text="coagulants"/>
                    <entity id="D1.s0.e3" charOffset="0-6;35-42" type="drug" text="Aspirin warfarin"/>
                    <pair id="D1.s0.p0" e1="D1.s0.e0" e2="D1.s0.e1" ddi="true" type="effect"/>
                    <pair id="D1.s0.p1" e1="D1.s0.e0" e2="D1.s0.e2" ddi="true" type="effect"/>
                    <pair id="D1.s0.p2" e1="D1.s0.e1" e2="D1.s0.e2" ddi="false"/>
                  </sentence>
                  <sentence id="D1.s1" text=""/>
                </document>
                """);
        Tally t = Tally.of(new DdiReader(), dir);
        Example e = t.examples.get(0);
        assertEquals("D1.s0", e.id());
        // "anti-coagulants" is one word, so "coagulants" (53-62) is not a word span
        assertEquals(List.of(new EntityMention(0, 0, "drug"), new EntityMention(6, 6, "drug")), e.entities());
        assertEquals(List.of(new RelationMention(0, 1, "effect")), e.relations());
        assertEquals(List.of("entity not on word boundaries", "discontinuous entity", "argument dropped"),
                t.notes.stream().map(Parsed.Note::reason).toList());
        assertEquals(2, t.bad.get(0).record());
    }
}
