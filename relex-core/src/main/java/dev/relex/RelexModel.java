package dev.relex;

import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.decode.ResultDecoder;
import dev.relex.encoder.Encoder;
import dev.relex.engine.Workspace;
import dev.relex.heads.HeadOutput;
import dev.relex.heads.RelexHeads;
import dev.relex.text.EncodedInput;
import dev.relex.text.InputBuilder;
import dev.relex.text.RelexTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded GLiNER-Relex checkpoint: extracts entities and relations for labels named at call time.
 *
 * <p>Pipeline per text (spec §2–4): word splitting and prompt construction ({@link InputBuilder}), the
 * encoder, the relation heads, then decoding ({@link ResultDecoder}). Behaviour at the edges:
 * <ul>
 *   <li>An empty or whitespace-only text (no words) gives an empty result without running the model,
 *       as in the reference; labels are still validated.</li>
 *   <li>No relation labels: entities only (the prompt still has both {@code <<SEP>>}, as in the reference,
 *       so entity scores equal those of the reference for the same call).</li>
 *   <li>Labels: {@code null} lists, {@code null} or blank labels and labels containing a prompt marker are
 *       rejected with {@link IllegalArgumentException}; duplicates are removed keeping the first occurrence
 *       (the reference's {@code dict.fromkeys}). At least one entity label is required. Any number of labels
 *       is accepted as long as the prompt fits the encoder's token limit (BERT: 512 tokens); otherwise an
 *       {@link IllegalArgumentException} says how many tokens the prompt needs.</li>
 *   <li>Long texts are never cut silently: words beyond {@code max_len} (or beyond the encoder's token limit
 *       after the prompt) are not processed and {@link ExtractionResult#truncation()} reports it, or
 *       {@link TextTooLongException} is thrown with {@link ExtractionOptions#failOnTruncation()}.</li>
 * </ul>
 *
 * <p>Thread-safe and immutable: one instance may serve many threads at once. Results do not depend on
 * concurrency or batching: {@link #extractBatch} gives exactly the results of single {@link #extract}
 * calls. A batch is encoded in right-padded encoder calls of up to 8 texts, whatever their labels (each
 * text carries its own prompt); the encoder computes every sequence only up to its own length with
 * row-independent, deterministic kernels, so each text's states are bit-identical to a single call. Such
 * calls run in parallel on the model's worker threads; heads and decoding run per text. Close the model to release the memory-mapped weights and the worker
 * threads; it must not be used (or closed) while calls are in flight.
 */
public final class RelexModel implements AutoCloseable {

    /** The heads' contract ({@code dev.relex.heads.RelexHeads#forward}); a seam for tests. */
    @FunctionalInterface
    interface Heads {
        HeadOutput forward(float[] encoderStates, int offset, EncodedInput input, double entityThreshold,
                           double adjacencyThreshold);

        /** {@code dev.relex.heads.RelexHeads#scoreGivenPairs}; test doubles need not support it. */
        default HeadOutput scoreGivenPairs(float[] encoderStates, int offset, EncodedInput input, int[] spans, int[] pairs) {
            throw new UnsupportedOperationException("these heads do not score given pairs");
        }
    }

    /** {@link Workspace} slots of this class. */
    private static final int SLOT_STATES = 30, SLOT_MASK = 30, SLOT_IDS = 31;
    /** A batch is encoded in calls of at most this many texts ... */
    private static final int MAX_TEXTS_PER_CALL = 8;
    /** ... and at most this many padded token positions (bounds the states buffer). */
    private static final int MAX_TOKEN_SLOTS_PER_CALL = 8192;

    private final GlinerConfig config;
    private final InputBuilder inputs;
    private final Encoder encoder;
    private final Heads heads;
    private final int parallelism;
    private final List<AutoCloseable> resources;
    private final Object poolLock = new Object();
    private ExecutorService pool; // created on the first parallel batch, guarded by poolLock
    private volatile boolean closed;

    /**
     * @param parallelism worker threads for batches; 0 = number of available processors
     * @param resources   closed (in order) by {@link #close()}
     */
    RelexModel(GlinerConfig config, InputBuilder inputs, Encoder encoder, Heads heads, int parallelism,
               AutoCloseable... resources) {
        if (parallelism < 0) throw new IllegalArgumentException("parallelism must be >= 0, got " + parallelism);
        this.config = config;
        this.inputs = inputs;
        this.encoder = encoder;
        this.heads = heads;
        this.parallelism = parallelism == 0 ? Runtime.getRuntime().availableProcessors() : parallelism;
        this.resources = List.of(resources);
    }

    /**
     * Loads a checkpoint directory ({@code gliner_config.json}, {@code model.safetensors} or shards,
     * {@code tokenizer.json}).
     *
     * @throws dev.relex.checkpoint.CheckpointException if files are missing or invalid (naming them)
     */
    public static RelexModel load(Path dir) {
        return load(dir, null);
    }

    /**
     * Loads a checkpoint directory with an explicitly chosen {@code tokenizer.json} ({@code null}: the one
     * in the directory), for checkpoints saved without their tokenizer files.
     */
    public static RelexModel load(Path dir, Path tokenizerJson) {
        Checkpoint checkpoint = Checkpoint.open(dir, tokenizerJson);
        RelexTokenizer tokenizer = null;
        try {
            tokenizer = RelexTokenizer.load(checkpoint.requireTokenizerFile());
            GlinerConfig config = checkpoint.config();
            InputBuilder inputs = new InputBuilder(tokenizer, config);
            Encoder encoder = ModelParts.encoder(config, checkpoint.weights());
            Heads heads = ModelParts.heads(config, checkpoint.weights());
            return new RelexModel(config, inputs, encoder, heads, 0, tokenizer, checkpoint);
        } catch (RuntimeException | Error e) {
            if (tokenizer != null) tokenizer.close();
            checkpoint.close();
            throw e;
        }
    }

    /**
     * A model over parts that already exist, e.g. the encoder and heads a trainer is updating (evaluation
     * during training sees the current parameters once the trainer has refreshed their derived forms).
     * Closing the returned model closes nothing of the parts; the caller owns them and must not change
     * parameters while the model is in use.
     *
     * @param parallelism worker threads for batches; 0 = number of available processors
     */
    public static RelexModel fromParts(GlinerConfig config, RelexTokenizer tokenizer, Encoder encoder, RelexHeads heads,
                                       int parallelism) {
        if (config == null || tokenizer == null || encoder == null || heads == null) {
            throw new IllegalArgumentException("config, tokenizer, encoder and heads are required");
        }
        return new RelexModel(config, new InputBuilder(tokenizer, config), encoder, ModelParts.wrap(heads), parallelism);
    }

    /** Extracts with default options (all thresholds 0.5, flat, single label, UTF-16 offsets). */
    public ExtractionResult extract(String text, List<String> entityLabels, List<String> relationLabels) {
        return extract(text, entityLabels, relationLabels, ExtractionOptions.defaults());
    }

    /**
     * Extracts entities of the given types and relations of the given types from one text.
     *
     * @param relationLabels may be empty (entities only)
     * @throws IllegalArgumentException for a null text or options, invalid labels, or a prompt that does not
     *                                  fit the encoder
     * @throws TextTooLongException     if the text is cut and {@link ExtractionOptions#failOnTruncation()}
     */
    public ExtractionResult extract(String text, List<String> entityLabels, List<String> relationLabels,
                                    ExtractionOptions options) {
        ensureOpen();
        Prepared p = prepare(text, entityLabels, relationLabels, options);
        return run(p);
    }

    /**
     * Batch extraction; each request carries its own labels and options. Results are in request order and
     * equal those of single {@link #extract} calls. All requests are validated before any model work starts:
     * an invalid one fails the whole batch with a message naming its index.
     */
    public List<ExtractionResult> extractBatch(List<ExtractionRequest> requests) {
        ensureOpen();
        if (requests == null) throw new IllegalArgumentException("requests must not be null");
        List<Prepared> prepared = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            ExtractionRequest r = requests.get(i);
            if (r == null) throw new IllegalArgumentException("request " + i + " is null");
            try {
                prepared.add(prepare(r.text(), r.entityLabels(), r.relationLabels(), r.options()));
            } catch (TextTooLongException e) {
                throw new TextTooLongException("request " + i + ": " + e.getMessage(), e.truncation());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("request " + i + ": " + e.getMessage(), e);
            }
        }
        ExtractionResult[] out = new ExtractionResult[prepared.size()];
        List<List<Integer>> chunks = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int longest = 0;
        for (int i = 0; i < prepared.size(); i++) {
            EncodedInput input = prepared.get(i).input();
            if (input.isEmpty()) {
                out[i] = emptyResult(prepared.get(i));
                continue;
            }
            int len = Math.max(longest, input.tokenCount());
            if (!current.isEmpty() && (current.size() == MAX_TEXTS_PER_CALL
                    || (long) len * (current.size() + 1) > MAX_TOKEN_SLOTS_PER_CALL)) {
                chunks.add(current);
                current = new ArrayList<>();
                len = input.tokenCount();
            }
            current.add(i);
            longest = len;
        }
        if (!current.isEmpty()) chunks.add(current);
        if (chunks.size() <= 1 || parallelism == 1) {
            for (List<Integer> chunk : chunks) runChunk(prepared, chunk, out);
            return List.of(out);
        }
        ExecutorService executor = pool();
        List<Future<?>> futures = new ArrayList<>(chunks.size());
        for (List<Integer> chunk : chunks) futures.add(executor.submit(() -> runChunk(prepared, chunk, out)));
        try {
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the batch", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
        return List.of(out);
    }

    /**
     * One encoder call for the texts {@code chunk} (right-padded to the longest), then heads and decoding
     * per text. The encoder runs each sequence only up to its own length with row-independent dense
     * products, so every text's states are bit-identical to a single-text call (PackedEncodingTest checks
     * the encoder, the batch tests the whole pipeline).
     */
    private void runChunk(List<Prepared> prepared, List<Integer> chunk, ExtractionResult[] out) {
        if (chunk.size() == 1) {
            out[chunk.get(0)] = run(prepared.get(chunk.get(0)));
            return;
        }
        int seqLen = 0;
        for (int i : chunk) seqLen = Math.max(seqLen, prepared.get(i).input().tokenCount());
        int batch = chunk.size();
        int hidden = encoder.hiddenSize();
        Workspace ws = Workspace.get();
        int[] ids = ws.ints(SLOT_IDS, batch * seqLen);
        int[] mask = ws.ints(SLOT_MASK, batch * seqLen);
        Arrays.fill(ids, 0, batch * seqLen, 0);
        Arrays.fill(mask, 0, batch * seqLen, 0);
        for (int b = 0; b < batch; b++) {
            int[] tokenIds = prepared.get(chunk.get(b)).input().inputIds();
            System.arraycopy(tokenIds, 0, ids, b * seqLen, tokenIds.length);
            Arrays.fill(mask, b * seqLen, b * seqLen + tokenIds.length, 1);
        }
        float[] states = ws.floats(SLOT_STATES, batch * seqLen * hidden);
        encoder.forward(ids, mask, batch, seqLen, states);
        for (int b = 0; b < batch; b++) {
            out[chunk.get(b)] = finish(prepared.get(chunk.get(b)), states, b * seqLen * hidden);
        }
    }

    /**
     * Extraction at every combination of the given thresholds from one encoder pass: the heads run once
     * per entity threshold (it selects the relation candidates inside the model) with the lowest adjacency
     * threshold, and the other adjacency and relation thresholds are applied to that output afterwards.
     * {@code result[i][j][k]} equals {@code extract(text, …, base with entityThresholds[i],
     * adjacencyThresholds[j], relationThresholds[k])} exactly (ThresholdGridTest checks it). This is the
     * cheap path for threshold sweeps.
     */
    public ExtractionResult[][][] extractAtThresholds(String text, List<String> entityLabels, List<String> relationLabels,
                                                      ExtractionOptions base, double[] entityThresholds,
                                                      double[] adjacencyThresholds, double[] relationThresholds) {
        ensureOpen();
        if (entityThresholds == null || adjacencyThresholds == null || relationThresholds == null
                || entityThresholds.length == 0 || adjacencyThresholds.length == 0 || relationThresholds.length == 0) {
            throw new IllegalArgumentException("each threshold list needs at least one value");
        }
        Prepared p = prepare(text, entityLabels, relationLabels, base);
        ExtractionOptions[][][] grid = new ExtractionOptions[entityThresholds.length][adjacencyThresholds.length][relationThresholds.length];
        double lowestAdjacency = Double.POSITIVE_INFINITY;
        for (int i = 0; i < entityThresholds.length; i++) {
            for (int j = 0; j < adjacencyThresholds.length; j++) {
                lowestAdjacency = Math.min(lowestAdjacency, adjacencyThresholds[j]);
                for (int k = 0; k < relationThresholds.length; k++) {
                    grid[i][j][k] = base.toBuilder().threshold(entityThresholds[i]).adjacencyThreshold(adjacencyThresholds[j])
                            .relationThreshold(relationThresholds[k]).build();
                }
            }
        }
        ExtractionResult[][][] out = new ExtractionResult[entityThresholds.length][adjacencyThresholds.length][relationThresholds.length];
        EncodedInput input = p.input();
        if (input.isEmpty()) {
            for (ExtractionResult[][] a : out) for (ExtractionResult[] b : a) Arrays.fill(b, emptyResult(p));
            return out;
        }
        int tokens = input.tokenCount();
        Workspace ws = Workspace.get();
        int[] mask = ws.ints(SLOT_MASK, tokens);
        Arrays.fill(mask, 0, tokens, 1);
        float[] states = ws.floats(SLOT_STATES, tokens * encoder.hiddenSize());
        encoder.forward(input.inputIds(), mask, 1, tokens, states);
        for (int i = 0; i < entityThresholds.length; i++) {
            HeadOutput all = heads.forward(states, 0, input, entityThresholds[i], lowestAdjacency);
            for (int j = 0; j < adjacencyThresholds.length; j++) {
                HeadOutput selected = all.withAdjacencyAbove((float) adjacencyThresholds[j]);
                for (int k = 0; k < relationThresholds.length; k++) {
                    out[i][j][k] = ResultDecoder.decode(p.text(), input, selected, grid[i][j][k]);
                }
            }
        }
        return out;
    }

    /**
     * Relation classification with given arguments: scores every relation label for the given pairs of
     * the given entities, without entity detection or adjacency selection (FewRel/CrossRE-style
     * evaluation, or a caller's own NER). The prompt holds {@code entityLabels} (null: the distinct labels
     * of {@code entities}, in first-occurrence order) and {@code relationLabels}.
     *
     * @param entities offsets in UTF-16 units of {@code text}; each must start at the start of a word and
     *                 end at the end of a word (as {@link dev.relex.text.WordSplitter} splits the text)
     * @param pairs    (head, tail) indices into {@code entities}; null = every ordered pair i ≠ j
     * @throws IllegalArgumentException if an entity does not align with word boundaries, lies in the part
     *                                  of the text the model does not read, or a pair index is out of range
     */
    public RelationScores scoreRelations(String text, List<GivenEntity> entities, List<String> entityLabels,
                                         List<String> relationLabels, List<int[]> pairs) {
        return scoreRelations(text, entities, entityLabels, relationLabels, pairs, false);
    }

    /**
     * As {@link #scoreRelations(String, List, List, List, List)}; with {@code preTokenized} the text's words
     * are its whitespace-separated tokens (see {@link ExtractionOptions#preTokenized()}).
     */
    public RelationScores scoreRelations(String text, List<GivenEntity> entities, List<String> entityLabels,
                                         List<String> relationLabels, List<int[]> pairs, boolean preTokenized) {
        ensureOpen();
        if (entities == null) throw new IllegalArgumentException("entities must not be null");
        List<String> labels = entityLabels;
        if (labels == null) {
            java.util.LinkedHashSet<String> distinct = new java.util.LinkedHashSet<>();
            for (GivenEntity g : entities) distinct.add(g.label());
            labels = List.copyOf(distinct);
        }
        Prepared p = prepare(text, labels, relationLabels,
                ExtractionOptions.builder().preTokenized(preTokenized).build());
        EncodedInput input = p.input();
        int[] spans = new int[2 * entities.size()];
        List<dev.relex.text.Word> words = input.words();
        for (int i = 0; i < entities.size(); i++) {
            GivenEntity g = entities.get(i);
            int first = -1, last = -1;
            for (int w = 0; w < words.size(); w++) {
                if (words.get(w).start() == g.start()) first = w;
                if (words.get(w).end() == g.end()) last = w;
            }
            if (first < 0 || last < first) {
                String why = input.truncated() && g.end() > words.get(words.size() - 1).end()
                        ? "lies beyond the " + words.size() + " words the model reads"
                        : "does not start and end at word boundaries";
                throw new IllegalArgumentException("entity " + i + " [" + g.start() + ", " + g.end() + ") " + why);
            }
            spans[2 * i] = first;
            spans[2 * i + 1] = last;
        }
        int[] pairArray = null;
        if (pairs != null) {
            pairArray = new int[2 * pairs.size()];
            for (int i = 0; i < pairs.size(); i++) {
                int[] pr = pairs.get(i);
                if (pr == null || pr.length != 2) throw new IllegalArgumentException("pair " + i + " must be {head, tail}");
                pairArray[2 * i] = pr[0];
                pairArray[2 * i + 1] = pr[1];
            }
        }
        int tokens = input.tokenCount();
        Workspace ws = Workspace.get();
        int[] mask = ws.ints(SLOT_MASK, tokens);
        Arrays.fill(mask, 0, tokens, 1);
        float[] states = ws.floats(SLOT_STATES, tokens * encoder.hiddenSize());
        encoder.forward(input.inputIds(), mask, 1, tokens, states);
        HeadOutput out = heads.scoreGivenPairs(states, 0, input, spans, pairArray);
        int r = out.numRelationLabels();
        List<RelationScores.PairScore> scores = new ArrayList<>(out.numPairs());
        for (int n = 0; n < out.numPairs(); n++) {
            float[] prob = new float[r];
            for (int k = 0; k < r; k++) prob[k] = dev.relex.engine.Ops.sigmoid(out.relationLogits()[n * r + k]);
            scores.add(new RelationScores.PairScore(out.pairs()[2 * n], out.pairs()[2 * n + 1], prob));
        }
        return new RelationScores(List.copyOf(entities), input.relationLabels(), scores);
    }

    private static ExtractionResult emptyResult(Prepared p) {
        return new ExtractionResult(p.text(), List.of(), List.of(), null);
    }

    /** The loaded checkpoint's configuration. */
    public GlinerConfig config() {
        return config;
    }

    /** Most words of one text that are processed ({@code max_len}); later words are reported as truncated. */
    public int maxWords() {
        return inputs.maxLen();
    }

    /** Most tokens (prompt, text and special tokens) one encoder sequence may hold, or {@link Integer#MAX_VALUE}. */
    public int maxTokens() {
        return inputs.maxTokens();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        synchronized (poolLock) {
            if (pool != null) pool.shutdownNow();
        }
        RuntimeException failure = null;
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                if (failure == null) failure = new IllegalStateException("closing " + r + " failed", e);
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    // ------------------------------------------------------------------------------------------------

    private record Prepared(String text, EncodedInput input, ExtractionOptions options) {}

    /** Validation and tokenization; cheap, runs on the caller's thread. */
    private Prepared prepare(String text, List<String> entityLabels, List<String> relationLabels,
                             ExtractionOptions options) {
        if (text == null) throw new IllegalArgumentException("text must not be null");
        if (options == null) throw new IllegalArgumentException("options must not be null (use ExtractionOptions.defaults())");
        EncodedInput input = inputs.build(text, entityLabels, relationLabels, options.preTokenized());
        if (input.truncated() && options.failOnTruncation()) {
            Truncation t = ResultDecoder.truncation(text, input.words(), input.totalWords(), options.offsetUnit());
            throw new TextTooLongException("text has " + input.totalWords() + " words but the model processes only "
                    + input.textLength() + " (max_len " + inputs.maxLen() + " words, " + describeTokenLimit()
                    + " with this label prompt); split the text or allow truncation", t);
        }
        return new Prepared(text, input, options);
    }

    private String describeTokenLimit() {
        return inputs.maxTokens() == InputBuilder.UNLIMITED ? "no token limit" : inputs.maxTokens() + " tokens";
    }

    /** Encoder, heads and decoding of one prepared text. */
    private ExtractionResult run(Prepared p) {
        EncodedInput input = p.input();
        if (input.isEmpty()) return emptyResult(p);
        int tokens = input.tokenCount();
        // Thread-local scratch (the encoder uses slots 40-48, the heads 60-99): no per-call allocation.
        Workspace ws = Workspace.get();
        int[] mask = ws.ints(SLOT_MASK, tokens);
        Arrays.fill(mask, 0, tokens, 1);
        float[] states = ws.floats(SLOT_STATES, tokens * encoder.hiddenSize());
        encoder.forward(input.inputIds(), mask, 1, tokens, states);
        return finish(p, states, 0);
    }

    /** Heads and decoding of one text whose encoder states start at {@code states[offset]}. */
    private ExtractionResult finish(Prepared p, float[] states, int offset) {
        ExtractionOptions o = p.options();
        HeadOutput out = heads.forward(states, offset, p.input(), o.threshold(), o.adjacencyThreshold());
        return ResultDecoder.decode(p.text(), p.input(), out, o);
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the model has been closed");
    }

    private ExecutorService pool() {
        synchronized (poolLock) {
            ensureOpen();
            if (pool == null) {
                AtomicInteger n = new AtomicInteger();
                ThreadFactory factory = r -> {
                    Thread t = new Thread(r, "relex-batch-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                };
                pool = Executors.newFixedThreadPool(parallelism, factory);
            }
            return pool;
        }
    }
}
