package dev.relex.eval.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.eval.metrics.ClassificationMetrics;
import dev.relex.eval.metrics.Prf;
import dev.relex.eval.metrics.TypedScores;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * JSON form of evaluation, sweep and classification results. Key order is fixed and maps are sorted, scores
 * are rounded to 4 decimals, and everything that depends on the clock is under the top-level {@code timings}
 * key, so two runs of the same evaluation give byte-identical reports apart from {@code timings}.
 */
public final class ReportJson {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ReportJson() {}

    public static ObjectNode evaluation(EvaluationResult r) {
        ObjectNode o = F.objectNode();
        o.put("kind", "evaluation");
        o.put("texts", r.texts());
        o.set("thresholds", thresholds(r.config().threshold(), r.config().adjacencyThreshold(), r.config().relationThreshold()));
        o.put("flat_ner", r.config().flatNer());
        o.put("multi_label", r.config().multiLabel());
        o.set("labels", labels(r.entityLabels(), r.relationLabels()));
        o.set("metrics", metrics(r.span().entitiesStrict(), r.span().relationsStrict(), r.span().relationsBoundaries(), r.textLevel()));
        o.put("truncated_texts", r.truncatedTexts());
        o.put("gold_entities_unread", r.goldEntitiesUnread());
        o.put("gold_relations_unread", r.goldRelationsUnread());
        ArrayNode fails = o.putArray("failures");
        for (EvaluationResult.Failure f : r.failures()) fails.addObject().put("id", f.exampleId()).put("error", f.message());
        o.set("timings", timings(r.timings().wallNanos(), r.timings().modelNanos(), r.texts()));
        return o;
    }

    public static ObjectNode sweep(ThresholdSweep.Result r) {
        ObjectNode o = F.objectNode();
        o.put("kind", "sweep");
        o.put("texts", r.texts());
        o.set("labels", labels(r.entityLabels(), r.relationLabels()));
        o.put("triples_scored", r.triplesScored());
        ObjectNode best = o.putObject("best");
        for (Map.Entry<String, ThresholdSweep.Scores> e : r.best().entrySet()) {
            ThresholdSweep.Scores s = e.getValue();
            ObjectNode b = best.putObject(e.getKey());
            b.put("value", round(ThresholdSweep.METRICS.get(e.getKey()).applyAsDouble(s)));
            b.set("thresholds", thresholds(s.entityThreshold(), s.adjacencyThreshold(), s.relationThreshold()));
            b.set("metrics", metrics(s.span().entitiesStrict(), s.span().relationsStrict(), s.span().relationsBoundaries(), s.textLevel()));
        }
        ArrayNode grid = o.putArray("coarse_grid");
        for (ThresholdSweep.Scores s : r.coarse()) {
            ObjectNode g = grid.addObject();
            g.set("thresholds", thresholds(s.entityThreshold(), s.adjacencyThreshold(), s.relationThreshold()));
            for (Map.Entry<String, java.util.function.ToDoubleFunction<ThresholdSweep.Scores>> m : ThresholdSweep.METRICS.entrySet()) {
                g.put(m.getKey(), round(m.getValue().applyAsDouble(s)));
            }
        }
        ArrayNode fails = o.putArray("failures");
        for (EvaluationResult.Failure f : r.failures()) fails.addObject().put("id", f.exampleId()).put("error", f.message());
        o.set("timings", timings(r.wallNanos(), r.modelNanos(), r.texts()));
        return o;
    }

    public static ObjectNode classification(ClassificationRun.Result r) {
        ObjectNode o = F.objectNode();
        o.put("kind", "classification");
        o.put("protocol", r.protocol().name().toLowerCase(java.util.Locale.ROOT));
        o.put("instances", r.instances());
        o.put("texts", r.texts());
        if (r.protocol() == ClassificationRun.Protocol.MULTI_LABEL) o.put("relation_threshold", round(r.threshold()));
        o.set("prompt_relation_labels", F.arrayNode().addAll(r.promptLabels().stream().map(F::textNode).toList()));
        ClassificationMetrics.Result m = r.scores();
        ObjectNode s = o.putObject("metrics");
        s.put("macro_precision", round(m.macroPrecision()));
        s.put("macro_recall", round(m.macroRecall()));
        s.put("macro_f1", round(m.macroF1()));
        s.put("mean_per_label_f1", round(m.meanPerLabelF1()));
        s.set("labels_averaged", F.arrayNode().addAll(m.labels().stream().map(F::textNode).toList()));
        s.set("per_label", perType(m.perLabel()));
        ArrayNode fails = o.putArray("failures");
        for (EvaluationResult.Failure f : r.failures()) fails.addObject().put("id", f.exampleId()).put("error", f.message());
        o.set("timings", timings(r.wallNanos(), r.modelNanos(), r.texts()));
        return o;
    }

