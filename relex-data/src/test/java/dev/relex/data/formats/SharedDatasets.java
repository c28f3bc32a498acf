package dev.relex.data.formats;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shared datasets folder: system property {@code relex.shared} (default {@code ../shared}) + {@code datasets}. */
final class SharedDatasets {
    private SharedDatasets() {}

    static Path root() {
        Path p = Path.of(System.getProperty("relex.shared", "../shared")).resolve("datasets");
        assumeTrue(Files.isDirectory(p), "shared datasets not found at " + p.toAbsolutePath());
        return p;
    }
}
