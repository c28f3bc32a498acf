package dev.relex.eval.run;

import dev.relex.ExtractionOptions;
import dev.relex.ExtractionRequest;
import dev.relex.ExtractionResult;
import dev.relex.RelexModel;
import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.eval.metrics.SpanMetrics;
import dev.relex.eval.metrics.TextTripleMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evaluates a model on examples: texts are the examples' words joined by spaces and read pre-tokenized (as
 * the reference reads {@code tokenized_text}), extracted in batches of {@link EvaluationConfig#batchSize()}
 * with {@link EvaluationConfig#threads()} batches in flight, converted back to word spans and scored by
 * {@link SpanMetrics} and {@link TextTripleMetrics}. Scores are accumulated in example order after all batches
 * are done, and every model result is independent of batching and threads, so scores are identical for any
 * batch size and thread count. Usable by the trainer for dev evaluation (the model is only read).
 */
public final class Evaluator {
    private final EvaluationConfig config;

    public Evaluator(EvaluationConfig config) {
        this.config = config;
    }

    public EvaluationResult evaluate(RelexModel model, List<Example> examples) {
        return evaluate(model, examples, ProgressListener.NONE);
    }

    public EvaluationResult evaluate(RelexModel model, List<Example> examples, ProgressListener progress) {
        long start = System.nanoTime();
        List<GoldView> views = new ArrayList<>(examples.size());
        for (Example e : examples) views.add(new GoldView(e));
        LabelSets labels = LabelSets.resolve(config, examples);
        boolean explicit = config.entityLabels() != null;
        boolean explicitRel = config.relationLabels() != null;
        ExtractionOptions options = config.options();
        ExtractionResult[] results = new ExtractionResult[views.size()];
        String[] errors = new String[views.size()];
        AtomicLong modelNanos = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < views.size(); from += config.batchSize()) {
            batches.add(new int[] {from, Math.min(views.size(), from + config.batchSize())});
        }
        Runnable[] tasks = new Runnable[batches.size()];
        for (int b = 0; b < batches.size(); b++) {
            int from = batches.get(b)[0], to = batches.get(b)[1];
            tasks[b] = () -> {
                List<ExtractionRequest> requests = new ArrayList<>(to - from);
                List<Integer> index = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    GoldView v = views.get(i);
                    if (v.problem != null) {
                        errors[i] = v.problem;
                        continue;
                    }
                    requests.add(new ExtractionRequest(v.text, labels.entitiesFor(v.example, explicit),
                            labels.relationsFor(v.example, explicitRel), options));
                    index.add(i);
                }
                long t0 = System.nanoTime();
                runBatch(model, requests, index, results, errors);
                modelNanos.addAndGet(System.nanoTime() - t0);
                progress.progress(done.addAndGet(to - from), views.size());
            };
        }
        runAll(tasks, config.threads());

        SpanMetrics span = new SpanMetrics();
        TextTripleMetrics text = new TextTripleMetrics(config.textMaxLabelsPerPair());
        int truncated = 0, entsUnread = 0, relsUnread = 0;
        List<EvaluationResult.Failure> failures = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            GoldView v = views.get(i);
            if (errors[i] != null) {
                failures.add(new EvaluationResult.Failure(v.example.id(), errors[i]));
                span.add(v.gold, GoldView.Scored.EMPTY.annotation(0));
                text.add(v.goldTriples, List.of());
                continue;
            }
            ExtractionResult r = results[i];
            if (r.truncated()) {
                truncated++;
                int read = r.truncation().processedWords();
                for (EntityMention m : v.example.entities()) if (m.end() >= read) entsUnread++;
                for (RelationMention m : v.example.relations()) {
                    if (v.example.entities().get(m.head()).end() >= read || v.example.entities().get(m.tail()).end() >= read) relsUnread++;
                }
            }
            GoldView.Scored s = v.toScored(r);
            span.add(v.gold, s.annotation(-1));
            text.add(v.goldTriples, s.triples(-1));
        }
        long wall = System.nanoTime() - start;
        return new EvaluationResult(views.size(), span.result(), text.result(), config, labels.entityLabels(),
                labels.relationLabels(), truncated, entsUnread, relsUnread, failures,
                new EvaluationResult.Timings(wall, modelNanos.get()));
    }

    /** One batch; if the model rejects it, text by text so only the bad example fails. */
    private static void runBatch(RelexModel model, List<ExtractionRequest> requests, List<Integer> index,
                                 ExtractionResult[] results, String[] errors) {
        if (requests.isEmpty()) return;
        try {
            List<ExtractionResult> out = model.extractBatch(requests);
            for (int k = 0; k < out.size(); k++) results[index.get(k)] = out.get(k);
        } catch (IllegalArgumentException e) {
            for (int k = 0; k < requests.size(); k++) {
                try {
                    results[index.get(k)] = model.extractBatch(List.of(requests.get(k))).get(0);
                } catch (IllegalArgumentException single) {
                    errors[index.get(k)] = single.getMessage();
                }
            }
        }
    }

    /** Runs the tasks on {@code threads} threads (inline for 1), rethrowing the first failure. */
    static void runAll(Runnable[] tasks, int threads) {
        if (threads == 1 || tasks.length <= 1) {
            for (Runnable t : tasks) t.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.length), r -> {
            Thread t = new Thread(r, "relex-eval");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(tasks.length);
            for (Runnable t : tasks) futures.add(pool.submit(t));
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) throw re;
                    if (c instanceof Error err) throw err;
                    throw new IllegalStateException(c);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during evaluation", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
