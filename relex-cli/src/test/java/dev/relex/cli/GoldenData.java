package dev.relex.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates ../shared/golden and prepares checkpoint directories that lack tokenizer files. */
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

    /**
     * The case's model directory, or, if it has no tokenizer.json, a directory in {@code tmp} made of
     * symbolic links to its files plus the relex-span-gcn tokenizer files (nothing is copied).
     */
    static Path usableModelDir(Path caseDir, Path tmp) throws IOException {
        Path model = caseDir.resolve("model");
        if (Files.isRegularFile(model.resolve("tokenizer.json"))) return model;
        Path dir = Files.createDirectories(tmp.resolve(caseDir.getFileName().toString()));
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) Files.createSymbolicLink(dir.resolve(f.getFileName()), f.toAbsolutePath());
        }
        for (String name : List.of("tokenizer.json", "spm.model")) {
            Path target = dir.resolve(name);
            if (!Files.exists(target)) Files.createSymbolicLink(target, SPAN_GCN_MODEL.resolve(name).toAbsolutePath());
        }
        return dir;
    }
}
