package dev.relex.decode;

import dev.relex.Entity;
import dev.relex.ExtractionOptions;
import dev.relex.ExtractionResult;
import dev.relex.Relation;
import dev.relex.heads.HeadOutput;
import dev.relex.text.Word;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Decoders against a deliberately literal transcription of the reference algorithms (spec §4.1–4.4:
 * enumerate everything, Python-style stable sorts, tuple overlap tests, dictionary mapping by
 * boundaries) on random logits. Logits are drawn from a small set of values as well, so that ties,
 * equal scores across classes and probabilities exactly at the threshold occur often.
 */
class DecoderRandomizedTest {

    private static final float[] COARSE = {-2f, -0.5f, 0f, 0.5f, 0.5f, 1f, 1f, 2f, 3f};

    private static float logit(Random r, boolean coarse) {
        return coarse ? COARSE[r.nextInt(COARSE.length)] : (float) (r.nextGaussian() * 2);
    }

    // ---------------------------------------------------------------- naive reference transcription

    record Cand(int start, int end, int cls, float score) {}

    static boolean overlapFlat(Cand a, Cand b, boolean multi) {
        if (a.start == b.start && a.end == b.end) return !multi;
        return !(a.start > b.end || b.start > a.end);
    }

    static boolean overlapNested(Cand a, Cand b, boolean multi) {
        if (a.start == b.start && a.end == b.end) return !multi;
        boolean nested = (a.start <= b.start && a.end >= b.end) || (b.start <= a.start && b.end >= a.end);
        return !((a.start > b.end || b.start > a.end) || nested);
    }

