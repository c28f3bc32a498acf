package dev.relex.eval.run;

import dev.relex.ExtractionOptions;
import dev.relex.ExtractionResult;
import dev.relex.RelexModel;
import dev.relex.data.Example;
import dev.relex.eval.metrics.SpanMetrics;
import dev.relex.eval.metrics.TextTripleMetrics;
import dev.relex.eval.metrics.TypedScores;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Threshold sweep on a dev split: one model pass per text ({@link RelexModel#extractAtThresholds} with every
 * entity and adjacency threshold of the grid and the lowest relation threshold), then every threshold triple is
 * scored from the stored predictions. A relation is emitted iff its probability is above the relation threshold
 * and its score is that probability, so the relations at a higher relation threshold are exactly those of the
 * lowest with score above it. Coarse grid first, then the relation threshold refined around each metric's best
 * triple. Ties keep the first triple in (entity, adjacency, relation) ascending order (so the entity metric, which
 * depends on the entity threshold only, reports the lowest adjacency and relation thresholds tried).
 */
public final class ThresholdSweep {
    /** The metrics a best triple is chosen for, by name. */
    public static final Map<String, ToDoubleFunction<Scores>> METRICS = metrics();

    private static Map<String, ToDoubleFunction<Scores>> metrics() {
        Map<String, ToDoubleFunction<Scores>> m = new LinkedHashMap<>();
        m.put("entities_strict_micro_f1", s -> s.span().entitiesStrict().micro().f1());
        m.put("relations_strict_micro_f1", s -> s.span().relationsStrict().micro().f1());
        m.put("relations_boundaries_micro_f1", s -> s.span().relationsBoundaries().micro().f1());
        m.put("relations_text_micro_f1", s -> s.textLevel().micro().f1());
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Scores at one threshold triple. */
    public record Scores(double entityThreshold, double adjacencyThreshold, double relationThreshold,
                         SpanMetrics.Result span, TypedScores textLevel) {}

    /**
     * @param coarse      every coarse-grid triple, in (entity, adjacency, relation) order
     * @param best        per metric name, the best triple after refinement
     * @param triplesScored coarse plus refinement triples scored
     * @param failures      examples the model rejected (scored as empty predictions at every triple)
     */
    public record Result(List<Scores> coarse, Map<String, Scores> best, int triplesScored, int texts,
                         List<String> entityLabels, List<String> relationLabels, List<EvaluationResult.Failure> failures,
                         long wallNanos, long modelNanos) {}

    private final EvaluationConfig base;
    private final SweepConfig grid;

    /** {@code base} supplies labels, flat/nested, multi-label and threads; its thresholds are ignored. */
    public ThresholdSweep(EvaluationConfig base, SweepConfig grid) {
        this.base = base;
        this.grid = grid;
    }

    public Result run(RelexModel model, List<Example> examples, ProgressListener progress) {
        long start = System.nanoTime();
        List<GoldView> views = new ArrayList<>(examples.size());
        for (Example e : examples) views.add(new GoldView(e));
        LabelSets labels = LabelSets.resolve(base, examples);
        boolean explicit = base.entityLabels() != null, explicitRel = base.relationLabels() != null;
        double lowestRel = grid.lowestRelationThreshold();
        ExtractionOptions options = base.toBuilder().threshold(grid.entityThresholds()[0])
                .adjacencyThreshold(grid.adjacencyThresholds()[0]).relationThreshold(lowestRel).build().options();
        int ne = grid.entityThresholds().length, na = grid.adjacencyThresholds().length;
        CompiledPrediction[][][] scored = new CompiledPrediction[views.size()][][];
        String[] errors = new String[views.size()];
        CompiledPrediction.TypeIds entityTypes = new CompiledPrediction.TypeIds();
        CompiledPrediction.TypeIds relationTypes = new CompiledPrediction.TypeIds();
        TextTripleMetrics textMetrics = new TextTripleMetrics(base.textMaxLabelsPerPair());
        AtomicLong modelNanos = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        int chunk = Math.max(1, base.batchSize());
        List<Runnable> tasks = new ArrayList<>();
        for (int from = 0; from < views.size(); from += chunk) {
            int f = from, to = Math.min(views.size(), from + chunk);
            tasks.add(() -> {
                for (int t = f; t < to; t++) {
                    GoldView v = views.get(t);
                    ExtractionResult[][][] r = null;
                    String error = v.problem;
                    if (error == null) {
                        long t0 = System.nanoTime();
                        try {
                            r = model.extractAtThresholds(v.text, labels.entitiesFor(v.example, explicit),
                                    labels.relationsFor(v.example, explicitRel), options, grid.entityThresholds(),
                                    grid.adjacencyThresholds(), new double[] {lowestRel});
                        } catch (IllegalArgumentException e) {
                            error = e.getMessage();
                        }
                        modelNanos.addAndGet(System.nanoTime() - t0);
                    }
                    errors[t] = error;
                    CompiledPrediction[][] s = new CompiledPrediction[ne][na];
                    for (int i = 0; i < ne; i++) {
                        for (int j = 0; j < na; j++) {
                            GoldView.Scored pred = r == null ? GoldView.Scored.EMPTY : v.toScored(r[i][j][0]);
                            s[i][j] = new CompiledPrediction(v, pred, textMetrics, entityTypes, relationTypes);
                        }
                    }
                    scored[t] = s;
                }
                progress.progress(done.addAndGet(to - f), views.size());
            });
        }
        Evaluator.runAll(tasks.toArray(Runnable[]::new), base.threads());

        // gold counts per type, once: the metrics themselves on empty predictions
        SpanMetrics goldSpan = new SpanMetrics();
        TextTripleMetrics goldText = new TextTripleMetrics(base.textMaxLabelsPerPair());
        for (GoldView v : views) {
            goldSpan.add(v.gold, dev.relex.eval.metrics.SpanAnnotation.EMPTY);
            goldText.add(v.goldTriples, List.of());
        }
        Gold gold = new Gold(goldSpan.result(), goldText.result(), entityTypes, relationTypes);
        List<Scores> coarse = new ArrayList<>();
        for (int i = 0; i < ne; i++) {
            for (int j = 0; j < na; j++) {
                for (double r : grid.relationThresholds()) coarse.add(score(gold, scored, i, j, r));
            }
        }
        int count = coarse.size();
        Map<String, Scores> best = new LinkedHashMap<>();
        double radius = grid.refineRadius();
        for (Map.Entry<String, ToDoubleFunction<Scores>> m : METRICS.entrySet()) {
            Scores b = argmax(coarse, m.getValue());
            int i = indexOf(grid.entityThresholds(), b.entityThreshold()), j = indexOf(grid.adjacencyThresholds(), b.adjacencyThreshold());
            List<Scores> fine = new ArrayList<>();
            long steps = Math.round(radius / grid.refineStep());
            for (long k = -steps; k <= steps; k++) {
                double r = round(b.relationThreshold() + k * grid.refineStep());
                if (r < lowestRel || r > 1) continue;
                if (r == b.relationThreshold()) {
                    fine.add(b);
                } else {
                    fine.add(score(gold, scored, i, j, r));
                    count++;
                }
            }
            best.put(m.getKey(), argmax(fine, m.getValue()));
        }
        List<EvaluationResult.Failure> failures = new ArrayList<>();
        for (int t = 0; t < views.size(); t++) {
            if (errors[t] != null) failures.add(new EvaluationResult.Failure(views.get(t).example.id(), errors[t]));
        }
        return new Result(coarse, best, count, views.size(), labels.entityLabels(), labels.relationLabels(), failures,
                System.nanoTime() - start, modelNanos.get());
    }

    /** Gold counts per type and the type interning shared by all compiled predictions. */
    private record Gold(SpanMetrics.Result span, TypedScores text, CompiledPrediction.TypeIds entityTypes,
                        CompiledPrediction.TypeIds relationTypes) {}

    private Scores score(Gold gold, CompiledPrediction[][][] scored, int i, int j, double r) {
        int ne = gold.entityTypes().size(), nr = gold.relationTypes().size();
        long[][] ents = new long[ne][2], strict = new long[nr][2], bound = new long[nr][2], text = new long[nr][2];
        for (CompiledPrediction[][] perText : scored) {
            CompiledPrediction c = perText[i][j];
            c.entities.count(Double.NEGATIVE_INFINITY, ents);
            c.strict.count(r, strict);
            c.boundaries.count(r, bound);
            c.text.count(r, text);
        }
        SpanMetrics.Result span = new SpanMetrics.Result(scored.length,
                typed(gold.span().entitiesStrict(), ents, gold.entityTypes()),
                typed(gold.span().relationsStrict(), strict, gold.relationTypes()),
                typed(gold.span().relationsBoundaries(), bound, gold.relationTypes()));
        return new Scores(grid.entityThresholds()[i], grid.adjacencyThresholds()[j], r, span,
                typed(gold.text(), text, gold.relationTypes()));
    }

    /** Gold counts plus predicted counts; a type appears iff it has gold or predicted items (as in the metrics). */
    private static TypedScores typed(TypedScores gold, long[][] predicted, CompiledPrediction.TypeIds types) {
        TypedScores.Builder b = new TypedScores.Builder().addAll(gold);
        for (int t = 0; t < predicted.length; t++) {
            if (predicted[t][1] > 0) b.add(types.name(t), predicted[t][0], predicted[t][1], 0);
        }
        return b.build();
    }

    private static Scores argmax(List<Scores> list, ToDoubleFunction<Scores> metric) {
        Scores best = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (Scores s : list) {
            double v = metric.applyAsDouble(s);
            if (v > bestValue) {
                best = s;
                bestValue = v;
            }
        }
        return best;
    }

    private static int indexOf(double[] a, double v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        throw new IllegalStateException("threshold " + v + " not in grid");
    }

    /** Grid arithmetic on decimal steps: 0.3 + 0.01 should print and compare as 0.31. */
    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
