package dev.relex.train.loss;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.train.target.BatchTargets;
import dev.relex.train.target.CandidatePair;
import dev.relex.train.target.EntityHead;
import dev.relex.train.target.FixedPairs;
import dev.relex.train.target.TargetBuilder;
import dev.relex.train.target.TargetSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch bookkeeping of {@link RelexLoss} on hand-made batches with all-zero logits (every element ℓ = log 2). */
class RelexLossTest {
    static final double LOG2 = Math.log(2);

    static TargetSettings spanSettings() {
        return TargetSettings.builder().head(EntityHead.SPAN).maxWidth(2).augmentDataProb(0).build();
    }

    /** 3 words, K 2 → 5 valid spans; 1 word → 1; entity classes 2 and 1. */
    static List<Example> batch(boolean relationLabels) {
        Example a = new Example("a", List.of("x", "y", "z"), List.of(new EntityMention(0, 0, "p"), new EntityMention(2, 2, "q")),
                List.of(new RelationMention(0, 1, "r")), List.of("p", "q"), null, relationLabels ? List.of("r", "s") : List.of(), null);
        Example b = new Example("b", List.of("w"), List.of(new EntityMention(0, 0, "p")), List.of(), List.of("p"), null,
                relationLabels ? List.of("r") : List.of(), null);
        return List.of(a, b);
    }

    @Test
    void meanDenominators() {
        BatchTargets t = new TargetBuilder(spanSettings(), new FixedPairs(List.of(List.of(new CandidatePair(0, 1), new CandidatePair(1, 0)), List.of())))
                .build(batch(true), new SplittableRandom(0));
        LossDenominators d = LossDenominators.of(t);
        assertEquals(6, d.entity());           // 5 + 1 valid spans, not × classes
        assertEquals(4 + 1, d.adjacency());    // E² = 2² + 1²
        assertEquals(2 * 2 + 0, d.relation()); // pairs × R
    }

    @Test
    void totalWithCoefficientsAndMean() {
        BatchTargets t = new TargetBuilder(spanSettings(), new FixedPairs(List.of(List.of(new CandidatePair(0, 1), new CandidatePair(1, 0)), List.of())))
                .build(batch(true), new SplittableRandom(0));
        LossSettings ls = LossSettings.builder().reduction(Reduction.MEAN).spanLossCoef(2).adjacencyLossCoef(3).relationLossCoef(4).build();
        RelexLoss loss = new RelexLoss(ls, t, null, 0.5);
        float[] g0 = new float[3 * 2 * 2];
        loss.entity(0, new float[3 * 2 * 2], 0, g0, 0);
        loss.entity(1, new float[2], 0, new float[2], 0);
        loss.adjacency(0, new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 0, new float[4], 0);
        loss.adjacency(1, new float[] {0.5f}, 0, new float[1], 0);
        float[] gr = new float[4];
        loss.relation(0, new float[4], 0, gr, 0);
        loss.relation(1, new float[0], 0, new float[0], 0);
        LossBreakdown r = loss.result();
        // entity: (5·2 + 1·1 valid elements) · log 2 / 6 spans
        assertEquals(11 * LOG2 / 6, r.entity(), 1e-7);
        assertEquals(5 * LOG2 / 5, r.adjacency(), 1e-7);
        assertEquals(4 * LOG2 / 4, r.relation(), 1e-7);
        assertEquals(2 * r.entity() + 3 * r.adjacency() + 4 * r.relation(), r.total(), 1e-7);
        // gradient of a valid negative entity element: coef 2 · upstream 0.5 · (p − y = 0.5) / 6
        assertEquals(2 * 0.5 * 0.5 / 6, g0[1], 1e-7);
        // relation pair (0,1) class r is positive: coef 4 · 0.5 · (−0.5) / 4
        assertEquals(4 * 0.5 * -0.5 / 4, gr[0], 1e-7);
    }

    @Test
    void withoutRelationClassesTheLossIsTheBareEntityLoss() {
        BatchTargets t = new TargetBuilder(spanSettings()).build(batch(false), new SplittableRandom(0));
        assertTrue(t.get(0).pairs().isEmpty());
        LossSettings ls = LossSettings.builder().spanLossCoef(2).build();
        RelexLoss loss = new RelexLoss(ls, t, null, 1);
        float[] g = new float[3 * 2 * 2];
        loss.entity(0, new float[3 * 2 * 2], 0, g, 0);
        loss.entity(1, new float[2], 0, new float[2], 0);
        float[] ga = {7f, 7f, 7f, 7f};
        loss.adjacency(0, new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 0, ga, 0);
        LossBreakdown r = loss.result();
        assertEquals(11 * LOG2, r.entity(), 1e-6);
        assertEquals(r.entity(), r.total(), 0);                 // no span_loss_coef
        assertTrue(Double.isNaN(r.adjacency()) && Double.isNaN(r.relation()));
        assertEquals(0.5f, g[1], 1e-7);                         // coefficient 1, not 2
        for (float v : ga) assertEquals(0f, v);
    }

    @Test
    void negativeMaskingStrategies() {
        // relation block 3 pairs × 2 classes; only (pair 0, class 0) is positive
        float[] y = {1, 0, 0, 0, 0, 0};
        float[] x = new float[6];
        SplittableRandom r = new SplittableRandom(3);
        // negatives 0: every eligible element is dropped
        assertEquals(LOG2, ComponentLosses.relation(x, 0, y, 0, 3, 2, FocalParams.PLAIN, new NegativeMasking(Masking.GLOBAL, 0, r), null, 0, 1), 1e-7);
        // "span" keeps the whole row of a pair that has a positive
        assertEquals(2 * LOG2, ComponentLosses.relation(x, 0, y, 0, 3, 2, FocalParams.PLAIN, new NegativeMasking(Masking.SPAN, 0, r), null, 0, 1), 1e-7);
        // "label" keeps the whole column of a class that has a positive
        assertEquals(3 * LOG2, ComponentLosses.relation(x, 0, y, 0, 3, 2, FocalParams.PLAIN, new NegativeMasking(Masking.LABEL, 0, r), null, 0, 1), 1e-7);
        // negatives 1 or "none": everything counts, no draws needed
        assertEquals(6 * LOG2, ComponentLosses.relation(x, 0, y, 0, 3, 2, FocalParams.PLAIN, new NegativeMasking(Masking.GLOBAL, 1, null), null, 0, 1), 1e-7);
        // negatives 0.5: on average half of the 5 negatives survive; deterministic per seed
        double a = 0, n = 2000;
        NegativeMasking m = new NegativeMasking(Masking.GLOBAL, 0.5, new SplittableRandom(5));
        for (int i = 0; i < n; i++) a += ComponentLosses.relation(x, 0, y, 0, 3, 2, FocalParams.PLAIN, m, null, 0, 1) / LOG2 - 1;
        assertEquals(2.5, a / n, 0.1);
        double s1 = ComponentLosses.relation(x, 0, y, 0, 3, 2, FocalParams.PLAIN, new NegativeMasking(Masking.GLOBAL, 0.5, new SplittableRandom(9)), null, 0, 1);
        double s2 = ComponentLosses.relation(x, 0, y, 0, 3, 2, FocalParams.PLAIN, new NegativeMasking(Masking.GLOBAL, 0.5, new SplittableRandom(9)), null, 0, 1);
        assertEquals(s1, s2, 0);
    }
}
