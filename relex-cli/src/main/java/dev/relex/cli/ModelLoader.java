package dev.relex.cli;

import java.nio.file.Path;

/** Opens a checkpoint directory as an {@link Extractor}; replaceable in tests. */
@FunctionalInterface
public interface ModelLoader {
    Extractor load(Path modelDir);
}
