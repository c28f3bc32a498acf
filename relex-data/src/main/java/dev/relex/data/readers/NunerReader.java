package dev.relex.data.readers;

import dev.relex.data.BadRecordException;
import dev.relex.data.DatasetFormatException;
import dev.relex.data.DatasetReader;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.ExampleBuilder;
import dev.relex.data.LabelMapping;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;
import dev.relex.data.io.Csv;
import dev.relex.data.io.PythonLiterals;
import dev.relex.data.io.Records;
import dev.relex.text.Word;
import dev.relex.text.WordSplitter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * NuNER as sampled by gline-rs: CSV with header {@code input,output}; {@code input} is the text, {@code output} a
 * Python list literal of {@code "mention <> type"} strings (mention text only, no offsets). NER only. Records
 * (which may span several lines inside quotes) are numbered by the line they start on; example ids are
 * {@code <file name>#<line>}.
 *
 * <p>Text and mentions are split into words with the inference {@link WordSplitter}. <b>Every</b> occurrence of a
 * mention's word sequence in the text becomes an entity; a mention that does not occur with the same case is
 * looked for ignoring case (counted as adjusted); a mention found neither way is dropped and reported. Entries
 * that cannot be read as {@code mention <> type} (empty strings, free text the generator wrote instead of a list
 * entry) are dropped and reported; so are entries whose type the mapping drops (the default mapping drops the
 * empty type and passes every other type through as written). The same span with the same type found twice (the
 * entry repeated, or two entries with the same words) is one entity (adjusted).
 */
public final class NunerReader implements DatasetReader {
    /** The separator between mention and type in an output entry. */
    public static final String SEPARATOR = " <> ";

    private final WordSplitter splitter = new WordSplitter();

    @Override
    public void read(Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report, Consumer<? super Example> sink)
            throws IOException {
        String name = file.toString();
        String shortName = file.getFileName().toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); Csv csv = new Csv(in, name)) {
            Csv.Row header = csv.next();
            if (header == null || !header.fields().equals(List.of("input", "output"))) {
                throw new DatasetFormatException(new RecordError(name, 1, "expected the header 'input,output', found "
                        + (header == null ? "an empty file" : header.fields())));
            }
            for (Csv.Row row = csv.next(); row != null; row = csv.next()) {
                if (row.fields().size() == 1 && row.fields().get(0).isEmpty()) continue; // blank line
                Csv.Row r = row;
                Records.process(name, r.line(), policy, report, () ->
                        Records.emit(convert(r, shortName + "#" + r.line(), mapping, report, name), report, sink));
            }
        }
    }

    Example convert(Csv.Row row, String id, LabelMapping mapping, ReadReport report, String file) {
        long record = row.line();
        if (row.fields().size() != 2) {
            throw new BadRecordException("expected 2 fields (input, output), found " + row.fields().size());
        }
        String text = row.fields().get(0);
        List<Word> words = splitter.split(text);
        List<String> strings = new ArrayList<>(words.size());
        for (Word w : words) strings.add(w.text());
        ExampleBuilder b = new ExampleBuilder(id, strings, mapping, report, file, record);
        List<String> entries = PythonLiterals.stringList(row.fields().get(1));
        List<String> lowerWords = null; // made once, when a mention needs a case-insensitive search
        Set<String> added = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            String what = "output[" + i + "]";
            int sep = entry.lastIndexOf(SEPARATOR);
            if (sep < 0) {
                String reason = entry.isEmpty() ? "empty output entry" : "output entry without ' <> '";
                report.entityDropped(reason, new RecordError(file, record, what + " '" + shorten(entry) + "': " + reason));
                continue;
            }
            String mention = entry.substring(0, sep).strip();
            String type = entry.substring(sep + SEPARATOR.length()).strip();
            String label = mapping.entity(type);
            if (label == null) {
                report.entityDropped("type '" + type + "' dropped by the mapping", new RecordError(file, record,
                        what + " '" + shorten(entry) + "': type '" + type + "' dropped by the mapping"));
                continue;
            }
            List<String> target = new ArrayList<>();
            for (Word w : splitter.split(mention)) target.add(w.text());
            List<Integer> starts = find(strings, target);
            if (starts.isEmpty()) {
                if (lowerWords == null) lowerWords = lower(strings);
                starts = find(lowerWords, lower(target));
                if (!starts.isEmpty()) {
                    report.adjusted("mention found only ignoring case", new RecordError(file, record,
                            what + " '" + shorten(mention) + "' found only ignoring case"));
                }
            }
            if (starts.isEmpty()) {
                report.entityDropped("mention not found in the text", new RecordError(file, record,
                        what + " '" + shorten(mention) + "' not found in the text"));
                continue;
            }
            for (int start : starts) {
                int end = start + target.size() - 1;
                if (added.add(start + ":" + end + ":" + label)) {
                    b.mappedEntity(start, end, label);
                } else {
                    report.adjusted("same span and type found twice, one entity", new RecordError(file, record,
                            what + " '" + shorten(mention) + "' [" + start + ", " + end + "] already an entity"));
                }
            }
        }
        return b.build();
    }

    /** Start indices of every occurrence of {@code target} in {@code words} (none for an empty target). */
    static List<Integer> find(List<String> words, List<String> target) {
        List<Integer> out = new ArrayList<>();
        int n = target.size();
        if (n == 0) return out;
        for (int i = 0; i + n <= words.size(); i++) {
            boolean match = true;
            for (int k = 0; k < n && match; k++) match = words.get(i + k).equals(target.get(k));
            if (match) out.add(i);
        }
        return out;
    }

    private static List<String> lower(List<String> words) {
        List<String> out = new ArrayList<>(words.size());
        for (String w : words) out.add(w.toLowerCase(Locale.ROOT));
        return out;
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
