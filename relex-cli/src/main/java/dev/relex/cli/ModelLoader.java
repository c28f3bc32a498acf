package dev.relex.cli;

import java.nio.file.Path;

/** Opens a checkpoint directory as an {@link Extractor}; replaceable in tests. */
@FunctionalInterface
public interface ModelLoader {
    /**
     * @param modelDir      checkpoint directory
     * @param tokenizerJson tokenizer.json to use instead of the directory's, or {@code null}
     */
    Extractor load(Path modelDir, Path tokenizerJson);
}
