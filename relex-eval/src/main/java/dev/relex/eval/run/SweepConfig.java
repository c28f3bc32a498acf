package dev.relex.eval.run;

import java.util.Arrays;

/**
 * Threshold grid of a sweep. Entity and adjacency thresholds are fixed grid values (each entity threshold
 * re-runs the heads, because it selects the relation candidates inside the model; adjacency thresholds re-run
 * only the decoding); relation thresholds are applied to the scored relations afterwards, so the coarse
 * relation grid is refined around each metric's best value with step {@code refineStep} within ± one coarse
 * step, at no model cost.
 */
public record SweepConfig(double[] entityThresholds, double[] adjacencyThresholds, double[] relationThresholds,
                          double refineStep) {
    public SweepConfig {
        entityThresholds = checked("entity", entityThresholds);
        adjacencyThresholds = checked("adjacency", adjacencyThresholds);
        relationThresholds = checked("relation", relationThresholds);
        if (!(refineStep > 0 && refineStep < 1)) throw new IllegalArgumentException("refine step must be in (0, 1)");
    }

    /**
     * 2 entity × 5 adjacency × 10 relation thresholds = 100 triples, relation refined in steps of 0.01. Only two
     * entity thresholds because each one costs a run of the heads (see the class comment); the relation axis is
     * free and the adjacency axis costs decoding only.
     */
    public static SweepConfig defaults() {
        return new SweepConfig(new double[] {0.3, 0.5}, new double[] {0.3, 0.4, 0.5, 0.6, 0.7},
                new double[] {0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8}, 0.01);
    }

    public int triples() {
        return entityThresholds.length * adjacencyThresholds.length * relationThresholds.length;
    }

    /** Half-width of the refinement window around the best coarse relation threshold. */
    double refineRadius() {
        if (relationThresholds.length < 2) return 2 * refineStep;
        double step = Double.POSITIVE_INFINITY;
        for (int i = 1; i < relationThresholds.length; i++) step = Math.min(step, relationThresholds[i] - relationThresholds[i - 1]);
        return step;
    }

    /** The lowest relation threshold ever applied: the model pass uses it, higher ones filter its output. */
    double lowestRelationThreshold() {
        return Math.max(0, relationThresholds[0] - refineRadius());
    }

    private static double[] checked(String what, double[] v) {
        if (v == null || v.length == 0) throw new IllegalArgumentException("no " + what + " thresholds");
        double[] c = v.clone();
        Arrays.sort(c);
        for (int i = 0; i < c.length; i++) {
            if (!(c[i] >= 0 && c[i] <= 1)) throw new IllegalArgumentException(what + " threshold " + c[i] + " is not in [0, 1]");
            if (i > 0 && c[i] == c[i - 1]) throw new IllegalArgumentException(what + " threshold " + c[i] + " is given twice");
        }
        return c;
    }
}
