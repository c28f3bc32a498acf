package dev.relex.decode;

import dev.relex.heads.HeadOutput;

import java.util.ArrayList;
import java.util.List;

/**
 * Candidate entities of the markerV0 span model (spec §4.1): every (start s, width k, class c) with
 * σ(logit) above the threshold (float32 comparison), in (s, k, c) order, dropping spans that end past
 * the text.
 *
 * <p>With {@code bestClassOnly} only the first highest-scoring class of each span is kept. Greedy search
 * then returns exactly the same entities whenever {@code multi_label} is off: a lower-scoring class of a
 * span is always rejected, either by the same-boundaries conflict with its best class or by the same
 * boundary conflict that rejected the best class, and rejected candidates never influence others. This
 * bounds the candidate list by W·K however many labels are asked for.
 */
public final class SpanDecoder {
    private SpanDecoder() {}

    /** All candidates before greedy search, in generation order (needed for multi-label decoding). */
    public static List<DecodedEntity> candidates(HeadOutput out, double threshold) {
        return candidates(out, threshold, false);
    }

    /**
     * Candidates before greedy search, in generation order.
     *
     * @param bestClassOnly keep only the best class per span (same greedy result unless multi-label)
     */
    public static List<DecodedEntity> candidates(HeadOutput out, double threshold, boolean bestClassOnly) {
        if (!out.spanLevel()) throw new IllegalArgumentException("SpanDecoder needs span-level head output");
        int words = out.numWords();
        int width = out.maxWidth();
        int classes = out.numEntityLabels();
        float[] logits = out.entityLogits();
        if (logits.length != (long) words * width * classes) {
            throw new IllegalArgumentException("entity logits hold " + logits.length + " values, expected "
                    + words + "×" + width + "×" + classes);
        }
        float tau = Probabilities.tensorThreshold(threshold);
        List<DecodedEntity> result = new ArrayList<>();
        for (int s = 0; s < words; s++) {
            // Spans ending past the text are skipped, as the reference's length check does after torch.where.
            int widths = Math.min(width, words - s);
            for (int k = 0; k < widths; k++) {
                int base = (s * width + k) * classes;
                int bestClass = -1;
                float best = 0f;
                for (int c = 0; c < classes; c++) {
                    float p = Probabilities.sigmoid(logits[base + c]);
                    if (!(p > tau)) continue;
                    if (!bestClassOnly) {
                        result.add(new DecodedEntity(s, s + k, c, p));
                    } else if (bestClass < 0 || p > best) { // strict: ties keep the first class, as the stable sort does
                        bestClass = c;
                        best = p;
                    }
                }
                if (bestClass >= 0) result.add(new DecodedEntity(s, s + k, bestClass, best));
            }
        }
        return result;
    }
}
