package dev.relex;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded GLiNER-Relex checkpoint. Thread-safe: one instance may be shared by many threads.
 * Close it to release the memory-mapped weight files.
 */
public final class RelexModel implements AutoCloseable {

    private RelexModel() {}

    /** Loads a checkpoint directory ({@code gliner_config.json}, {@code model.safetensors}, tokenizer files). */
    public static RelexModel load(Path dir) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Extracts with default options (all thresholds 0.5, flat, single label, UTF-16 offsets). */
    public ExtractionResult extract(String text, List<String> entityLabels, List<String> relationLabels) {
        return extract(text, entityLabels, relationLabels, ExtractionOptions.defaults());
    }

    public ExtractionResult extract(String text, List<String> entityLabels, List<String> relationLabels,
                                    ExtractionOptions options) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Batch extraction; each request carries its own labels and options. Results are in request order. */
    public List<ExtractionResult> extractBatch(List<ExtractionRequest> requests) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
    }
}
