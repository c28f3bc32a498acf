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

class MarkedPairReaderTest {

    private static Tally semeval(String file) {
        return Tally.of(new MarkedPairReader(MarkedPairReader.Dialect.SEMEVAL2010),
                SharedDatasets.root().resolve("semeval2010_task8").resolve(file));
    }

    private static Tally kbp(String split) {
        return Tally.of(new MarkedPairReader(MarkedPairReader.Dialect.KBP37),
                SharedDatasets.root().resolve("kbp37/kbp37-master/" + split + ".txt"));
    }

    @Test
    void directedLabelsAndTextOrder(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.txt");
        Files.writeString(f, String.join("\r\n",
                "1\t\"The system has an arrayed <e1>configuration</e1> of antenna <e2>elements</e2>.\"",
                "Component-Whole(e2,e1)",
                "Comment: Not a collection.",
                "",
                "2\t\"The <e2>child</e2> was wrapped into the <e1>cradle</e1>.\"",
                "Other",
                "Comment:",
                "",
                "3\t\"A <e1>duel</e1> of doves<e2>moles</e2>.\"",
                "Member-Collection(e1,e2)",
                "",
                "4\t\"no markers here\"",
                "Other",
                "",
                "5\t\"<e1>a</e1> b <e2>c</e2>\"",
                "Cause-Effect(e1,e1)",
                ""));
        Tally t = Tally.of(new MarkedPairReader(MarkedPairReader.Dialect.SEMEVAL2010), f);
        assertEquals(5, t.records);
        Example one = t.examples.get(0);
        assertEquals(List.of("The", "system", "has", "an", "arrayed", "configuration", "of", "antenna", "elements", "."), one.words());
        assertEquals(List.of(new EntityMention(5, 5, "entity"), new EntityMention(8, 8, "entity")), one.entities());
        assertEquals(List.of(new RelationMention(1, 0, "Component-Whole")), one.relations()); // head = e2 = "elements"
        Example two = t.examples.get(1);
        // e2 "child" comes first in the text, so it is entity 0; Other = no relation
        assertEquals(List.of(new EntityMention(1, 1, "entity"), new EntityMention(6, 6, "entity")), two.entities());
        assertEquals(List.of(), two.relations());
        assertEquals(List.of(9L, 12L, 15L), t.bad.stream().map(Parsed.Bad::record).toList());
        assertTrue(t.bad.get(0).message().contains("'moles' does not fall on word boundaries"), t.bad.get(0).message());
        assertTrue(t.bad.get(1).message().contains("not marked"), t.bad.get(1).message());
        assertTrue(t.bad.get(2).message().contains("Cause-Effect(e1,e1)"), t.bad.get(2).message());
    }

    @Test
    void kbp37TypesFromTheLabel(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("k.txt");
        Files.writeString(f, "2\t\" The 2008 Ohio Bobcats football team represented <e1> Ohio University </e1> during the 2008 "
                + "<e2> NCAA </e2> Division I FBS football season . \"\norg:members(e2,e1)\n\n\n");
        Example e = Tally.of(new MarkedPairReader(MarkedPairReader.Dialect.KBP37), f).examples.get(0);
        // The 2008 Ohio Bobcats football team represented | Ohio University (7-8) | during the 2008 | NCAA (12)
        assertEquals(List.of(new EntityMention(7, 8, "org:members:object"), new EntityMention(12, 12, "org")), e.entities());
        assertEquals(List.of(new RelationMention(1, 0, "org:members")), e.relations());
    }

    @Test
    void semeval2010Counts() {
        // SOURCES.md: 8,000 / 2,717 sentences. 6 / 2 have an argument glued to the next or previous word
        // ("doves<e2>moles</e2>"), which GLiNER's splitter cannot separate: reported.
        Tally train = semeval("SemEval2010_task8_training/TRAIN_FILE.TXT");
        assertEquals(8000, train.records);
        assertEquals(6, train.bad.size());
        assertEquals(849, train.bad.get(0).record());
        Tally test = semeval("SemEval2010_task8_testing_keys/TEST_FILE_FULL.TXT");
        assertEquals(2717, test.records);
        assertEquals(2, test.bad.size());
        // "Other" has no relation: 8,000 - 1,410 Other (grep -c '^Other' TRAIN_FILE.TXT) = 6,590 labelled, less
        // the relations of the 6 reported sentences
        assertEquals(6590 - 5, train.relations);
    }

    @Test
    void kbp37DropsTheThreeHeldOutOverlapSentences() {
        // SOURCES.md: 15,917 / 1,724 / 3,405 sentences. The overlap note names three sentences: train ids 602
        // ("In 1991 ABN and AMRO Bank agreed ...", in FewRel val_wiki) and 1322 ("The left-wing Fatherland for All
        // ...", in CrossRE test), test id 21000 ("Square Enix is a Japanese video game ...", in a DocRED dev doc).
        Tally train = kbp("train");
        assertEquals(15917, train.records);
        assertEquals(List.of(2409L, 5289L), train.excluded.stream().map(Parsed.Excluded::record).toList());
        assertTrue(train.examples.stream().noneMatch(e -> String.join(" ", e.words()).contains("ABN and AMRO Bank agreed")));
        assertTrue(train.examples.stream().noneMatch(e -> String.join(" ", e.words()).contains("Fatherland for All")));
        // 110 sentences have an empty argument ("an <e1> </e1> railway station"): the name was lost upstream
        assertEquals(110, train.bad.size());
        assertTrue(train.bad.stream().allMatch(b -> b.message().endsWith("is empty")), train.bad.toString());
        Tally dev = kbp("dev");
        assertEquals(1724, dev.records);
        assertEquals(0, dev.excluded.size());
        Tally test = kbp("test");
        assertEquals(3405, test.records);
        assertEquals(List.of(13437L), test.excluded.stream().map(Parsed.Excluded::record).toList());
        assertTrue(test.examples.stream().noneMatch(e -> String.join(" ", e.words()).startsWith("Square Enix is a Japanese")));
    }
}
