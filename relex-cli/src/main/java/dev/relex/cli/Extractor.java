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

    /** One request alone; used to isolate the failing text of a failed batch. */
    default ExtractionResult extract(ExtractionRequest request) {
        List<ExtractionResult> one = extractBatch(List.of(request));
        if (one.size() != 1) throw new IllegalStateException("model returned " + one.size() + " results for 1 text");
        return one.get(0);
    }

    @Override
    void close();
}
