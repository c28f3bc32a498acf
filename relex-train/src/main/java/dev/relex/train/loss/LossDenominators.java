package dev.relex.train.loss;

import dev.relex.train.target.BatchTargets;
import dev.relex.train.target.EntityHead;
import dev.relex.train.target.ExampleTargets;

/**
 * The batch-level divisors of the "mean" reduction (golden README difference 7), summed over the examples:
 * span loss = number of valid spans (not × classes); token loss = Σ words·classes (not × 3); adjacency
 * loss = Σ E² (diagonal included); relation loss = Σ pairs·relation classes.
 */
public record LossDenominators(double entity, double adjacency, double relation) {

    public static LossDenominators of(BatchTargets batch) {
        double ent = 0, adj = 0, rel = 0;
        boolean token = batch.settings().head() == EntityHead.TOKEN;
        for (ExampleTargets t : batch.examples()) {
            ent += token ? (double) t.words() * t.entityClasses() : t.validSpans();
            adj += (double) t.candidates() * t.candidates();
            rel += (double) t.pairCount() * t.relationClasses();
        }
        return new LossDenominators(ent, adj, rel);
    }
}
