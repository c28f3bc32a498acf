package dev.relex.train.loss;

import dev.relex.train.target.BatchTargets;
import dev.relex.train.target.EntityHead;
import dev.relex.train.target.ExampleTargets;

import java.util.random.RandomGenerator;

/**
 * The GLiNER-Relex training loss of one batch, computed example by example (the trainer runs one example
 * at a time) and accumulated. Create one per batch (micro-batch), call {@link #entity}, {@link #adjacency}
 * and {@link #relation} for every example, then read {@link #result()}.
 *
 * <p>Each call returns the example's contribution to its (reduced) component and <b>overwrites</b> the
 * given gradient block with d(scaled total)/d(input): the component's effective coefficient × (1 / its
 * batch denominator for "mean") × {@code upstreamScale}. Inputs: entity logits (span: (W, K, C); token:
 * (W, C, 3)), adjacency <em>probabilities</em> (E, E) (the backward pass continues through the adjacency
 * module's sigmoid itself), relation logits (pairs, R); shapes as in {@link ExampleTargets}.
 *
 * <p><b>Total</b> (reference base.py:2424-2474, golden README difference 8): if the batch has relation
 * classes, total = span_loss_coef·entity + adjacency_loss_coef·adjacency (only with an adjacency module,
 * i.e. relations_layer ≠ "none") + relation_loss_coef·relation; otherwise the bare entity loss (no
 * coefficient, no adjacency or relation term — {@link #includesRelationTerms()} is false and those calls
 * write zero gradients). The token model's entity loss also uses span_loss_coef.
 *
 * <p><b>Gradient accumulation</b>: the reference divides every micro-batch loss by the number of
 * accumulation steps before backward; pass {@code upstreamScale = 1 / steps} to do the same.
 *
 * <p><b>Precision</b>: element intermediates in float32 as torch (see {@link FocalBce}); element losses,
 * sums and the gradient factors in double; gradients stored as float32. Not thread-safe.
 */
public final class RelexLoss {
    private final LossSettings settings;
    private final BatchTargets batch;
    private final LossDenominators denominators;
    private final NegativeMasking masking;
    private final double upstreamScale;
    private final boolean relationTerms, adjacencyTerm;
    private double entity, adjacency, relation;

    /**
     * @param rng           source of the negative sub-sampling draws; may be null unless
     *                      {@code negatives < 1} with a masking strategy
     * @param upstreamScale gradient seed, e.g. 1 / gradient-accumulation steps
     */
    public RelexLoss(LossSettings settings, BatchTargets batch, RandomGenerator rng, double upstreamScale) {
        this.settings = settings;
        this.batch = batch;
        this.denominators = LossDenominators.of(batch);
        this.masking = new NegativeMasking(settings.masking(), settings.negatives(), rng);
        this.upstreamScale = upstreamScale;
        this.relationTerms = batch.hasRelationClasses();
        this.adjacencyTerm = relationTerms && !batch.settings().allPairs();
    }

    public LossDenominators denominators() {
        return denominators;
    }

    /** Whether the total includes relation (and, with an adjacency module, adjacency) terms. */
    public boolean includesRelationTerms() {
        return relationTerms;
    }

    public boolean includesAdjacencyTerm() {
        return adjacencyTerm;
    }

    /** Entity (span or token) loss of example {@code i}. */
    public double entity(int i, float[] logits, int off, float[] grad, int gradOff) {
        ExampleTargets t = batch.get(i);
        double coef = relationTerms ? settings.spanLossCoef() : 1.0;
        double den = reduce(denominators.entity());
        double scale = den == 0 ? 0 : coef * upstreamScale / den;
        double sum = batch.settings().head() == EntityHead.TOKEN
                ? ComponentLosses.token(logits, off, t.entityTargets(), 0, t.words(), t.entityClasses(), settings.entity(), grad, gradOff, scale)
                : ComponentLosses.span(logits, off, t.entityTargets(), 0, t.words(), t.maxWidth(), t.entityClasses(), settings.entity(),
                        masking, grad, gradOff, scale);
        double v = den == 0 ? 0 : sum / den;
        entity += v;
        return v;
    }

    /** Adjacency loss of example {@code i}; {@code probabilities} are the adjacency module's outputs. */
    public double adjacency(int i, float[] probabilities, int off, float[] grad, int gradOff) {
        ExampleTargets t = batch.get(i);
        if (!adjacencyTerm) {
            if (grad != null) java.util.Arrays.fill(grad, gradOff, gradOff + t.candidates() * t.candidates(), 0f);
            return 0;
        }
        double den = reduce(denominators.adjacency());
        double scale = den == 0 ? 0 : settings.adjacencyLossCoef() * upstreamScale / den;
        double sum = ComponentLosses.adjacency(probabilities, off, t.adjacencyTarget(), 0, t.candidates(), settings.relation(),
                masking, grad, gradOff, scale);
        double v = den == 0 ? 0 : sum / den;
        adjacency += v;
        return v;
    }

    /** Relation loss of example {@code i}: logits (pairs, R) in the example's pair order. */
    public double relation(int i, float[] logits, int off, float[] grad, int gradOff) {
        ExampleTargets t = batch.get(i);
        if (!relationTerms) {
            if (grad != null) java.util.Arrays.fill(grad, gradOff, gradOff + t.pairCount() * t.relationClasses(), 0f);
            return 0;
        }
        double den = reduce(denominators.relation());
        double scale = den == 0 ? 0 : settings.relationLossCoef() * upstreamScale / den;
        double sum = ComponentLosses.relation(logits, off, t.relationTargets(), 0, t.pairCount(), t.relationClasses(),
                settings.relation(), masking, grad, gradOff, scale);
        double v = den == 0 ? 0 : sum / den;
        relation += v;
        return v;
    }

    private double reduce(double denominator) {
        return settings.reduction() == Reduction.MEAN ? denominator : 1.0;
    }

    /** The components accumulated so far and the total by the reference's rule (unscaled by upstreamScale). */
    public LossBreakdown result() {
        if (!relationTerms) return new LossBreakdown(entity, Double.NaN, Double.NaN, entity);
        double total = settings.spanLossCoef() * entity + settings.relationLossCoef() * relation
                + (adjacencyTerm ? settings.adjacencyLossCoef() * adjacency : 0);
        return new LossBreakdown(entity, adjacencyTerm ? adjacency : Double.NaN, relation, total);
    }
}
