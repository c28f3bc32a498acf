package dev.relex.data.readers;

import dev.relex.data.EntityMention;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;
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

class NunerReaderTest {
    @TempDir
    Path dir;

    /**
     * README: 995 records, 4,366 mentions, 1,852 distinct type strings. Of the 4,366 output entries, 41 are not
     * "mention <> type" (37 empty strings, 4 free-text sentences or "wreath<>crafting worksho" without spaces) -- the
     * README's 1,852 "types" count those whole strings as types; the well-formed entries have 1,847 distinct types,
     * 1,808 of which have a mention found in the text. 143 mentions do not occur in the text even ignoring case
     * (reported); 408 occur only with another case. Every occurrence is an entity: the remaining 4,182 entries give
     * 4,388 entities. Reproduced with an independent python script (csv module, ast.literal_eval, regex words).
     */
    @Test
    void sampleCounts() throws IOException {
        ReadReport report = new ReadReport();
        Statistics s = new Statistics();
        List<Example> all = new ArrayList<>();
        new NunerReader().read(SharedDatasets.file("nuner_sample/nuner-sample-1k.csv"), builtin("nuner"), ErrorPolicy.FAIL,
                report, s.andThen(all::add));
        assertEquals(995, report.recordsRead());
        assertEquals(995, s.examples());
        assertEquals(28763, s.words());
        assertEquals(4388, s.entities());
        assertEquals(1808, s.entityLabels().size());
        assertEquals(Map.of("empty output entry", 37L, "mention not found in the text", 143L,
                "output entry without ' <> '", 4L), report.droppedEntities());
        assertEquals(Map.of("mention found only ignoring case", 408L), report.adjustments());

        // Line 2: "State University of New York Press, 1997.",['State University of New York Press <> Publisher']
        Example first = all.get(0);
        assertEquals("nuner-sample-1k.csv#2", first.id());
        assertEquals(List.of("State", "University", "of", "New", "York", "Press", ",", "1997", "."), first.words());
        assertEquals(List.of(new EntityMention(0, 5, "Publisher")), first.entities());
        // Line 3: "A message from Katarzyna… for September 1, 2014.","['Katarzyna <> Person', 'September 1, 2014 <> Date']"
        assertEquals(List.of(new EntityMention(3, 3, "Person"), new EntityMention(6, 9, "Date")), all.get(1).entities());
    }

    @Test
    void everyOccurrenceAndTheDropReasons() throws IOException {
        Path file = ReaderTesting.write(dir, "n.csv", "input,output\n"
                + "\"Paris, then paris\nand Rome.\",\"['Paris <> city', \"\"Rome <> city\"\", 'Oslo <> city', '', 'x<>y', 'Rome <> ']\"\n"
                + "bad row,\"['unclosed]\"\n"
                + "one,two,three\n");
        ReadReport report = new ReadReport();
        List<Example> ex = new NunerReader().readAll(file, builtin("nuner"), ErrorPolicy.SKIP, report);
        assertEquals(1, ex.size());
        // Words: Paris , then paris and Rome . -> "Paris" at 0 (exact; "paris" at 3 is not taken since an exact match
        // exists), "Rome" at 5. "Oslo" is not found, '' is empty, 'x<>y' has no " <> ", "Rome <> " has the empty type.
        assertEquals(List.of(new EntityMention(0, 0, "city"), new EntityMention(5, 5, "city")), ex.get(0).entities());
        assertEquals("n.csv#2", ex.get(0).id());
        assertEquals(Map.of("empty output entry", 1L, "mention not found in the text", 1L,
                "output entry without ' <> '", 1L, "type '' dropped by the mapping", 1L), report.droppedEntities());
        String f = file.toString();
        assertEquals(List.of(
                new RecordError(f, 4, "not a Python list of strings: expected the closing ' at character 11 (near \"'unclosed]\")"),
                new RecordError(f, 5, "expected 2 fields (input, output), found 3")), report.errors());
    }
}
