package dev.relex.train;

import dev.relex.RelexModel;
import dev.relex.data.Example;
import dev.relex.eval.metrics.SpanMetrics;
import dev.relex.eval.run.EvaluationConfig;
import dev.relex.eval.run.EvaluationResult;
import dev.relex.eval.run.Evaluator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Development evaluation with relex-eval's {@link Evaluator}: strict relation micro-F1 (both spans, both
 * entity types, relation type) selects the best checkpoint; entity strict F1 and relation boundaries F1
 * are reported beside it. The prompt of every dev example is the dev set's full label set (or the
 * example's fixed labels), so scores do not depend on which examples are evaluated together.
 */
public final class EvaluatorDevEvaluation implements DevEvaluation {
    public static final String PRIMARY = "relation_strict_f1";
    private final double threshold;

    public EvaluatorDevEvaluation(double threshold) {
        this.threshold = threshold;
    }

    /** The evaluation a run's configuration asks for ({@link TrainerConfig#evalThreshold()} for every threshold). */
    public static DevEvaluation of(TrainerConfig cfg) {
        return new EvaluatorDevEvaluation(cfg.evalThreshold());
    }

    @Override
    public String primaryMetric() {
        return PRIMARY;
    }

    @Override
    public Map<String, Double> evaluate(RelexModel model, List<Example> dev) {
        Set<String> ents = new TreeSet<>(), rels = new TreeSet<>();
        for (Example e : dev) {
            e.entities().forEach(m -> ents.add(m.label()));
            e.relations().forEach(r -> rels.add(r.label()));
        }
        EvaluationConfig cfg = EvaluationConfig.builder().threshold(threshold)
                .datasetEntityLabels(List.copyOf(ents)).datasetRelationLabels(List.copyOf(rels)).build();
        EvaluationResult r = new Evaluator(cfg).evaluate(model, dev);
        SpanMetrics.Result s = r.span();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(PRIMARY, s.relationsStrict().micro().f1());
        out.put("relation_boundaries_f1", s.relationsBoundaries().micro().f1());
        out.put("entity_strict_f1", s.entitiesStrict().micro().f1());
        out.put("relation_strict_macro_f1", s.relationsStrict().macroF1());
        return out;
    }
}
