package dev.relex.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads one dataset file into {@link Example}s, streaming: examples go to the sink as records are read, so a
 * corpus is never held in memory when its format allows streaming (JSON arrays are read element by element,
 * JSON Lines line by line).
 *
 * <p>Labels go through the {@link LabelMapping}; a label it does not know makes the record bad. Bad records
 * follow the {@link ErrorPolicy}: reported in the {@link ReadReport} and skipped, or a
 * {@link DatasetFormatException} naming file and record. A file whose structure is broken (a JSON array that
 * stops parsing) throws {@link DatasetFormatException} under either policy, after the records before it were
 * delivered. Readers may look for companion files beside {@code file} (DocRED's {@code rel_info.json},
 * FewRel's {@code pid2name.json}); each reader documents which.
 */
@FunctionalInterface
public interface DatasetReader {

    /** Reads {@code file}, sending every good example to {@code sink} in file order. */
    void read(Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report, Consumer<? super Example> sink)
            throws IOException;

    /** Reads the whole file into a list (for small files and tests). */
    default List<Example> readAll(Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report)
            throws IOException {
        List<Example> out = new ArrayList<>();
        read(file, mapping, policy, report, out::add);
        return out;
    }
}
