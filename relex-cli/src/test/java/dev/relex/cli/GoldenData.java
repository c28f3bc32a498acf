package dev.relex.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates ../shared/golden and its relex case folders. */
final class GoldenData {
    static final Path SHARED = Path.of(System.getProperty("relex.shared", "../shared"));
    static final Path GOLDEN = SHARED.resolve("golden");
    /** The one complete checkpoint directory (README: the tokenizer is byte-identical in all DeBERTa cases). */
    static final Path SPAN_GCN_MODEL = GOLDEN.resolve("relex-span-gcn/model");

    private GoldenData() {}

    /** Every {@code relex-*} case folder that has a model, sorted by name. */
    static List<Path> relexCases() {
        try (Stream<Path> s = Files.list(GOLDEN)) {
            return s.filter(p -> p.getFileName().toString().startsWith("relex-"))
                    .filter(p -> Files.isRegularFile(p.resolve("model/gliner_config.json")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + GOLDEN, e);
        }
    }
}
