package dev.relex.eval.run;

import dev.relex.GivenEntity;
import dev.relex.RelationScores;
import dev.relex.RelexModel;
import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.eval.metrics.ClassificationMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Relation classification with given head and tail ({@link RelexModel#scoreRelations}): every (head, tail) pair
 * of an example that carries at least one gold relation is one instance (pairs without a gold relation are not
 * scored), with the example's gold entities as given entities and their types in the prompt.
 * <ul>
 *   <li>{@link Protocol#SINGLE_LABEL} (FewRel zero-shot): the prediction is the arg-max over the relation labels
 *       (first label on ties); scored by {@link ClassificationMetrics#singleLabel} over those labels. Each
 *       pair needs exactly one gold label among them.</li>
 *   <li>{@link Protocol#MULTI_LABEL} (CrossRE): predicted labels are those with probability above the
 *       threshold; scored by {@link ClassificationMetrics#multiLabel} over the labels present in gold.</li>
 * </ul>
 * An example whose scoring fails (e.g. an argument beyond the words the model reads) is reported and its
 * instances are scored as predicting nothing.
 */
public final class ClassificationRun {
    public enum Protocol { SINGLE_LABEL, MULTI_LABEL }

    public record Result(Protocol protocol, double threshold, int texts, int instances, List<String> promptLabels,
                         ClassificationMetrics.Result scores, List<EvaluationResult.Failure> failures, long wallNanos,
                         long modelNanos) {}

    private final Protocol protocol;
    private final List<String> labels;
    private final double threshold;
    private final int threads;

    /**
     * @param labels    relation labels in the prompt (FewRel: the m unseen relations); null = every gold label, sorted
     * @param threshold multi-label threshold (ignored for single-label)
     */
    public ClassificationRun(Protocol protocol, List<String> labels, double threshold, int threads) {
        this.protocol = protocol;
        this.labels = labels == null ? null : List.copyOf(labels);
        this.threshold = threshold;
        this.threads = threads;
    }

    private record Pair(int head, int tail) {}

    public Result run(RelexModel model, List<Example> examples, ProgressListener progress) {
        long start = System.nanoTime();
        List<String> relLabels = labels;
        if (relLabels == null) {
            TreeSet<String> all = new TreeSet<>();
            for (Example e : examples) for (RelationMention r : e.relations()) all.add(r.label());
            relLabels = List.copyOf(all);
        }
        List<String> prompt = relLabels;
        List<List<ClassificationMetrics.Instance>> perExample = new ArrayList<>();
        String[] errors = new String[examples.size()];
        List<Map<Pair, Set<String>>> golds = new ArrayList<>();
        for (int x = 0; x < examples.size(); x++) {
            Map<Pair, Set<String>> g = new LinkedHashMap<>();
            for (RelationMention r : examples.get(x).relations()) {
                g.computeIfAbsent(new Pair(r.head(), r.tail()), k -> new LinkedHashSet<>()).add(r.label());
            }
            golds.add(g);
            perExample.add(null);
        }
        AtomicLong modelNanos = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        Runnable[] tasks = new Runnable[examples.size()];
        for (int x = 0; x < examples.size(); x++) {
            int idx = x;
            tasks[x] = () -> {
                Example e = examples.get(idx);
                Map<Pair, Set<String>> gold = golds.get(idx);
                List<ClassificationMetrics.Instance> inst = new ArrayList<>();
                try {
                    if (protocol == Protocol.SINGLE_LABEL) {
                        for (Map.Entry<Pair, Set<String>> p : gold.entrySet()) {
                            if (p.getValue().size() != 1 || !prompt.contains(p.getValue().iterator().next())) {
                                throw new IllegalArgumentException("pair (" + p.getKey().head() + ", " + p.getKey().tail()
                                        + ") has gold labels " + p.getValue() + "; single-label scoring needs exactly one of " + prompt);
                            }
                        }
                    }
                    if (!gold.isEmpty()) {
                        GoldView v = new GoldView(e);
                        if (v.problem != null) throw new IllegalArgumentException(v.problem);
                        List<GivenEntity> given = new ArrayList<>();
                        for (EntityMention m : e.entities()) {
                            SpanOffsets o = v.offsets(m.start(), m.end());
                            given.add(new GivenEntity(o.start(), o.end(), m.label()));
                        }
                        List<int[]> pairs = new ArrayList<>();
                        for (Pair p : gold.keySet()) pairs.add(new int[] {p.head(), p.tail()});
                        long t0 = System.nanoTime();
                        RelationScores s = model.scoreRelations(v.text, given, null, prompt, pairs, true);
                        modelNanos.addAndGet(System.nanoTime() - t0);
                        int k = 0;
                        for (Set<String> g : gold.values()) {
                            float[] p = s.pairs().get(k++).probabilities();
                            Set<String> predicted = new LinkedHashSet<>();
                            if (protocol == Protocol.SINGLE_LABEL) {
                                int best = 0;
                                for (int r = 1; r < p.length; r++) if (p[r] > p[best]) best = r;
                                predicted.add(s.relationLabels().get(best));
                            } else {
                                for (int r = 0; r < p.length; r++) if (p[r] > threshold) predicted.add(s.relationLabels().get(r));
                            }
                            inst.add(new ClassificationMetrics.Instance(g, predicted));
                        }
                    }
                } catch (IllegalArgumentException ex) {
                    errors[idx] = ex.getMessage();
                    inst.clear();
                    for (Set<String> g : gold.values()) inst.add(new ClassificationMetrics.Instance(g, Set.of()));
                }
                perExample.set(idx, inst);
                progress.progress(done.incrementAndGet(), examples.size());
            };
        }
        Evaluator.runAll(tasks, threads);
        List<ClassificationMetrics.Instance> all = new ArrayList<>();
        List<EvaluationResult.Failure> failures = new ArrayList<>();
        for (int x = 0; x < examples.size(); x++) {
            all.addAll(perExample.get(x));
            if (errors[x] != null) failures.add(new EvaluationResult.Failure(examples.get(x).id(), errors[x]));
        }
        ClassificationMetrics.Result scores;
        if (protocol == Protocol.SINGLE_LABEL) {
            // failed examples' pairs may have labels outside the prompt: keep only scorable instances
            List<ClassificationMetrics.Instance> ok = all.stream().filter(i -> i.gold().size() == 1 && prompt.containsAll(i.gold())).toList();
            scores = ClassificationMetrics.singleLabel(prompt, ok);
        } else {
            TreeSet<String> present = new TreeSet<>();
            for (ClassificationMetrics.Instance i : all) present.addAll(i.gold());
            scores = ClassificationMetrics.multiLabel(List.copyOf(present), all);
        }
        return new Result(protocol, threshold, examples.size(), all.size(), prompt, scores, failures, System.nanoTime() - start,
                modelNanos.get());
    }

    record SpanOffsets(int start, int end) {}
}
