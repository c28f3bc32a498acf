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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BratReaderTest {

    // Line 1 "Add 5 µl buffer to tube." = characters 0-23, '\n' at 24; line 2 "Spin 72h at 4°C." = 25-40, '\n' at 41;
    // line 3 "😀 Mix it." from 42: brat counts code points, so "Mix" is 44-47 (UTF-16 45-48).
    private static final String TEXT = "Add 5 µl buffer to tube.\nSpin 72h at 4°C.\n\uD83D\uDE00 Mix it.\n";
    private static final String ANN = String.join("\n",
            "T1\tAction 0 3\tAdd",
            "T2\tAmount 4 8\t5 µl",
            "T3\tReagent 9 15\tbuffer",
            "T4\tLocation 19 23\ttube",
            "T5\tAction 25 29\tSpin",
            "T6\tTime 32 33\th",                // inside the word "72h"
            "T7\tTemperature 37 40\t4°C",
            "T8\tAction 44 47\tMix",
            "T9\tMention 48 50\tit",
            "T10\tReagent 9 15\tbuffer",        // same span and type as T3
            "T11\tLocation 18 23\t tube",       // leading space: trimmed, then the same as T4
            "E1\tAction:T1 Acts-on:T3 Site:T4 Acts-on2:T2",
            "R1\tMeasure Arg1:T3 Arg2:T2\t",
            "E2\tAction:T5 Setting:T7",
            "R2\tSetting Arg1:E2 Arg2:T6\t",
            "R3\tCoreference-Link Arg1:T9 Arg2:T10\t", // line 3 -> line 1
            "E3\tAction:T8 Acts-on:T9",
            "A1\tNegation E1",
            "#1\tAnnotatorNotes T1\ta note",
            "R4\tOr Arg1:T1 Arg2:T99\t",        // T99 does not exist
            "foo") + "\n";

    private static Path write(Path dir) throws IOException {
        Files.writeString(dir.resolve("doc.txt"), TEXT);
        Path ann = dir.resolve("doc.ann");
        Files.writeString(ann, ANN);
        return ann;
    }

    @Test
    void linesRejectUnitsWithUnrepresentableAnnotations(@TempDir Path dir) throws IOException {
        List<Parsed> out = new BratReader(BratReader.Unit.LINE, BratReader.OnBadAnnotation.REJECT_UNIT).readDocument(write(dir));
        assertEquals(5, out.size(), out.toString());
        Parsed.Bad foo = assertInstanceOf(Parsed.Bad.class, out.get(0));
        assertEquals(21, foo.record());
        assertTrue(foo.file().endsWith("doc.ann"));
        Parsed.Bad r4 = assertInstanceOf(Parsed.Bad.class, out.get(1));
        assertEquals(20, r4.record());
        assertTrue(r4.message().contains("R4") && r4.message().contains("missing"), r4.message());

        Parsed.Ok line1 = assertInstanceOf(Parsed.Ok.class, out.get(2));
        assertEquals(1, line1.record());
        Example e = line1.example();
        assertEquals(List.of("Add", "5", "µl", "buffer", "to", "tube", "."), e.words());
        assertEquals(List.of(new EntityMention(0, 0, "Action"), new EntityMention(1, 2, "Amount"),
                new EntityMention(3, 3, "Reagent"), new EntityMention(5, 5, "Location")), e.entities());
        assertEquals(List.of(new RelationMention(0, 2, "Acts-on"), new RelationMention(0, 3, "Site"),
                new RelationMention(0, 1, "Acts-on"), new RelationMention(2, 1, "Measure")), e.relations());

        Parsed.Bad line2 = assertInstanceOf(Parsed.Bad.class, out.get(3));
        assertEquals(2, line2.record());
        assertTrue(line2.file().endsWith("doc.txt"));
        assertTrue(line2.message().contains("T6") && line2.message().contains("word boundaries"), line2.message());
        assertTrue(line2.message().contains("[h]"), line2.message());
        Parsed.Bad line3 = assertInstanceOf(Parsed.Bad.class, out.get(4));
        assertEquals(3, line3.record());
        assertTrue(line3.message().contains("R3") && line3.message().contains("crosses from line 3 to line 1"), line3.message());
    }

    @Test
    void dropAnnotationKeepsTheUnitAndNotesEachDrop(@TempDir Path dir) throws IOException {
        List<Parsed> out = new BratReader(BratReader.Unit.LINE, BratReader.OnBadAnnotation.DROP_ANNOTATION).readDocument(write(dir));
        assertEquals(5, out.size(), out.toString());
        Parsed.Ok line2 = assertInstanceOf(Parsed.Ok.class, out.get(3));
        assertEquals(List.of("Spin", "72h", "at", "4", "°", "C", "."), line2.example().words());
        assertEquals(List.of(new EntityMention(0, 0, "Action"), new EntityMention(3, 5, "Temperature")), line2.example().entities());
        assertEquals(List.of(new RelationMention(0, 1, "Setting")), line2.example().relations());
        assertEquals(List.of("entity not on word boundaries", "argument dropped"),
                line2.notes().stream().map(Parsed.Note::reason).toList());

        Parsed.Ok line3 = assertInstanceOf(Parsed.Ok.class, out.get(4));
        assertEquals(List.of("\uD83D\uDE00", "Mix", "it", "."), line3.example().words());
        assertEquals(List.of(new EntityMention(1, 1, "Action"), new EntityMention(2, 2, "Mention")), line3.example().entities());
        assertEquals(List.of(new RelationMention(0, 1, "Acts-on")), line3.example().relations());
        assertEquals(List.of("relation across lines"), line3.notes().stream().map(Parsed.Note::reason).toList());
    }

    @Test
    void documentUnitKeepsRelationsAcrossLines(@TempDir Path dir) throws IOException {
        List<Parsed> out = new BratReader(BratReader.Unit.DOCUMENT, BratReader.OnBadAnnotation.DROP_ANNOTATION).readDocument(write(dir));
        assertEquals(3, out.size(), out.toString());
        Parsed.Ok doc = assertInstanceOf(Parsed.Ok.class, out.get(2));
        Example e = doc.example();
        assertEquals(7 + 7 + 4, e.words().size());
        // entities: Add, 5 µl, buffer, tube, Spin, 4°C, Mix, it
        assertEquals(8, e.entities().size());
        assertTrue(e.relations().contains(new RelationMention(7, 2, "Coreference-Link")), e.relations().toString());
        assertEquals(List.of("entity not on word boundaries", "argument dropped"), doc.notes().stream().map(Parsed.Note::reason).toList());
    }

    @Test
    void wlp() {
        // SOURCES.md: 374 / 123 / 125 protocols; "6 offset mismatches" = the 6 entities whose text differs from the
        // text at their offsets. Per line, REJECT_UNIT: the bad lines hold entities off GLiNER's word boundaries
        // (glued units "10ul", truncated selections "agaros"), discontinuous entities and relations across lines.
        Path root = SharedDatasets.root().resolve("wlp");
        int[] docs = {374, 123, 125};
        int[] lines = {8581, 2859, 2861}; // non-blank lines of the .txt files, counted per file with awk
        int[] bad = {168, 96, 72};
        int mismatches = 0;
        String[] splits = {"train", "dev", "test"};
        for (int i = 0; i < 3; i++) {
            Path dir = root.resolve(splits[i]);
            try {
                assertEquals(docs[i], BratReader.annFiles(dir).size());
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
            Tally t = Tally.of(new BratReader(BratReader.Unit.LINE, BratReader.OnBadAnnotation.REJECT_UNIT), dir);
            // train has one .ann line that is not an annotation (protocol_352.ann line 97: a stray text line)
            int annLineErrors = i == 0 ? 1 : 0;
            assertEquals(lines[i] + annLineErrors, t.records, splits[i] + " " + t);
            assertEquals(bad[i] + annLineErrors, t.bad.size(), splits[i] + " " + t);
            mismatches += (int) t.bad.stream().filter(b -> b.message().contains("does not match the text")).count();
        }
        assertEquals(6, mismatches);
    }

    @Test
    void wlpStrayAnnLineIsReportedAlone() throws IOException {
        Path ann = SharedDatasets.root().resolve("wlp/train/protocol_352.ann");
        List<Parsed> out = new BratReader(BratReader.Unit.LINE, BratReader.OnBadAnnotation.REJECT_UNIT).readDocument(ann);
        Parsed.Bad stray = assertInstanceOf(Parsed.Bad.class, out.get(0));
        assertEquals(97, stray.record());
        assertTrue(stray.message().contains("25 µmol quanta"), stray.message());
        assertTrue(out.stream().filter(p -> p instanceof Parsed.Ok).count() > 10);
    }

    @Test
    void msptDocumentsKeepDroppingOnlyBadAnnotations() {
        // SOURCES.md: 230 papers (200 / 15 / 15 in the ner split lists), 0 offset mismatches. Every paper is read;
        // each annotation that cannot be represented (mostly numbers glued to units, "72h", "60degC", and
        // hyphenated compounds GLiNER's splitter keeps whole, "carbon-[coated]") is dropped and noted.
        Path root = SharedDatasets.root().resolve("mspt-materials-syntheses");
        int[] docs = {200, 15, 15};
        String[] splits = {"train", "dev", "test"};
        for (int i = 0; i < 3; i++) {
            Tally t = Tally.of(new BratReader(BratReader.Unit.DOCUMENT, BratReader.OnBadAnnotation.DROP_ANNOTATION),
                    root.resolve("ner-" + splits[i] + "-fnames.txt"));
            assertEquals(docs[i], t.records, t.toString());
            assertEquals(docs[i], t.ok, t.toString());
            assertEquals(0, t.notes("entity text differs from the text at its offsets"));
        }
    }
}
