package dev.relex.decode;

import dev.relex.ExtractionOptions;
import dev.relex.ExtractionResult;
import dev.relex.OffsetUnit;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.golden.RelexGolden;
import dev.relex.golden.RelexGolden.Example;
import dev.relex.golden.RelexGolden.PerText;
import dev.relex.heads.HeadOutput;
import dev.relex.text.Offsets;
import dev.relex.text.Word;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Decoding only: for every text of every {@code golden/relex-*} example, the reference's own head outputs
 * (entity logits, candidate boundaries {@code entity_spans}, {@code rel_idx}, {@code rel_mask},
 * {@code rel_logits}, taken from the recorded padded batch) go through {@link ResultDecoder}; the result
 * must equal expected.json's entities and relations in both offset units.
 */
class DecodeGoldenTest {

    @TestFactory
    List<DynamicNode> decodedOutputsMatchReference() {
        List<Path> cases = RelexGolden.cases();
        assumeFalse(cases.isEmpty(), "no golden data under " + RelexGolden.golden());
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path caseDir : cases) {
            GlinerConfig config = GlinerConfig.read(caseDir.resolve("model/gliner_config.json"));
            boolean spanLevel = config.modelKind() == GlinerConfig.ModelKind.SPAN_RELEX;
            List<DynamicNode> examples = new ArrayList<>();
            for (Example ex : RelexGolden.examples(caseDir)) {
                examples.add(DynamicTest.dynamicTest(ex.id(), () -> checkExample(ex, spanLevel)));
            }
            nodes.add(DynamicContainer.dynamicContainer(caseDir.getFileName().toString(), examples));
        }
        return nodes;
    }

    private static void checkExample(Example ex, boolean spanLevel) {
        boolean anyRow = ex.perText().stream().anyMatch(p -> p.batchRow() != null);
        if (!anyRow) {
            assertFalse(Files.exists(ex.tensorFile()), ex + ": no forward pass expected");
            for (PerText p : ex.perText()) {
                assertTrue(p.entities().isEmpty() && p.relations().isEmpty(), ex + ": empty text has no output");
            }
            return;
        }
        try (SafeTensors t = SafeTensors.open(ex.tensorFile())) {
            for (int i = 0; i < ex.perText().size(); i++) {
                PerText p = ex.perText().get(i);
                String where = ex + "[" + i + "]";
                if (p.batchRow() == null) {
                    assertTrue(p.entities().isEmpty() && p.relations().isEmpty(), where + ": skipped text has no output");
                    continue;
                }
                int candidates = p.numCandidates() >= 0 ? p.numCandidates()
                        : countSpanCandidates(t, p.batchRow(), p.textLength(), ex.threshold());
                HeadOutput out = headOutput(t, p.batchRow(), p.textLength(), candidates, spanLevel);
                List<Word> words = utf16Words(p);
                for (OffsetUnit unit : OffsetUnit.values()) {
                    ExtractionOptions options = ex.options(unit);
                    ExtractionResult r = ResultDecoder.decode(p.text(), words, words.size(), ex.classLabels(),
                            ex.relationClassLabels(), out, options);
                    RelexGolden.assertMatches(p, r, unit, where + " " + unit);
                    assertNull(r.truncation(), where + ": nothing truncated");
                }
                // Pruning to the best class per span must not change the greedy result (single-label).
                List<DecodedEntity> full = GreedySearch.select(spanLevel ? SpanDecoder.candidates(out, ex.threshold())
                        : TokenDecoder.candidates(out, ex.threshold()), ex.flatNer(), false);
                List<DecodedEntity> pruned = GreedySearch.select(spanLevel
                        ? SpanDecoder.candidates(out, ex.threshold(), true)
                        : TokenDecoder.candidates(out, ex.threshold(), true), ex.flatNer(), false);
                assertEquals(full, pruned, where + ": best-class pruning changed the greedy result");
            }
        }
    }

    /** The recorded batch tensors of one row, cut to the text's words, candidates and valid pairs. */
    static HeadOutput headOutput(SafeTensors t, int row, int words, int candidates, boolean spanLevel) {
        int[] ls = t.info("logits").intShape();
        float[] logits = t.floats("logits");
        int perWord = ls[2] * ls[3];
        int rowStart = row * ls[1] * perWord;
        float[] entityLogits = Arrays.copyOfRange(logits, rowStart, rowStart + words * perWord);

        int[] es = t.info("entity_spans").intShape();
        long[] spans = t.longs("entity_spans");
        if (t.contains("candidate_mask")) {
            long[] mask = t.longs("candidate_mask");
            int valid = 0;
            for (int e = 0; e < es[1]; e++) valid += (int) mask[row * es[1] + e];
            assertEquals(candidates, valid, "candidate_mask of row " + row + " vs num_candidates");
        }
        int[] candidateSpans = new int[2 * candidates];
        for (int e = 0; e < candidates; e++) {
            candidateSpans[2 * e] = Math.toIntExact(spans[(row * es[1] + e) * 2]);
            candidateSpans[2 * e + 1] = Math.toIntExact(spans[(row * es[1] + e) * 2 + 1]);
        }

        int[] rs = t.info("rel_idx").intShape();
        long[] relIdx = t.longs("rel_idx");
        long[] relMask = t.longs("rel_mask");
        int[] lg = t.info("rel_logits").intShape();
        int classes = lg[2];
        float[] relLogits = t.floats("rel_logits");
        List<Integer> kept = new ArrayList<>();
        for (int n = 0; n < rs[1]; n++) if (relMask[row * rs[1] + n] != 0) kept.add(n);
        int[] pairs = new int[2 * kept.size()];
        float[] keptLogits = new float[kept.size() * classes];
        for (int j = 0; j < kept.size(); j++) {
            int n = kept.get(j);
            pairs[2 * j] = Math.toIntExact(relIdx[(row * rs[1] + n) * 2]);
            pairs[2 * j + 1] = Math.toIntExact(relIdx[(row * rs[1] + n) * 2 + 1]);
            System.arraycopy(relLogits, (row * rs[1] + n) * classes, keptLogits, j * classes, classes);
        }
        int entityClasses = spanLevel ? ls[3] : ls[2];
        return new HeadOutput(spanLevel, words, spanLevel ? ls[2] : 0, entityClasses, classes, entityLogits,
                candidateSpans, pairs, keptLogits);
    }

    /**
     * The "none" case records no candidate count: recount it as spec §3.6 defines the span model's
     * candidates (spans inside the text whose best class probability exceeds the threshold); with no
     * adjacency layer every ordered pair of them is a pair, which the caller's pair count confirms.
     */
    static int countSpanCandidates(SafeTensors t, int row, int words, double threshold) {
        int[] ls = t.info("logits").intShape();
        float[] logits = t.floats("logits");
        int k = ls[2], c = ls[3];
        float tau = (float) threshold;
        int count = 0;
        for (int s = 0; s < words; s++) {
            for (int w = 0; w < k && s + w < words; w++) {
                float best = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) {
                    best = Math.max(best, Probabilities.sigmoid(logits[((row * ls[1] + s) * k + w) * c + j]));
                }
                if (best > tau) count++;
            }
        }
        int[] rs = t.info("rel_idx").intShape();
        long[] relMask = t.longs("rel_mask");
        int pairs = 0;
        for (int n = 0; n < rs[1]; n++) pairs += (int) relMask[row * rs[1] + n];
        assertEquals(count * (count - 1), pairs, "all ordered pairs of " + count + " candidates");
        return count;
    }

    /** expected.json's words (code points) as UTF-16 words of the text. */
    static List<Word> utf16Words(PerText p) {
        Offsets o = Offsets.of(p.text());
        List<Word> words = new ArrayList<>();
        for (int i = 0; i < p.words().size(); i++) {
            words.add(new Word(p.words().get(i), o.toUtf16(p.wordStarts()[i]), o.toUtf16(p.wordEnds()[i])));
        }
        assertEquals(p.textLength(), words.size(), "text_length vs words");
        return words;
    }
}
