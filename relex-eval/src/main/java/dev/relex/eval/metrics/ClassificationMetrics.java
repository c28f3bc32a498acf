package dev.relex.eval.metrics;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Relation classification with given head and tail.
 *
 * <p>{@link #singleLabel}: FewRel zero-shot (ZS-BERT / RE-Matching, their {@code compute_macro_PRF}): each
 * instance has one gold label and one predicted label (the arg-max over the m unseen labels); per label
 * precision = correct / predicted as that label (0 if never predicted), recall = correct / gold instances;
 * macro precision and recall are their means over the m labels, and macro F1 = 2·P·R / (P + R) of those two
 * means (not the mean of per-label F1, which {@link Result#meanPerLabelF1()} also gives).
 *
 * <p>{@link #multiLabel}: CrossRE: each gold pair carries a set of gold labels (pairs without a gold relation
 * are not scored) and a set of predicted labels; per label counts over pairs; the score is the mean per-label
 * F1 over the labels present in gold (the {@code labels} argument).
 */
public final class ClassificationMetrics {
    private ClassificationMetrics() {}

    /** One instance's gold and predicted labels (single-label: one each). */
    public record Instance(Set<String> gold, Set<String> predicted) {
        public Instance {
            gold = Set.copyOf(gold);
            predicted = Set.copyOf(predicted);
        }

        public static Instance single(String gold, String predicted) {
            return new Instance(Set.of(gold), predicted == null ? Set.of() : Set.of(predicted));
        }
    }

    /**
     * @param perLabel       counts per label
     * @param macroPrecision mean per-label precision over the scored labels
     * @param macroRecall    mean per-label recall
     * @param macroF1        single-label: F1 of the two means; multi-label: mean per-label F1
     * @param meanPerLabelF1 mean per-label F1 over the scored labels
     * @param labels         the labels averaged over
     */
    public record Result(TypedScores perLabel, double macroPrecision, double macroRecall, double macroF1,
                         double meanPerLabelF1, List<String> labels) {}

    public static Result singleLabel(Collection<String> labels, List<Instance> instances) {
        for (Instance i : instances) {
            if (i.gold().size() != 1 || i.predicted().size() > 1) {
                throw new IllegalArgumentException("single-label scoring needs one gold and at most one predicted label, got " + i);
            }
        }
        TypedScores s = count(labels, instances);
        double p = mean(labels, s, true), r = mean(labels, s, false);
        return new Result(s, p, r, Prf.f1(p, r), s.macroF1Over(labels), List.copyOf(labels));
    }

    public static Result multiLabel(Collection<String> labels, List<Instance> instances) {
        TypedScores s = count(labels, instances);
        double f = s.macroF1Over(labels);
        return new Result(s, mean(labels, s, true), mean(labels, s, false), f, f, List.copyOf(labels));
    }

    private static TypedScores count(Collection<String> labels, List<Instance> instances) {
        TypedScores.Builder b = new TypedScores.Builder();
        for (String l : labels) b.add(l, 0, 0, 0);
        for (Instance i : instances) {
            for (String g : i.gold()) b.add(g, 0, 0, 1);
            for (String p : i.predicted()) b.add(p, i.gold().contains(p) ? 1 : 0, 1, 0);
        }
        return b.build();
    }

    private static double mean(Collection<String> labels, TypedScores s, boolean precision) {
        if (labels.isEmpty()) return 0;
        double sum = 0;
        for (String l : labels) {
            Prf p = s.perType().getOrDefault(l, Prf.ZERO);
            sum += precision ? p.precision() : p.recall();
        }
        return sum / labels.size();
    }
}
