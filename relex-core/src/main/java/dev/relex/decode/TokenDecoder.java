package dev.relex.decode;

import dev.relex.heads.HeadOutput;

import java.util.ArrayList;
import java.util.List;

/**
 * Candidate entities of the token-level model (spec §4.3, {@code TokenDecoder._calculate_span_score}).
 * Logits are [W, C, 3] = (start, end, inside). For each start (w, c) with σ(start) &gt; τ in (w, c) order,
 * each end of the same class at or after it with σ(end) &gt; τ, in word order: the span is rejected if
 * any word inside has σ(inside) &lt; τ (equality passes, unlike the model's candidate step); its score
 * is the minimum of the inside probabilities, the start and the end probability. There is no width
 * limit. All comparisons are float32 tensor comparisons in the reference.
 *
 * <p>Unlike the reference (spec §8 item 21) only the text's own words are scanned: the head output of
 * one text has no padded words.
 *
 * <p>{@code bestClassOnly} keeps, per (start, end), only the first best-scoring candidate in generation
 * order; as for {@link SpanDecoder} the greedy result is unchanged unless multi-label, and the list stays
 * bounded by W² instead of W²·C.
 */
public final class TokenDecoder {
    private TokenDecoder() {}

    private static final int START = 0;
    private static final int END = 1;
    private static final int INSIDE = 2;

    /** All candidates before greedy search, in generation order. */
    public static List<DecodedEntity> candidates(HeadOutput out, double threshold) {
        return candidates(out, threshold, false);
    }

    /** Candidates before greedy search, in generation order (see the class comment for bestClassOnly). */
    public static List<DecodedEntity> candidates(HeadOutput out, double threshold, boolean bestClassOnly) {
        if (out.spanLevel()) throw new IllegalArgumentException("TokenDecoder needs token-level head output");
        int words = out.numWords();
        int classes = out.numEntityLabels();
        float[] logits = out.entityLogits();
        if (logits.length != (long) words * classes * 3) {
            throw new IllegalArgumentException("entity logits hold " + logits.length + " values, expected "
                    + words + "×" + classes + "×3");
        }
        if (words >= 1 << 20) throw new IllegalArgumentException("too many words for the token decoder: " + words);
        float tau = Probabilities.tensorThreshold(threshold);
        float[] probs = new float[logits.length];
        for (int i = 0; i < probs.length; i++) probs[i] = Probabilities.sigmoid(logits[i]);

        List<DecodedEntity> result = new ArrayList<>();
        // bestClassOnly: per end word, the best candidate of the current start word and its generation number.
        float[] bestScore = bestClassOnly ? new float[words] : null;
        int[] bestClass = bestClassOnly ? new int[words] : null;
        long[] bestSeq = bestClassOnly ? new long[words] : null;
        long seq = 0;
        for (int ws = 0; ws < words; ws++) {
            if (bestClassOnly) java.util.Arrays.fill(bestClass, -1);
            for (int c = 0; c < classes; c++) {
                float start = probs[(ws * classes + c) * 3 + START];
                if (!(start > tau)) continue;
                // Extending the end one word at a time: once an inside probability is below τ every
                // longer span contains that word and is rejected too, so the scan can stop there.
                float insideMin = Float.POSITIVE_INFINITY;
                for (int we = ws; we < words; we++) {
                    int at = (we * classes + c) * 3;
                    float inside = probs[at + INSIDE];
                    // NaN would pass the reference's "< τ" test and poison the score; no sane head emits it.
                    if (inside < tau || Float.isNaN(inside)) break;
                    insideMin = Math.min(insideMin, inside);
                    float end = probs[at + END];
                    if (!(end > tau)) continue;
                    float score = Math.min(insideMin, Math.min(start, end));
                    if (!bestClassOnly) {
                        result.add(new DecodedEntity(ws, we, c, score));
                    } else {
                        if (bestClass[we] < 0 || score > bestScore[we]) {
                            bestClass[we] = c;
                            bestScore[we] = score;
                            bestSeq[we] = seq;
                        }
                        seq++;
                    }
                }
            }
            if (bestClassOnly) emitInGenerationOrder(ws, bestClass, bestScore, bestSeq, result);
        }
        return result;
    }

    /** Appends the kept candidates of start word {@code ws} ordered by generation number. */
    private static void emitInGenerationOrder(int ws, int[] bestClass, float[] bestScore, long[] bestSeq,
                                              List<DecodedEntity> result) {
        int n = 0;
        for (int c : bestClass) if (c >= 0) n++;
        if (n == 0) return;
        long[] keyed = new long[n];
        int i = 0;
        for (int we = 0; we < bestClass.length; we++) {
            // Generation numbers are below 2^40 (W² · C for any practical size); the end word goes in the low bits.
            if (bestClass[we] >= 0) keyed[i++] = (bestSeq[we] << 20) | we;
        }
        java.util.Arrays.sort(keyed);
        for (long k : keyed) {
            int we = (int) (k & 0xFFFFF);
            result.add(new DecodedEntity(ws, we, bestClass[we], bestScore[we]));
        }
    }
}
