package dev.relex.data;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Locates {@code shared/datasets} (system property {@code relex.shared}, default {@code ../shared}). */
public final class SharedDatasets {
    private SharedDatasets() {}

    public static Path root() {
        Path p = Path.of(System.getProperty("relex.shared", "../shared")).resolve("datasets");
        assertTrue(Files.isDirectory(p), "shared datasets folder not found at " + p.toAbsolutePath()
                + " (set -Drelex.shared=...)");
        return p;
    }

    public static Path file(String relative) {
        Path p = root().resolve(relative);
        assertTrue(Files.isRegularFile(p), "dataset file missing: " + p);
        return p;
    }
}
