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

class SemEval2018ReaderTest {

    private static Tally read(String file) {
        return Tally.of(new SemEval2018Reader(), SharedDatasets.root().resolve("semeval2018_task7/data/" + file));
    }

    private static void check(String file, int texts, int spans, int relations) {
        Tally t = read(file);
        assertEquals(texts, t.records, file);
        assertEquals(texts, t.ok, file);
        assertEquals(spans, t.entities + t.notes.stream().filter(n -> n.kind() == Parsed.NoteKind.ENTITY_DROPPED).count(), file);
        assertEquals(relations, t.relations + t.notes.stream().filter(n -> n.kind() == Parsed.NoteKind.RELATION_DROPPED).count(), file);
    }

    @Test
    void counts() {
        // SOURCES.md: 1.1 350 abstracts / 5,259 spans / 1,228 relations; 1.2 12,125 spans / 1,248 relations.
        // SOURCES.md says 356 abstracts for 1.2, but 1.2.text.xml has 350 <text> elements (grep -o '<text ' | wc -l;
        // 350 distinct ids). Test files: 150 texts each; 355 keyed relations each (wc -l keys.test.*.txt); spans
        // 2,246 / 4,705 counted with grep -o '<entity '.
        check("1.1.text.xml", 350, 5259, 1228);
        check("1.2.text.xml", 350, 12125, 1248);
        check("test/1.1.test.text.xml", 150, 2246, 355);
        check("test/1.2.test.text.xml", 150, 4705, 355);
    }

    @Test
    void reverseFlipsTheDirection(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("x.text.xml"), """
                <?xml version="1.0" encoding="UTF-8" ?>
                <doc><text id="A1"> <title>On <entity id="A1.1">parsing</entity></title> <abstract> We use
                <entity id="A1.2">grammars</entity> for <entity id="A1.3">parsing</entity> . </abstract> </text></doc>
                """);
        Files.writeString(dir.resolve("x.relations.txt"), "USAGE(A1.2,A1.3)\nTOPIC(A1.1,A1.2,REVERSE)\n");
        Example e = Tally.of(new SemEval2018Reader(), dir.resolve("x.text.xml")).examples.get(0);
        assertEquals(List.of("On", "parsing", "We", "use", "grammars", "for", "parsing", "."), e.words());
        assertEquals(List.of(new EntityMention(1, 1, "entity"), new EntityMention(4, 4, "entity"), new EntityMention(6, 6, "entity")),
                e.entities());
        assertEquals(List.of(new RelationMention(1, 2, "USAGE"), new RelationMention(1, 0, "TOPIC")), e.relations());
    }
}
