package dev.relex.data.io;

import dev.relex.data.BadRecordException;
import dev.relex.data.DatasetFormatException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IoTest {

    private static List<Csv.Row> rows(String text) throws IOException {
        List<Csv.Row> out = new ArrayList<>();
        try (Csv csv = new Csv(new StringReader(text), "t.csv")) {
            for (Csv.Row r = csv.next(); r != null; r = csv.next()) out.add(r);
        }
        return out;
    }

    @Test
    void csvQuotesLineBreaksAndLineNumbers() throws IOException {
        List<Csv.Row> r = rows("a,b\r\n\"x, \"\"y\"\"\nz\",2\nplain,\"\"\nq\"uote,3");
        assertEquals(List.of(new Csv.Row(1, List.of("a", "b")), new Csv.Row(2, List.of("x, \"y\"\nz", "2")),
                new Csv.Row(4, List.of("plain", "")), new Csv.Row(5, List.of("q\"uote", "3"))), r);
        assertEquals(List.of(), rows(""));
        assertEquals(List.of(new Csv.Row(1, List.of("only"))), rows("only\n"));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> rows("a\n\"never closed,\n1"));
        assertEquals("t.csv record 2: a quoted field is never closed", e.getMessage());
    }

    @Test
    void pythonStringLists() {
        assertEquals(List.of(), PythonLiterals.stringList("[]"));
        assertEquals(List.of("a <> b", "it's", "tab\there", "é", "\\d"),
                PythonLiterals.stringList(" ['a <> b', \"it's\", 'tab\\there', '\\xe9', '\\d' ,] "));
        assertEquals(List.of("\"q\"", "\u00e9\ud83d\ude00"), PythonLiterals.stringList("['\\\"q\\\"', '\\u00e9\\U0001f600']"));
        BadRecordException e = assertThrows(BadRecordException.class, () -> PythonLiterals.stringList("['a' 'b']"));
        assertEquals("not a Python list of strings: expected ',' or ']' at character 5 (near \"['a' 'b']\")", e.getMessage());
        assertThrows(BadRecordException.class, () -> PythonLiterals.stringList("['a'] x"));
        assertThrows(BadRecordException.class, () -> PythonLiterals.stringList("[1]"));
        assertThrows(BadRecordException.class, () -> PythonLiterals.stringList("['\\x4']"));
    }

    @Test
    void layoutDetection(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path a = dir.resolve("a");
        java.nio.file.Files.writeString(a, "\ufeff \n [ ]");
        assertEquals(JsonRecords.Layout.JSON_ARRAY, JsonRecords.detect(a));
        java.nio.file.Files.writeString(a, "{\"x\": [1]}\n");
        assertEquals(JsonRecords.Layout.JSON_LINES, JsonRecords.detect(a));
    }
}
