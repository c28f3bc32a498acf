package dev.relex.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects labels from the three ways the CLI accepts them: comma-separated lists
 * ({@code --entities person,city}), single labels taken verbatim so they may contain commas
 * ({@code --entity "city, state"}), and label files with one label per line.
 */
final class Labels {
    private Labels() {}

    /**
     * Labels in the order given: comma lists first, then single labels, then the file. Pieces of
     * comma lists and file lines are trimmed; empty pieces, blank lines and lines starting with
     * {@code #} are skipped. Duplicates are kept: the model de-duplicates them like the reference.
     */
    static List<String> collect(List<String> commaLists, List<String> singles, Path file) {
        List<String> labels = new ArrayList<>();
        if (commaLists != null) {
            for (String list : commaLists) {
                for (String piece : list.split(",")) {
                    String label = piece.strip();
                    if (!label.isEmpty()) labels.add(label);
                }
            }
        }
        if (singles != null) {
            for (String label : singles) {
                if (label.isBlank()) throw new IllegalArgumentException("empty label given");
                labels.add(label);
            }
        }
        if (file != null) labels.addAll(readFile(file));
        return labels;
    }

    static List<String> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read label file " + file + ": " + e.getMessage(), e);
        }
        List<String> labels = new ArrayList<>();
        for (String line : lines) {
            String label = line.strip();
            if (label.startsWith("\uFEFF")) label = label.substring(1).strip();
            if (label.isEmpty() || label.startsWith("#")) continue;
            labels.add(label);
        }
        return labels;
    }
}