    public static ObjectNode document(dev.relex.eval.docred.DocumentEvaluation.Result r, boolean endToEnd, String ignReference,
                                      EvaluationConfig config) {
        ObjectNode o = F.objectNode();
        o.put("kind", "document");
        o.put("documents", r.documents());
        o.put("windows", r.windows());
        o.put("windows_over_word_budget", r.truncatedWindows());
        o.put("windows_truncated_by_model", r.truncatedByModel());
        o.set("thresholds", thresholds(config.threshold(), config.adjacencyThreshold(), config.relationThreshold()));
        o.set("labels", labels(r.entityLabels(), r.relationLabels()));
        o.put("gold_facts", r.goldFacts());
        o.put("gold_facts_split_across_windows", r.factsSplit());
        o.put("reachable_fraction", round(r.reachableFraction()));
        ObjectNode g = o.putObject("gold_entity_protocol");
        g.set("facts", typed(r.goldEntity().facts()));
        g.put("f1", round(r.goldEntity().facts().micro().f1()));
        g.put("ign_f1", round(r.goldEntity().ignF1()));
        g.put("ign_precision", round(r.goldEntity().ignPrecision()));
        g.put("correct_in_reference", r.goldEntity().correctInTrain());
        g.put("ign_reference", ignReference);
        if (endToEnd) o.set("end_to_end_text_level", typed(r.textLevel()));
        ArrayNode fails = o.putArray("failed_windows");
        r.failedWindows().forEach(fails::add);
        ObjectNode t = F.objectNode();
        t.put("wall_seconds", round(r.wallNanos() / 1e9));
        t.put("documents_per_second", round(r.documents() / (r.wallNanos() / 1e9)));
        o.set("timings", t);
        return o;
    }

    static ObjectNode metrics(TypedScores entities, TypedScores strict, TypedScores boundaries, TypedScores text) {
        ObjectNode m = F.objectNode();
        m.set("entities_strict", typed(entities));
        m.set("relations_strict", typed(strict));
        m.set("relations_boundaries", typed(boundaries));
        m.set("relations_text", typed(text));
        return m;
    }

    static ObjectNode typed(TypedScores s) {
        ObjectNode o = F.objectNode();
        o.set("micro", prf(s.micro()));
        o.put("macro_f1", round(s.macroF1()));
        o.put("macro_f1_gold_types", round(s.macroF1Over(s.goldTypes())));
        o.set("per_type", perType(s));
        return o;
    }

    static ObjectNode perType(TypedScores s) {
        ObjectNode o = F.objectNode();
        s.perType().forEach((k, v) -> o.set(k, prf(v)));
        return o;
    }

    static ObjectNode prf(Prf p) {
        ObjectNode o = F.objectNode();
        o.put("precision", round(p.precision()));
        o.put("recall", round(p.recall()));
        o.put("f1", round(p.f1()));
        o.put("correct", p.correct());
        o.put("predicted", p.predicted());
        o.put("gold", p.gold());
        return o;
    }

    static ObjectNode thresholds(double e, double a, double r) {
        ObjectNode o = F.objectNode();
        o.put("entity", round(e));
        o.put("adjacency", round(a));
        o.put("relation", round(r));
        return o;
    }

    static ObjectNode labels(List<String> entity, List<String> relation) {
        ObjectNode o = F.objectNode();
        o.set("entity", F.arrayNode().addAll(entity.stream().map(F::textNode).toList()));
        o.set("relation", F.arrayNode().addAll(relation.stream().map(F::textNode).toList()));
        return o;
    }

    static ObjectNode timings(long wallNanos, long modelNanos, int texts) {
        ObjectNode o = F.objectNode();
        o.put("wall_seconds", round(wallNanos / 1e9));
        o.put("model_seconds", round(modelNanos / 1e9));
        o.put("texts_per_second", round(wallNanos == 0 ? 0 : texts / (wallNanos / 1e9)));
        return o;
    }

    static double round(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
    }
}
