package dev.relex.decode;

import dev.relex.heads.HeadOutput;

import java.util.ArrayList;
import java.util.List;

/**
 * Candidate entities of the token-level model (spec §4.3, {@code TokenDecoder._calculate_span_score}).
 * Logits are [W, C, 3] = (start, end, inside). For each start (w, c) with σ(start) > τ in (w, c) order,
 * each end of the same class at or after it with σ(end) > τ, in word order: the span is rejected if
 * any word inside has σ(inside) &lt; τ (equality passes, unlike the model's candidate step); its
 * score is the minimum of the inside probabilities, the start and the end probability.
 */
public final class TokenDecoder {
    private TokenDecoder() {}

    private static final int START = 0;
    private static final int END = 1;
    private static final int INSIDE = 2;

    /** Candidates before greedy search, in generation order. */
    public static List<DecodedEntity> candidates(HeadOutput out, double threshold) {
        if (out.spanLevel()) throw new IllegalArgumentException("TokenDecoder needs token-level head output");
        int words = out.numWords();
        int classes = out.numEntityLabels();
        float[] logits = out.entityLogits();
        if (logits.length < words * classes * 3) {
            throw new IllegalArgumentException("entity logits hold " + logits.length + " values, expected "
                    + words + "×" + classes + "×3");
        }
        float tau = Probabilities.threshold(threshold);
        List<DecodedEntity> result = new ArrayList<>();
        for (int ws = 0; ws < words; ws++) {
            for (int c = 0; c < classes; c++) {
                float start = Probabilities.sigmoid(logits[(ws * classes + c) * 3 + START]);
                if (!(start > tau)) continue;
                // Extending the end one word at a time: once an inside probability is below τ every
                // longer span contains that word and is rejected too, so the scan can stop there.
                float insideMin = Float.POSITIVE_INFINITY;
                for (int we = ws; we < words; we++) {
                    int at = (we * classes + c) * 3;
                    float inside = Probabilities.sigmoid(logits[at + INSIDE]);
                    if (inside < tau) break;
                    insideMin = Math.min(insideMin, inside);
                    float end = Probabilities.sigmoid(logits[at + END]);
                    if (end > tau) {
                        result.add(new DecodedEntity(ws, we, c, Math.min(insideMin, Math.min(start, end))));
                    }
                }
            }
        }
        return result;
    }
}
