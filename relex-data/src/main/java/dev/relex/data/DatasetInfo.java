package dev.relex.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A dataset the {@link Datasets} registry knows.
 *
 * @param name        registry name ({@code "conll04"}), also the default key into the label mappings
 * @param format      the file format in a few words ({@code "SpERT JSON array, end exclusive"})
 * @param description what the data is
 * @param licence     the licence as stated in the datasets README (may say "not stated")
 * @param mapping     name of the default {@link LabelMapping} in {@link LabelMappings}
 * @param splits      split name → file path relative to the shared datasets folder (e.g. {@code "train"} →
 *                    {@code "conll04/train_triples.json"}), in a sensible order; may be empty
 * @param reader      makes the reader (with its default options)
 */
public record DatasetInfo(String name, String format, String description, String licence, String mapping,
                          Map<String, String> splits, Supplier<? extends DatasetReader> reader) {
    public DatasetInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(licence, "licence");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(reader, "reader");
        splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    }

    /** A new reader with default options. */
    public DatasetReader newReader() {
        return reader.get();
    }

    /** The default label mapping of this dataset from the given mappings. */
    public LabelMapping labelMapping(LabelMappings mappings) {
        return mappings.forDataset(mapping);
    }
}
