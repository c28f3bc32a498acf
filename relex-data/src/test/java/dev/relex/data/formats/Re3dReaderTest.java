package dev.relex.data.formats;

import dev.relex.data.SharedDatasets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Re3dReaderTest {
    @Test
    void everyEntityAndRelationKeptOrReported() {
        // SOURCES.md: 98 documents, 4,838 entities ("5 mismatches" of value and text), 1,430 relations.
        // ' the Book of Revelation' (339-362) and 'the Book of Revelation' (340-362), both DocumentReference, are one
        // entity once the leading space is trimmed (found with a script), hence 4,837.
        Tally t = Tally.of(new Re3dReader(), SharedDatasets.root().resolve("re3d"));
        assertEquals(98, t.records);
        assertEquals(98, t.ok);
        long entityDrops = t.notes.stream().filter(n -> n.kind() == Parsed.NoteKind.ENTITY_DROPPED).count();
        long relationDrops = t.notes.stream().filter(n -> n.kind() == Parsed.NoteKind.RELATION_DROPPED).count();
        assertEquals(4838 - 1, t.entities + entityDrops);
        assertEquals(5, t.notes("entity text differs from the text at its offsets"));
        assertEquals(1430, t.relations + relationDrops);
        assertEquals(0, t.notes("relation argument is not an annotated entity"));
    }

    @Test
    void oneSourceFolder() {
        Tally t = Tally.of(new Re3dReader(), SharedDatasets.root().resolve("re3d/CENTCOM"));
        assertEquals(t.ok, t.records);
        // documents.json of CENTCOM has one document per line (wc -l)
        assertEquals(lines("re3d/CENTCOM/documents.json"), t.records);
    }

    private static long lines(String rel) {
        try {
            return java.nio.file.Files.readAllLines(SharedDatasets.root().resolve(rel)).stream().filter(l -> !l.isBlank()).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