    static List<Cand> naiveGreedy(List<Cand> spans, boolean flat, boolean multi) {
        List<Cand> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingDouble(c -> -c.score)); // List.sort is stable, like Python's sorted
        List<Cand> kept = new ArrayList<>();
        for (Cand c : sorted) {
            boolean clash = false;
            for (Cand k : kept) clash |= flat ? overlapFlat(c, k, multi) : overlapNested(c, k, multi);
            if (!clash) kept.add(c);
        }
        kept.sort(Comparator.comparingInt(c -> c.start));
        return kept;
    }

    static List<Cand> naiveSpan(float[] logits, int words, int width, int classes, double threshold) {
        List<Cand> out = new ArrayList<>();
        float tau = (float) threshold;
        for (int s = 0; s < words; s++)
            for (int k = 0; k < width; k++)
                for (int c = 0; c < classes; c++) {
                    float p = Probabilities.sigmoid(logits[(s * width + k) * classes + c]);
                    if (p > tau && s + k + 1 <= words) out.add(new Cand(s, s + k, c, p));
                }
        return out;
    }

    static List<Cand> naiveToken(float[] logits, int words, int classes, double threshold) {
        float tau = (float) threshold;
        List<int[]> starts = new ArrayList<>(), ends = new ArrayList<>();
        for (int w = 0; w < words; w++)
            for (int c = 0; c < classes; c++) {
                if (Probabilities.sigmoid(logits[(w * classes + c) * 3]) > tau) starts.add(new int[]{w, c});
                if (Probabilities.sigmoid(logits[(w * classes + c) * 3 + 1]) > tau) ends.add(new int[]{w, c});
            }
        List<Cand> out = new ArrayList<>();
        for (int[] st : starts)
            for (int[] ed : ends) {
                if (ed[0] < st[0] || st[1] != ed[1]) continue;
                int c = st[1];
                boolean reject = false;
                float min = Float.POSITIVE_INFINITY;
                for (int w = st[0]; w <= ed[0]; w++) {
                    float ins = Probabilities.sigmoid(logits[(w * classes + c) * 3 + 2]);
                    if (ins < tau) reject = true;
                    min = Math.min(min, ins);
                }
                if (reject) continue;
                min = Math.min(min, Probabilities.sigmoid(logits[(st[0] * classes + c) * 3]));
                min = Math.min(min, Probabilities.sigmoid(logits[(ed[0] * classes + c) * 3 + 1]));
                out.add(new Cand(st[0], ed[0], c, min));
            }
        return out;
    }

    record Rel(int head, int cls, int tail, float score) {}

    static List<Rel> naiveRelations(List<Cand> entities, int[] candidateSpans, int[] pairs, float[] logits,
                                    int classes, double threshold) {
        List<Rel> out = new ArrayList<>();
        for (int n = 0; n < pairs.length / 2; n++) {
            int h = pairs[2 * n], t = pairs[2 * n + 1];
            if (h < 0 || t < 0) continue;
            int head = firstWith(entities, candidateSpans, h), tail = firstWith(entities, candidateSpans, t);
            if (head < 0 || tail < 0) continue;
            for (int r = 0; r < classes; r++) {
                float p = Probabilities.sigmoid(logits[n * classes + r]);
                if ((double) p <= threshold) continue;
                out.add(new Rel(head, r, tail, p));
            }
        }
        return out;
    }

    static int firstWith(List<Cand> entities, int[] spans, int cand) {
        if (2 * cand + 1 >= spans.length) return -1;
        for (int i = 0; i < entities.size(); i++) {
            if (entities.get(i).start == spans[2 * cand] && entities.get(i).end == spans[2 * cand + 1]) return i;
        }
        return -1;
    }

    // ---------------------------------------------------------------- tests

    @RepeatedTest(300)
    void spanModelMatchesNaiveDecoding(org.junit.jupiter.api.RepetitionInfo info) {
        Random r = new Random(1000L + info.getCurrentRepetition());
        int words = 1 + r.nextInt(14), width = 1 + r.nextInt(5), classes = 1 + r.nextInt(5);
        boolean coarse = r.nextBoolean();
        float[] logits = new float[words * width * classes];
        for (int i = 0; i < logits.length; i++) logits[i] = logit(r, coarse);
        double threshold = pickThreshold(r);
        HeadOutput out0 = new HeadOutput(true, words, width, classes, 0, logits, new int[0], new int[0], new float[0]);
        List<Cand> candidates = naiveSpan(logits, words, width, classes, threshold);
        checkAll(r, out0, candidates, words, classes, threshold);
    }

    @RepeatedTest(300)
    void tokenModelMatchesNaiveDecoding(org.junit.jupiter.api.RepetitionInfo info) {
        Random r = new Random(5000L + info.getCurrentRepetition());
        int words = 1 + r.nextInt(14), classes = 1 + r.nextInt(4);
        boolean coarse = r.nextBoolean();
        float[] logits = new float[words * classes * 3];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = logit(r, coarse) + (i % 3 == 2 ? 1.5f : 0f); // inside mostly positive: long spans occur
        }
        double threshold = pickThreshold(r);
        HeadOutput out0 = new HeadOutput(false, words, 0, classes, 0, logits, new int[0], new int[0], new float[0]);
        List<Cand> candidates = naiveToken(logits, words, classes, threshold);
        checkAll(r, out0, candidates, words, classes, threshold);
    }

    /** 0.5 is σ(0) exactly (a coarse logit), so equality with the threshold is exercised. */
    private static double pickThreshold(Random r) {
        double[] t = {0.5, 0.5, 0.3, 0.62245935, 0.7310586, 0.9, r.nextDouble()};
        return t[r.nextInt(t.length)];
    }

    private static void checkAll(Random r, HeadOutput entityOnly, List<Cand> naiveCandidates, int words, int classes,
                                 double threshold) {
        for (boolean flat : new boolean[]{true, false}) {
            for (boolean multi : new boolean[]{false, true}) {
                List<Cand> expected = naiveGreedy(naiveCandidates, flat, multi);
                // Random relation inputs around the decoded entities: candidates are a shuffle of decoded and
                // random spans (some repeated), pairs include -1 padding and out-of-range indices.
                List<int[]> cand = new ArrayList<>();
                for (Cand c : expected) if (r.nextInt(4) > 0) cand.add(new int[]{c.start, c.end});
                int extra = r.nextInt(5);
                for (int i = 0; i < extra; i++) {
                    int s = r.nextInt(words);
                    cand.add(new int[]{s, s + r.nextInt(words - s)});
                }
                java.util.Collections.shuffle(cand, r);
                int[] spans = new int[2 * cand.size()];
                for (int i = 0; i < cand.size(); i++) {
                    spans[2 * i] = cand.get(i)[0];
                    spans[2 * i + 1] = cand.get(i)[1];
                }
                int relClasses = r.nextInt(4);
                int nPairs = cand.isEmpty() ? 0 : r.nextInt(2 * cand.size() + 2);
                int[] pairs = new int[2 * nPairs];
                for (int i = 0; i < pairs.length; i++) pairs[i] = r.nextInt(12) == 0 ? -1 : r.nextInt(cand.size() + 1);
                float[] relLogits = new float[nPairs * relClasses];
                for (int i = 0; i < relLogits.length; i++) relLogits[i] = logit(r, r.nextBoolean());
                double relThreshold = pickThreshold(r);
                HeadOutput out = new HeadOutput(entityOnly.spanLevel(), words, entityOnly.maxWidth(), classes, relClasses,
                        entityOnly.entityLogits(), spans, pairs, relLogits);

                List<String> labels = new ArrayList<>(), relLabels = new ArrayList<>();
                for (int c = 0; c < classes; c++) labels.add("L" + c);
                for (int c = 0; c < relClasses; c++) relLabels.add("R" + c);
                StringBuilder text = new StringBuilder();
                List<Word> ws = new ArrayList<>();
                for (int w = 0; w < words; w++) {
                    String word = "w" + w;
                    ws.add(new Word(word, text.length(), text.length() + word.length()));
                    text.append(word).append(' ');
                }
                ExtractionOptions options = ExtractionOptions.builder().threshold(threshold).relationThreshold(relThreshold)
                        .flatNer(flat).multiLabel(multi).build();
                ExtractionResult result = ResultDecoder.decode(text.toString(), ws, words, labels, relLabels, out, options);

                String where = "flat=" + flat + " multi=" + multi + " τ=" + threshold;
                assertEquals(expected.size(), result.entities().size(), where + ": entity count");
                for (int i = 0; i < expected.size(); i++) {
                    Cand e = expected.get(i);
                    Entity a = result.entities().get(i);
                    assertEquals(ws.get(e.start).start(), a.start(), where);
                    assertEquals(ws.get(e.end).end(), a.end(), where);
                    assertEquals("L" + e.cls, a.label(), where);
                    assertEquals(e.score, a.score(), 0.0, where);
                }
                List<Rel> rels = naiveRelations(expected, spans, pairs, relLogits, relClasses, relThreshold);
                assertEquals(rels.size(), result.relations().size(), where + ": relation count");
                for (int i = 0; i < rels.size(); i++) {
                    Rel e = rels.get(i);
                    Relation a = result.relations().get(i);
                    assertEquals(e.head, a.headIndex(), where);
                    assertEquals(e.tail, a.tailIndex(), where);
                    assertEquals("R" + e.cls, a.relation(), where);
                    assertEquals(e.score, a.score(), 0.0, where);
                    assertSame(result.entities().get(a.headIndex()), a.head());
                }
            }
        }
    }

    // ---------------------------------------------------------------- hand-made cases

    private static DecodedEntity e(int s, int end, int c, float score) {
        return new DecodedEntity(s, end, c, score);
    }

    @Test
    void greedyFlatRejectsAnyOverlapNestedOnlyCrossing() {
        List<DecodedEntity> c = List.of(e(0, 3, 0, 0.9f), e(1, 2, 1, 0.8f), e(3, 5, 0, 0.7f), e(6, 6, 0, 0.6f));
        assertEquals(List.of(e(0, 3, 0, 0.9f), e(6, 6, 0, 0.6f)), GreedySearch.select(c, true, false));
        // nested: (1,2) inside (0,3) is fine, (3,5) crosses (0,3)
        assertEquals(List.of(e(0, 3, 0, 0.9f), e(1, 2, 1, 0.8f), e(6, 6, 0, 0.6f)), GreedySearch.select(c, false, false));
    }

    @Test
    void greedyTiesKeepGenerationOrderAndMultiLabelKeepsSameBoundaries() {
        List<DecodedEntity> c = List.of(e(2, 2, 1, 0.8f), e(2, 2, 0, 0.8f), e(1, 2, 0, 0.8f));
        assertEquals(List.of(e(2, 2, 1, 0.8f)), GreedySearch.select(c, true, false));
        assertEquals(List.of(e(2, 2, 1, 0.8f), e(2, 2, 0, 0.8f)), GreedySearch.select(c, true, true));
        // nested + multi-label: all three (containment is allowed); stable sort by start keeps (2,2) pair order
        assertEquals(List.of(e(1, 2, 0, 0.8f), e(2, 2, 1, 0.8f), e(2, 2, 0, 0.8f)), GreedySearch.select(c, false, true));
    }

    @Test
    void relationsAttachToFirstEntityWithBoundariesAndUseDoubleComparison() {
        List<DecodedEntity> entities = List.of(e(0, 0, 0, 0.9f), e(0, 0, 1, 0.8f), e(2, 3, 0, 0.7f));
        float logit = 0.25f;
        float p = Probabilities.sigmoid(logit);
        double justBelowP = Math.nextDown((double) p);
        // candidates: 0 = (2,3), 1 = (1,1) not decoded, 2 = (0,0)
        HeadOutput out = new HeadOutput(true, 4, 1, 2, 1, new float[8], new int[]{2, 3, 1, 1, 0, 0},
                new int[]{2, 0, 0, 1, -1, -1, 0, 2}, new float[]{logit, logit, logit, logit});
        List<DecodedRelation> rels = RelationDecoder.decode(out, entities, justBelowP, 1);
        assertEquals(List.of(new DecodedRelation(0, 0, 2, p), new DecodedRelation(2, 0, 0, p)), rels);
        // A float32 cast of the threshold would round it up to p and reject; the reference compares in double.
        assertTrue((float) justBelowP == p);
        assertTrue(RelationDecoder.decode(out, entities, (double) p, 1).isEmpty(), "p > p is false");
    }

    @Test
    void tokenInsideEqualToThresholdPasses() {
        // σ(0) = 0.5 = τ for the inside score: "< τ" rejects, equality passes (spec §8 item 7).
        float[] logits = {3f, -3f, 0f, -3f, 3f, 0f}; // word 0: start, word 1: end; inside exactly 0.5 both
        HeadOutput out = new HeadOutput(false, 2, 0, 1, 0, logits, new int[0], new int[0], new float[0]);
        List<DecodedEntity> c = TokenDecoder.candidates(out, 0.5);
        assertEquals(List.of(e(0, 1, 0, 0.5f)), c);
    }

    @Test
    void badHeadOutputIsRejectedWithMessage() {
        HeadOutput out = new HeadOutput(true, 3, 2, 2, 0, new float[5], new int[0], new int[0], new float[0]);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> SpanDecoder.candidates(out, 0.5));
        assertTrue(ex.getMessage().contains("3×2×2"), ex.getMessage());
    }
}
