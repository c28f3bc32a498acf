package dev.relex.cli;

import dev.relex.ExtractionRequest;
import dev.relex.ExtractionResult;
import dev.relex.RelexModel;

import java.nio.file.Path;
import java.util.List;

/** {@link Extractor} backed by a real {@link RelexModel}. */
public final class RelexModelExtractor implements Extractor {
    private final RelexModel model;

    public RelexModelExtractor(RelexModel model) {
        this.model = model;
    }

    /** The loader the CLI uses by default. */
    public static Extractor load(Path modelDir, Path tokenizerJson) {
        return new RelexModelExtractor(RelexModel.load(modelDir, tokenizerJson));
    }

    @Override
    public List<ExtractionResult> extractBatch(List<ExtractionRequest> requests) {
        return model.extractBatch(requests);
    }

    @Override
    public ExtractionResult extract(ExtractionRequest r) {
        return model.extract(r.text(), r.entityLabels(), r.relationLabels(), r.options());
    }

    @Override
    public void close() {
        model.close();
    }
}
