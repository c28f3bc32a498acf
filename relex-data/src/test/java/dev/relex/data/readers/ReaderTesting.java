package dev.relex.data.readers;

import dev.relex.data.DatasetReader;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.LabelMapping;
import dev.relex.data.LabelMappings;
import dev.relex.data.ReadReport;
import dev.relex.data.Statistics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helpers for reader tests. */
final class ReaderTesting {
    private ReaderTesting() {}

    static LabelMapping builtin(String name) {
        return LabelMappings.builtin().forDataset(name);
    }

    /** Reads a file with FAIL (no bad records expected) and returns its statistics. */
    static Statistics stats(DatasetReader reader, Path file, String mapping, ReadReport report) throws IOException {
        Statistics s = new Statistics();
        reader.read(file, builtin(mapping), ErrorPolicy.FAIL, report, s);
        return s;
    }

    static void assertCounts(Statistics s, long examples, long entities, long relations, String what) {
        assertEquals(examples, s.examples(), what + " examples");
        assertEquals(entities, s.entities(), what + " entities");
        assertEquals(relations, s.relations(), what + " relations");
    }

    static List<Example> read(DatasetReader reader, Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report)
            throws IOException {
        return reader.readAll(file, mapping, policy, report);
    }

    static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }
}
