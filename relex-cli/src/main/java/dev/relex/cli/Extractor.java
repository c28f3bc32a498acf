package dev.relex.cli;

import dev.relex.ExtractionRequest;
import dev.relex.ExtractionResult;

import java.util.List;

/**
 * What the CLI needs from a model: batch extraction, safe to call from several threads at once.
 * {@link RelexModelExtractor} adapts {@link dev.relex.RelexModel}; tests substitute their own.
 */
public interface Extractor extends AutoCloseable {

    /** One result per request, in request order. */
    List<ExtractionResult> extractBatch(List<ExtractionRequest> requests);

    @Override
    void close();
}
