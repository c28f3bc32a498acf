package dev.relex.eval.run;

import dev.relex.eval.metrics.ClassificationMetrics;
import dev.relex.eval.metrics.Prf;
import dev.relex.eval.metrics.TypedScores;

import java.util.Locale;
import java.util.Map;

/** Plain-text tables of results, for the terminal. */
public final class TextTable {
    private TextTable() {}

    public static String evaluation(EvaluationResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d texts, thresholds entity %.3f / adjacency %.3f / relation %.3f, %s%n", r.texts(),
                r.config().threshold(), r.config().adjacencyThreshold(), r.config().relationThreshold(),
                r.config().flatNer() ? "flat" : "nested"));
        metrics(sb, r.span().entitiesStrict(), r.span().relationsStrict(), r.span().relationsBoundaries(), r.textLevel());
        if (r.truncatedTexts() > 0) {
            sb.append(String.format(Locale.ROOT, "%d texts longer than the model reads: %d gold entities and %d gold relations unread%n",
                    r.truncatedTexts(), r.goldEntitiesUnread(), r.goldRelationsUnread()));
        }
        if (!r.failures().isEmpty()) sb.append(r.failures().size()).append(" texts failed (scored as empty predictions)\n");
        sb.append(String.format(Locale.ROOT, "%.1f texts/s (%.2f s)%n", r.timings().textsPerSecond(r.texts()), r.timings().wallNanos() / 1e9));
        return sb.toString();
    }

    public static String sweep(ThresholdSweep.Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "sweep over %d texts: %d coarse triples, %d scored with refinement%n", r.texts(),
                r.coarse().size(), r.triplesScored()));
        sb.append(String.format(Locale.ROOT, "%-32s %8s %8s %8s %8s%n", "best for", "value", "entity", "adjacency", "relation"));
        for (Map.Entry<String, ThresholdSweep.Scores> e : r.best().entrySet()) {
            ThresholdSweep.Scores s = e.getValue();
            sb.append(String.format(Locale.ROOT, "%-32s %8.2f %8.3f %8.3f %8.3f%n", e.getKey(),
                    ThresholdSweep.METRICS.get(e.getKey()).applyAsDouble(s), s.entityThreshold(), s.adjacencyThreshold(),
                    s.relationThreshold()));
        }
        sb.append(String.format(Locale.ROOT, "%.1f texts/s (%.2f s)%n", r.texts() / (r.wallNanos() / 1e9), r.wallNanos() / 1e9));
        return sb.toString();
    }

    public static String classification(ClassificationRun.Result r) {
        ClassificationMetrics.Result m = r.scores();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s classification: %d texts, %d instances, %d labels averaged%n",
                r.protocol() == ClassificationRun.Protocol.SINGLE_LABEL ? "single-label (arg-max)" : "multi-label (p > " + r.threshold() + ")",
                r.texts(), r.instances(), m.labels().size()));
        sb.append(String.format(Locale.ROOT, "macro P %.2f  R %.2f  F1 %.2f  (mean per-label F1 %.2f)%n", m.macroPrecision(),
                m.macroRecall(), m.macroF1(), m.meanPerLabelF1()));
        if (!r.failures().isEmpty()) sb.append(r.failures().size()).append(" texts failed (their pairs scored as no prediction)\n");
        sb.append(String.format(Locale.ROOT, "%.1f texts/s (%.2f s)%n", r.texts() / (r.wallNanos() / 1e9), r.wallNanos() / 1e9));
        return sb.toString();
    }

    public static String document(dev.relex.eval.docred.DocumentEvaluation.Result r, boolean endToEnd) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d documents in %d sentence windows (%d truncated); %d gold facts, %d (%.1f%%) never "
                        + "have head and tail in one window%n", r.documents(), r.windows(), r.truncatedWindows(), r.goldFacts(),
                r.factsSplit(), 100 - 100 * r.reachableFraction()));
        Prf m = r.goldEntity().facts().micro();
        sb.append(String.format(Locale.ROOT, "gold entities: P %.2f  R %.2f  F1 %.2f  Ign F1 %.2f%n", m.precision(), m.recall(), m.f1(),
                r.goldEntity().ignF1()));
        if (endToEnd) {
            Prf t = r.textLevel().micro();
            sb.append(String.format(Locale.ROOT, "end to end, text level: P %.2f  R %.2f  F1 %.2f  macro F1 %.2f%n", t.precision(),
                    t.recall(), t.f1(), r.textLevel().macroF1()));
        }
        if (!r.failedWindows().isEmpty()) sb.append(r.failedWindows().size()).append(" windows failed\n");
        sb.append(String.format(Locale.ROOT, "%.2f documents/s (%.2f s)%n", r.documents() / (r.wallNanos() / 1e9), r.wallNanos() / 1e9));
        return sb.toString();
    }

    static void metrics(StringBuilder sb, TypedScores ents, TypedScores strict, TypedScores bound, TypedScores text) {
        sb.append(String.format(Locale.ROOT, "%-22s %8s %8s %8s %10s %9s %9s %9s%n", "metric", "P", "R", "F1", "macro F1",
                "correct", "predicted", "gold"));
        row(sb, "entities strict", ents);
        row(sb, "relations strict", strict);
        row(sb, "relations boundaries", bound);
        row(sb, "relations text-level", text);
    }

    private static void row(StringBuilder sb, String name, TypedScores s) {
        Prf m = s.micro();
        sb.append(String.format(Locale.ROOT, "%-22s %8.2f %8.2f %8.2f %10.2f %9d %9d %9d%n", name, m.precision(), m.recall(), m.f1(),
                s.macroF1(), m.correct(), m.predicted(), m.gold()));
    }
}
