package dev.relex.decode;

import dev.relex.heads.HeadOutput;

import java.util.ArrayList;
import java.util.List;

/**
 * Candidate entities of the markerV0 span model (spec §4.1): every (start s, width k, class c) with
 * σ(logit) above the threshold, in (s, k, c) order, dropping spans that end past the text.
 */
public final class SpanDecoder {
    private SpanDecoder() {}

    /** Candidates before greedy search, in generation order. */
    public static List<DecodedEntity> candidates(HeadOutput out, double threshold) {
        if (!out.spanLevel()) throw new IllegalArgumentException("SpanDecoder needs span-level head output");
        int words = out.numWords();
        int width = out.maxWidth();
        int classes = out.numEntityLabels();
        float[] logits = out.entityLogits();
        if (logits.length < words * width * classes) {
            throw new IllegalArgumentException("entity logits hold " + logits.length + " values, expected "
                    + words + "×" + width + "×" + classes);
        }
        float tau = Probabilities.threshold(threshold);
        List<DecodedEntity> result = new ArrayList<>();
        for (int s = 0; s < words; s++) {
            for (int k = 0; k < width; k++) {
                int base = (s * width + k) * classes;
                boolean insideText = s + k < words;
                for (int c = 0; c < classes; c++) {
                    float p = Probabilities.sigmoid(logits[base + c]);
                    if (p > tau && insideText) result.add(new DecodedEntity(s, s + k, c, p));
                }
            }
        }
        return result;
    }
}
