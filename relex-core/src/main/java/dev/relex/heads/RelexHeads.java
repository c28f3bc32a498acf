package dev.relex.heads;

import dev.relex.checkpoint.ArchitectureSpec;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.TensorSource;
import dev.relex.engine.Gradients;
import dev.relex.engine.Linear;
import dev.relex.engine.Ops;
import dev.relex.engine.Parameter;
import dev.relex.text.EncodedInput;

import java.util.Arrays;
import java.util.List;

/**
 * The GLiNER-Relex heads for one text (spec §3.1 projection, §3.2–3.9): prompt and word extraction, the
 * entity prompt MLP, the BiLSTM, the markerV0 span head or the token-level head, entity logits, relation
 * candidates at the entity threshold, the adjacency module, pairs at the adjacency threshold and the pair
 * MLP with relation logits. Running one text at a time is the reference's batch computation restricted
 * to that text's valid rows (no padded labels, words or candidates exist here).
 *
 * <p>Immutable and thread-safe; scratch memory comes from the calling thread's
 * {@link dev.relex.engine.Workspace} (slots 60–99), so only the returned arrays are allocated per call.
 */
public final class RelexHeads {
    private static final int PAIR_BLOCK = 256;

    private final boolean spanLevel;
    private final int width;
    private final int encoderWidth;
    private final int maxWidth;
    private final int classTokenIndex;
    private final int relTokenIndex;
    private final boolean embedEntToken;
    private final boolean embedRelToken;
    private final String relationsLayer;
    private final Linear projection;
    private final BiLstm lstm;
    private final Mlp promptMlp;
    private final SpanMarker marker;
    private final TokenScorer scorer;
    private final Adjacency adjacency;
    private final Mlp pairMlp;
    /** Head and tail input halves of the pair MLP's first layer (the tail half carries the bias). */
    private final Linear pairHead;
    private final Linear pairTail;
    private final HeadParameters parameters;
    private final double configuredDropout;

    private RelexHeads(GlinerConfig cfg, HeadWeights w) {
        this.spanLevel = cfg.modelKind() == GlinerConfig.ModelKind.SPAN_RELEX;
        this.width = cfg.hiddenSize();
        this.encoderWidth = cfg.encoder().hiddenSize();
        this.maxWidth = cfg.maxWidth();
        this.classTokenIndex = cfg.classTokenIndex();
        this.relTokenIndex = cfg.relTokenIndex();
        this.embedEntToken = cfg.embedEntToken();
        this.embedRelToken = cfg.embedRelToken();
        this.relationsLayer = cfg.relationsLayer();
        int d = width;
        this.projection = cfg.hasProjection() ? w.linear("token_rep_layer.projection", encoderWidth, d) : null;
        this.lstm = cfg.numRnnLayers() > 0 ? BiLstm.load(w, cfg.numRnnLayers(), d) : null;
        this.promptMlp = w.mlp("prompt_rep_layer", d, d);
        this.marker = SpanMarker.load(w, d);
        this.scorer = spanLevel ? null : TokenScorer.load(w, d);
        this.adjacency = Adjacency.load(relationsLayer, w, d);
        this.pairMlp = w.mlp("pair_rep_layer", 2 * d, d);
        this.pairHead = pairMlp.first().inputSlice(0, d, false);
        this.pairTail = pairMlp.first().inputSlice(d, d, true);
        this.parameters = w.parameters;
        this.configuredDropout = cfg.raw() == null ? 0.4 : cfg.raw().path("dropout").asDouble(0.4);
    }

    /**
     * Builds the heads of a relex checkpoint.
     *
     * @throws CheckpointException if the config asks for something not implemented (e.g. a
     *                             {@code triples_layer}: "not supported yet"), or a head weight is missing,
     *                             misshaped or not finite (the message names the key)
     */
    public static RelexHeads create(GlinerConfig cfg, TensorSource weights) {
        if (cfg == null) throw new IllegalArgumentException("config is required");
        ArchitectureSpec.checkSupported(cfg);
        if (cfg.classTokenIndex() < 0 || cfg.relTokenIndex() < 0) {
            throw new CheckpointException("gliner_config.json must set class_token_index and rel_token_index (found "
                    + cfg.classTokenIndex() + ", " + cfg.relTokenIndex() + ")");
        }
        if (cfg.classTokenIndex() == cfg.relTokenIndex()) {
            throw new CheckpointException("class_token_index and rel_token_index are both " + cfg.classTokenIndex());
        }
        return new RelexHeads(cfg, new HeadWeights(weights));
    }

    /** Head width D ({@code hidden_size}). */
    public int hiddenSize() {
        return width;
    }

    /** Width of the encoder states {@link #forward} expects (Denc). */
    public int encoderHiddenSize() {
        return encoderWidth;
    }

    /** True for the markerV0 span model, false for the token-level model. */
    public boolean spanLevel() {
        return spanLevel;
    }

    /** The adjacency mode ({@code relations_layer}, lower case; "none" scores all pairs). */
    public String relationsLayer() {
        return relationsLayer;
    }

    /**
     * Runs the heads on one text.
     *
     * @param encoderStates      holds this text's [T × Denc] raw encoder last hidden states at {@code offset}
     *                           (T = {@code input.tokenCount()}), before any Denc→D projection
     * @param entityThreshold    the entity threshold, which also selects relation candidates (spec §3.6)
     * @param adjacencyThreshold pairs with adjacency probability above it are scored (ignored for "none")
     */
    public HeadOutput forward(float[] encoderStates, int offset, EncodedInput input, double entityThreshold,
                              double adjacencyThreshold) {
        return forward(encoderStates, offset, input, entityThreshold, adjacencyThreshold, null);
    }

    /** As {@link #forward(float[], int, EncodedInput, double, double)}, reporting intermediates to {@code trace}. */
    public HeadOutput forward(float[] encoderStates, int offset, EncodedInput input, double entityThreshold,
                              double adjacencyThreshold, HeadTrace trace) {
        return run(encoderStates, offset, input, entityThreshold, adjacencyThreshold, null, null, trace);
    }

    /**
     * Relation scoring for given entity spans (relation classification with known arguments, e.g. FewRel
     * or CrossRE evaluation, or a caller's own NER): the candidates are exactly {@code spans} (pairs of
     * start and end word, inclusive, in any order; duplicates allowed) instead of the spans above the
     * entity threshold, the adjacency layer is skipped, and exactly {@code pairs} (candidate indices,
     * head then tail; {@code null} = every ordered pair i ≠ j, row-major) are scored. Entity logits are
     * computed as usual. The returned {@link HeadOutput} holds these candidates and pairs in the given
     * order.
     *
     * @throws IllegalArgumentException for a span outside the text's words or a pair index out of range
     */
    public HeadOutput scoreGivenPairs(float[] encoderStates, int offset, EncodedInput input, int[] spans, int[] pairs) {
        if (spans == null || spans.length % 2 != 0) throw new IllegalArgumentException("spans must hold (start, end) pairs");
        int words = input == null ? 0 : input.textLength();
        for (int i = 0; i < spans.length; i += 2) {
            if (spans[i] < 0 || spans[i + 1] < spans[i] || spans[i + 1] >= words) {
                throw new IllegalArgumentException("span " + i / 2 + " = words [" + spans[i] + ", " + spans[i + 1]
                        + "] is outside the text's " + words + " words");
            }
        }
        int e = spans.length / 2;
        if (pairs == null) pairs = allPairs(e);
        if (pairs.length % 2 != 0) throw new IllegalArgumentException("pairs must hold (head, tail) indices");
        for (int i = 0; i < pairs.length; i++) {
            if (pairs[i] < 0 || pairs[i] >= e) {
                throw new IllegalArgumentException("pair " + i / 2 + " refers to candidate " + pairs[i] + " of " + e);
            }
        }
        return run(encoderStates, offset, input, 0.5, 0.5, spans.clone(), pairs.clone(), null);
    }

    private HeadOutput run(float[] encoderStates, int offset, EncodedInput input, double entityThreshold,
                           double adjacencyThreshold, int[] givenSpans, int[] givenPairs, HeadTrace trace) {
        if (encoderStates == null || input == null) throw new IllegalArgumentException("encoder states and input are required");
        if (Double.isNaN(entityThreshold) || Double.isNaN(adjacencyThreshold)) {
            throw new IllegalArgumentException("thresholds must not be NaN");
        }
        int tokens = input.tokenCount();
        int words = input.textLength();
        int[] ids = input.inputIds();
        int[] wordsMask = input.wordsMask();
        if (wordsMask.length != tokens) {
            throw new IllegalArgumentException("words mask has " + wordsMask.length + " entries for " + tokens + " tokens");
        }
        if (offset < 0 || (long) offset + (long) tokens * encoderWidth > encoderStates.length) {
            throw new IllegalArgumentException("encoder states: need " + tokens + " x " + encoderWidth + " values from offset "
                    + offset + ", array has " + encoderStates.length);
        }
        int classes = 0;
        int relations = 0;
        for (int id : ids) {
            if (id == classTokenIndex) classes++;
            else if (id == relTokenIndex) relations++;
        }
        checkCount(classes, input.entityLabels().size(), "entity", classTokenIndex);
        checkCount(relations, input.relationLabels().size(), "relation", relTokenIndex);
        if (words == 0) {
            return new HeadOutput(spanLevel, 0, spanLevel ? maxWidth : 0, classes, relations, new float[0], new int[0],
                    new int[0], new float[0]);
        }
        Scratch scratch = Scratch.get();
        int d = width;

        // §3.2: the rows the heads need, in the order [entity markers | relation markers | words].
        int rows = classes + relations + words;
        int[] source = scratch.ints(rows);
        gatherPositions(ids, wordsMask, words, classes, rows, source);
        float[] raw = scratch.floats((long) rows * encoderWidth);
        for (int r = 0; r < rows; r++) {
            if (source[r] >= 0) {
                System.arraycopy(encoderStates, offset + source[r] * encoderWidth, raw, r * encoderWidth, encoderWidth);
            }
        }
        float[] h = raw;
        if (projection != null) {
            h = scratch.floats((long) rows * d);
            Ops.linear(raw, 0, rows, projection, h, 0);
        }
        // A word without a first sub-token (cut by truncation) has a zero vector after the projection.
        for (int r = 0; r < rows; r++) {
            if (source[r] < 0) Arrays.fill(h, r * d, (r + 1) * d, 0f);
        }
        int relOff = classes * d;
        int wordOff = (classes + relations) * d;
        if (trace != null) {
            traceTokenEmbeddings(encoderStates, offset, tokens, trace);
            trace.tensor("entity_prompts_raw", h, 0, classes, d);
            trace.tensor("relation_prompts", h, relOff, relations, d);
            trace.tensor("words_embedding_pre_rnn", h, wordOff, words, d);
        }

        // §3.4: entity prompts through the prompt MLP; relation prompts stay raw.
        float[] prompts = scratch.floats((long) classes * d);
        float[] mlpHidden = scratch.floats((long) Math.max(classes, 1) * promptMlp.hidden());
        promptMlp.forward(h, 0, classes, mlpHidden, prompts, 0);
        if (trace != null) trace.tensor("entity_prompts", prompts, 0, classes, d);

        // §3.3: BiLSTM over the real words.
        float[] x = h;
        int xOff = wordOff;
        if (lstm != null) {
            x = scratch.floats((long) words * d);
            xOff = 0;
            lstm.forward(h, wordOff, words, x, 0, scratch);
        }
        if (trace != null) trace.tensor("words_embedding", x, xOff, words, d);

        float threshold = (float) entityThreshold;
        float[] logits;
        int[] candidateSpans;
        float[] candidates;
        if (spanLevel) {
            float[] parts = scratch.floats(2L * words * marker.partWidth());
            marker.prepare(x, xOff, words, parts, scratch);
            int k = maxWidth;
            int spans = words * k;
            int[] spanList = scratch.ints(2L * spans);
            for (int s = 0; s < words; s++) {
                for (int w = 0; w < k; w++) {
                    int f = s * k + w;
                    boolean valid = s + w <= words - 1;
                    // Invalid spans are computed as (0, 0), as the reference does (span_idx · span_mask).
                    spanList[2 * f] = valid ? s : 0;
                    spanList[2 * f + 1] = valid ? s + w : 0;
                }
            }
            if (trace != null) {
                float[] spanRep = new float[spans * d];
                marker.spans(parts, words, spanList, spans, spanRep, 0, scratch);
                trace.tensor("span_rep", spanRep, 0, words, k, d);
            }
            float[] folded = scratch.floats((long) classes * marker.partWidth());
            float[] foldedBias = scratch.floats(classes);
            marker.foldPrompts(prompts, classes, folded, foldedBias);
            logits = new float[spans * classes];
            marker.logits(parts, words, spanList, spans, folded, foldedBias, classes, logits, scratch);
            if (trace != null) trace.tensor("logits", logits, 0, words, k, classes);
            int count;
            if (givenSpans != null) {
                candidateSpans = givenSpans;
                count = givenSpans.length / 2;
            } else {
                count = 0;
                int[] selected = scratch.ints(spans);
                for (int f = 0; f < spans; f++) {
                    if (f / k + f % k <= words - 1 && anyAbove(logits, f * classes, classes, threshold)) selected[count++] = f;
                }
                candidateSpans = new int[2 * count];
                for (int i = 0; i < count; i++) {
                    candidateSpans[2 * i] = selected[i] / k;
                    candidateSpans[2 * i + 1] = selected[i] / k + selected[i] % k;
                }
            }
            candidates = scratch.floats((long) count * d);
            marker.spans(parts, words, candidateSpans, count, candidates, 0, scratch);
        } else {
            logits = new float[words * classes * 3];
            scorer.score(x, xOff, words, prompts, 0, classes, logits, 0, scratch);
            if (trace != null) trace.tensor("logits", logits, 0, words, classes, 3);
            candidateSpans = givenSpans != null ? givenSpans : tokenCandidates(logits, words, classes, threshold);
            int count = candidateSpans.length / 2;
            candidates = scratch.floats((long) count * d);
            if (count > 0) {
                // Span vectors are only needed for the candidates, so the start/end MLPs run only then.
                float[] parts = scratch.floats(2L * words * marker.partWidth());
                marker.prepare(x, xOff, words, parts, scratch);
                marker.spans(parts, words, candidateSpans, count, candidates, 0, scratch);
            }
            if (trace != null) trace.tensor("candidate_span_rep", candidates, 0, count, d);
        }
        int e = candidateSpans.length / 2;
        if (trace != null) trace.tensor("candidate_rep", candidates, 0, e, d);

        // §3.7–3.8: adjacency and pairs.
        int[] pairs;
        float[] pairAdjacency = null;
        if (givenPairs != null) {
            pairs = givenPairs;
        } else if (adjacency == null) {
            pairs = allPairs(e);
        } else if (e == 0) {
            pairs = new int[0];
        } else {
            float[] adj = scratch.floats((long) e * e);
            adjacency.compute(candidates, e, adj, scratch);
            if (trace != null) trace.tensor("adjacency", adj, 0, e, e);
            pairs = pairsAbove(adj, e, (float) adjacencyThreshold);
            pairAdjacency = new float[pairs.length / 2];
            for (int i = 0; i < pairAdjacency.length; i++) pairAdjacency[i] = adj[pairs[2 * i] * e + pairs[2 * i + 1]];
        }

        // §3.9: pair MLP and relation logits.
        int n = pairs.length / 2;
        float[] relLogits = new float[n * relations];
        if (n > 0 && (relations > 0 || trace != null)) {
            scorePairs(candidates, e, pairs, h, relOff, relations, relLogits, scratch, trace);
        }
        return new HeadOutput(spanLevel, words, spanLevel ? maxWidth : 0, classes, relations, logits, candidateSpans,
                pairs, relLogits, pairAdjacency);
    }

    private static void checkCount(int markers, int labels, String kind, int tokenId) {
        if (markers != labels) {
            throw new IllegalArgumentException("input has " + markers + " " + kind + " marker tokens (id " + tokenId
                    + ") but " + labels + " " + kind + " labels");
        }
    }

    /** Token index of each needed row: entity markers, relation markers, then words (−1: word has no token). */
    private void gatherPositions(int[] ids, int[] wordsMask, int words, int classes, int rows, int[] source) {
        int tokens = ids.length;
        int c = 0;
        int r = classes;
        Arrays.fill(source, 0, rows, -1);
        int wordBase = rows - words;
        for (int t = 0; t < tokens; t++) {
            if (ids[t] == classTokenIndex) source[c++] = markerRow(t, embedEntToken, tokens, "<<ENT>>");
            else if (ids[t] == relTokenIndex) source[r++] = markerRow(t, embedRelToken, tokens, "<<REL>>");
            int k = wordsMask[t];
            if (k > 0) {
                if (k > words) {
                    throw new IllegalArgumentException("words mask marks word " + k + " at token " + t + " but the input has "
                            + words + " words");
                }
                source[wordBase + k - 1] = t;
            } else if (k < 0) {
                throw new IllegalArgumentException("words mask has negative value " + k + " at token " + t);
            }
        }
    }

    /** With embed_*_token false the reference takes the token right after the marker. */
    private static int markerRow(int t, boolean embedMarker, int tokens, String marker) {
        int row = embedMarker ? t : t + 1;
        if (row >= tokens) throw new IllegalArgumentException(marker + " is the last token; no token follows it");
        return row;
    }

    private void traceTokenEmbeddings(float[] states, int offset, int tokens, HeadTrace trace) {
        if (projection == null) {
            trace.tensor("token_embeddings", states, offset, tokens, width);
            return;
        }
        float[] all = new float[tokens * width];
        Ops.linear(states, offset, tokens, projection, all, 0);
        trace.tensor("token_embeddings", all, 0, tokens, width);
    }

    private static boolean anyAbove(float[] logits, int off, int classes, float threshold) {
        for (int c = 0; c < classes; c++) {
            if (Ops.sigmoid(logits[off + c]) > threshold) return true;
        }
        return false;
    }

    /**
     * Token model candidates (modeling/utils.py {@code extract_spans_from_tokens}): for each start (w, c)
     * with p_start > τ in (word, class) order, each end word ≥ w of the same class with p_end > τ, in word
     * order, kept if every word in between has p_inside(c) > τ. No maximum width; duplicates across
     * classes are kept.
     */
    private static int[] tokenCandidates(float[] logits, int words, int classes, float threshold) {
        int count = 0;
        for (int pass = 0; pass < 2; pass++) {
            int[] out = pass == 0 ? null : new int[2 * count];
            int n = 0;
            for (int s = 0; s < words; s++) {
                for (int c = 0; c < classes; c++) {
                    if (!(Ops.sigmoid(logits[(s * classes + c) * 3]) > threshold)) continue;
                    for (int e = s; e < words; e++) {
                        int base = (e * classes + c) * 3;
                        if (!(Ops.sigmoid(logits[base + 2]) > threshold)) break;
                        if (Ops.sigmoid(logits[base + 1]) > threshold) {
                            if (out != null) {
                                out[2 * n] = s;
                                out[2 * n + 1] = e;
                            }
                            n++;
                        }
                    }
                }
            }
            if (out != null) return out;
            count = n;
        }
        throw new AssertionError();
    }

    /** "none": every ordered pair (i, j), i ≠ j, row-major. */
    private static int[] allPairs(int e) {
        int[] pairs = new int[2 * Math.max(0, e * (e - 1))];
        int n = 0;
        for (int i = 0; i < e; i++) {
            for (int j = 0; j < e; j++) {
                if (i == j) continue;
                pairs[2 * n] = i;
                pairs[2 * n + 1] = j;
                n++;
            }
        }
        return pairs;
    }

    /** Pairs (i, j), i ≠ j, with A[i, j] > threshold (strict, in float32 as torch compares), row-major. */
    private static int[] pairsAbove(float[] adj, int e, float threshold) {
        int count = 0;
        for (int i = 0; i < e; i++) {
            for (int j = 0; j < e; j++) if (i != j && adj[i * e + j] > threshold) count++;
        }
        int[] pairs = new int[2 * count];
        int n = 0;
        for (int i = 0; i < e; i++) {
            for (int j = 0; j < e; j++) {
                if (i != j && adj[i * e + j] > threshold) {
                    pairs[2 * n] = i;
                    pairs[2 * n + 1] = j;
                    n++;
                }
            }
        }
        return pairs;
    }

    /**
     * rel_logits[n, r] = MLP_pair([E_head ; E_tail]) · Prel[r]. The first pair-MLP layer is split into head
     * and tail halves computed once per candidate; pairs are then processed in blocks.
     */
    private void scorePairs(float[] cand, int e, int[] pairs, float[] relPrompts, int relOff, int relations,
                            float[] relLogits, Scratch scratch, HeadTrace trace) {
        int d = width;
        int h4 = pairMlp.hidden();
        int n = pairs.length / 2;
        float[] headPart = scratch.floats((long) e * h4);
        float[] tailPart = scratch.floats((long) e * h4);
        Ops.linear(cand, 0, e, pairHead, headPart, 0);
        Ops.linear(cand, 0, e, pairTail, tailPart, 0);
        int block = Math.min(n, PAIR_BLOCK);
        float[] hidden = scratch.floats((long) block * h4);
        // Without a trace the pair vectors are not needed, only their dot products with the R relation
        // prompts: (W2·h + b2)·p = h·(W2ᵀp) + b2·p, so W2 (4D → D) is folded into the prompts once and
        // each pair costs R dot products of length 4D instead of a 4D × D product.
        boolean fold = trace == null;
        float[] folded = null, foldedBias = null, q = null;
        if (fold) {
            folded = scratch.floats((long) relations * h4);
            foldedBias = scratch.floats(relations);
            pairMlp.foldSecond(relPrompts, relOff, relations, folded, foldedBias);
        } else {
            q = new float[n * d];
        }
        for (int p0 = 0; p0 < n; p0 += PAIR_BLOCK) {
            int m = Math.min(PAIR_BLOCK, n - p0);
            for (int i = 0; i < m; i++) {
                System.arraycopy(headPart, pairs[2 * (p0 + i)] * h4, hidden, i * h4, h4);
                Ops.add(hidden, i * h4, tailPart, pairs[2 * (p0 + i) + 1] * h4, h4);
            }
            Ops.relu(hidden, 0, m * h4);
            if (fold) {
                Ops.gemmTransB(m, relations, h4, hidden, 0, h4, folded, 0, h4, relLogits, p0 * relations, relations,
                        false, foldedBias, 0);
            } else {
                int qOff = p0 * d;
                Ops.linear(hidden, 0, m, pairMlp.second(), q, qOff);
                if (relations > 0) Ops.matmulTransB(q, qOff, m, d, relPrompts, relOff, relations, relLogits, p0 * relations);
            }
        }
        if (trace != null) {
            float[] input = new float[n * 2 * d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(cand, pairs[2 * i] * d, input, i * 2 * d, d);
                System.arraycopy(cand, pairs[2 * i + 1] * d, input, i * 2 * d + d, d);
            }
            trace.tensor("pair_input", input, 0, n, 2 * d);
            trace.tensor("pair_rep", q, 0, n, d);
            trace.tensor("rel_logits", relLogits, 0, n, relations);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Training: parameters, training forward with activation state, backward.

    /**
     * Every head tensor as a {@link Parameter} with its checkpoint name (spec §1.5), in load order: the
     * Denc→D projection (if any), LSTM, prompt MLP, span marker, token scorer (token model), adjacency
     * module, pair MLP. Values are views of the arrays the heads compute with: after changing them in
     * place call {@link #refreshDerived()}. Gradients are accumulated by {@link #backward}.
     */
    public List<Parameter> parameters() {
        return parameters.all();
    }

    /**
     * Rebuilds every derived weight form from the canonical values after an in-place update (optimizer
     * step): drops the engine's packed copies of every head tensor and recomputes the input slices of the
     * span marker, token scorer, mlp adjacency and pair MLP. Not safe while another thread runs the heads.
     */
    public void refreshDerived() {
        for (Parameter p : parameters.all()) p.valuesChanged();
        marker.refreshDerived();
        if (scorer != null) scorer.refreshDerived();
        if (adjacency != null) adjacency.refreshDerived();
        pairHead.refreshInputSlice(pairMlp.first(), 0);
        pairTail.refreshInputSlice(pairMlp.first(), width);
    }

    /** The config's head dropout ({@code dropout}, the reference's default 0.4), for {@link HeadsTrainingState#dropout}. */
    public double configuredDropout() {
        return configuredDropout;
    }

    /**
     * Training forward for one text (base.py forward with labels): entity logits over every flat span (span
     * model, invalid spans computed as span (0, 0) as the reference does) or every (word, class) (token
     * model); the adjacency module on the given candidates; relation logits of the given pairs. Uses the
     * canonical weights (no folds); dropout as {@code state} says. Results and activations go to
     * {@code state}; the encoder states must not change until {@link #backward}.
     *
     * @param candidateSpans (start, end) word pairs, inclusive, of the relation candidates (the gold spans in
     *                       compact order); span model: each no wider than max_width
     * @param pairs          (head, tail) candidate indices of the pairs to score, in the target's order
     */
    public void forwardTraining(float[] encoderStates, int offset, EncodedInput input, int[] candidateSpans, int[] pairs,
                                HeadsTrainingState state) {
        if (encoderStates == null || input == null || state == null) {
            throw new IllegalArgumentException("encoder states, input and state are required");
        }
        if (candidateSpans == null || candidateSpans.length % 2 != 0) {
            throw new IllegalArgumentException("candidate spans must hold (start, end) pairs");
        }
        if (pairs == null || pairs.length % 2 != 0) throw new IllegalArgumentException("pairs must hold (head, tail) indices");
        HeadsTrainingState st = state;
        int tokens = input.tokenCount();
        int words = input.textLength();
        int[] ids = input.inputIds();
        if (input.wordsMask().length != tokens) {
            throw new IllegalArgumentException("words mask has " + input.wordsMask().length + " entries for " + tokens + " tokens");
        }
        if (offset < 0 || (long) offset + (long) tokens * encoderWidth > encoderStates.length) {
            throw new IllegalArgumentException("encoder states: need " + tokens + " x " + encoderWidth + " values from offset "
                    + offset + ", array has " + encoderStates.length);
        }
        int e = candidateSpans.length / 2;
        for (int i = 0; i < e; i++) {
            int s = candidateSpans[2 * i], end = candidateSpans[2 * i + 1];
            if (s < 0 || end < s || end >= words) {
                throw new IllegalArgumentException("candidate " + i + " = words [" + s + ", " + end + "] is outside the text's "
                        + words + " words");
            }
            if (spanLevel && end - s >= maxWidth) {
                throw new IllegalArgumentException("candidate " + i + " = words [" + s + ", " + end + "] is wider than max_width "
                        + maxWidth + " (the span model has no representation for it)");
            }
        }
        for (int i = 0; i < pairs.length; i++) {
            if (pairs[i] < 0 || pairs[i] >= e) {
                throw new IllegalArgumentException("pair " + i / 2 + " refers to candidate " + pairs[i] + " of " + e);
            }
        }
        int classes = 0, relations = 0;
        for (int id : ids) {
            if (id == classTokenIndex) classes++;
            else if (id == relTokenIndex) relations++;
        }
        checkCount(classes, input.entityLabels().size(), "entity", classTokenIndex);
        checkCount(relations, input.relationLabels().size(), "relation", relTokenIndex);
        int d = width;
        int rows = classes + relations + words;
        int n = pairs.length / 2;
        st.tokens = tokens;
        st.rows = rows;
        st.words = words;
        st.classes = classes;
        st.relations = relations;
        st.candidates = e;
        st.pairs = n;
        st.spanLevel = spanLevel;
        st.maxWidth = maxWidth;
        st.candidateSpans = candidateSpans;
        st.pairList = pairs;
        Dropout drop = st.dropout;

        // §3.2 rows and the projection.
        st.source = Buffers.grow(st.source, rows);
        gatherPositions(ids, input.wordsMask(), words, classes, rows, st.source);
        st.raw = Buffers.zeroed(st.raw, (long) rows * encoderWidth);
        for (int r = 0; r < rows; r++) {
            if (st.source[r] >= 0) {
                System.arraycopy(encoderStates, offset + st.source[r] * encoderWidth, st.raw, r * encoderWidth, encoderWidth);
            }
        }
        st.projected = Buffers.grow(st.projected, (long) rows * d);
        if (projection != null) {
            if (rows > 0) Ops.linear(st.raw, 0, rows, projection, st.projected, 0);
        } else {
            System.arraycopy(st.raw, 0, st.projected, 0, rows * d);
        }
        for (int r = 0; r < rows; r++) {
            if (st.source[r] < 0) Arrays.fill(st.projected, r * d, (r + 1) * d, 0f);
        }
        float[] h = st.projected;
        int relOff = classes * d;
        int wordOff = (classes + relations) * d;

        // §3.4 entity prompts; §3.3 LSTM.
        st.prompts = Buffers.grow(st.prompts, (long) classes * d);
        promptMlp.forward(h, 0, classes, st.prompts, 0, st.promptMlp, drop);
        float[] x = h;
        int xOff = wordOff;
        if (lstm != null) {
            lstm.forward(h, wordOff, words, st.lstm);
            x = BiLstm.output(st.lstm);
            xOff = 0;
        }

        // §3.5 entity logits and candidate representations.
        st.candidateRows = Buffers.grow(st.candidateRows, e);
        float[] reps;
        if (spanLevel) {
            int k = maxWidth;
            int spans = words * k;
            st.spanList = Buffers.grow(st.spanList, 2L * spans);
            for (int s = 0; s < words; s++) {
                for (int w = 0; w < k; w++) {
                    int f = s * k + w;
                    boolean valid = s + w <= words - 1;
                    st.spanList[2 * f] = valid ? s : 0;
                    st.spanList[2 * f + 1] = valid ? s + w : 0;
                }
            }
            marker.forward(x, xOff, words, st.spanList, spans, st.marker, drop);
            st.entityLogits = Buffers.grow(st.entityLogits, (long) spans * classes);
            if (classes > 0 && spans > 0) Ops.matmulTransB(st.marker.reps, 0, spans, d, st.prompts, 0, classes, st.entityLogits, 0);
            for (int i = 0; i < e; i++) {
                st.candidateRows[i] = candidateSpans[2 * i] * k + (candidateSpans[2 * i + 1] - candidateSpans[2 * i]);
            }
            reps = st.marker.reps;
        } else {
            st.entityLogits = Buffers.grow(st.entityLogits, (long) words * classes * 3);
            scorer.forward(x, xOff, words, st.prompts, 0, classes, st.entityLogits, 0, st.scorer, drop);
            marker.forward(x, xOff, words, candidateSpans, e, st.marker, drop);
            for (int i = 0; i < e; i++) st.candidateRows[i] = i;
            reps = st.marker.reps;
        }
        st.candidateReps = Buffers.grow(st.candidateReps, (long) e * d);
        for (int i = 0; i < e; i++) System.arraycopy(reps, st.candidateRows[i] * d, st.candidateReps, i * d, d);

        // §3.7 adjacency on the candidates.
        if (adjacency != null) {
            st.adjacency = Buffers.grow(st.adjacency, (long) e * e);
            if (e > 0) adjacency.forward(st.candidateReps, e, st.adjacency, st.adjacencyState);
        } else {
            st.adjacency = null;
        }

        // §3.9 pair MLP on the given pairs, canonical weights: hidden = ReLU(W1a·head + W1b·tail + b1), dropout.
        int h4 = pairMlp.hidden();
        float[] cand = st.candidateReps;
        Linear first = pairMlp.first();
        st.pairHeadPart = Buffers.grow(st.pairHeadPart, (long) e * h4);
        st.pairTailPart = Buffers.grow(st.pairTailPart, (long) e * h4);
        st.pairHidden = Buffers.grow(st.pairHidden, (long) n * h4);
        st.pairReps = Buffers.grow(st.pairReps, (long) n * d);
        st.relationLogits = Buffers.grow(st.relationLogits, (long) n * relations);
        if (n > 0) {
            Ops.gemmTransB(e, h4, d, cand, 0, d, first.weight(), 0, 2 * d, st.pairHeadPart, 0, h4, false, null, 0);
            Ops.gemmTransB(e, h4, d, cand, 0, d, first.weight(), d, 2 * d, st.pairTailPart, 0, h4, false, first.bias(), 0);
            for (int i = 0; i < n; i++) {
                System.arraycopy(st.pairHeadPart, pairs[2 * i] * h4, st.pairHidden, i * h4, h4);
                Ops.add(st.pairHidden, i * h4, st.pairTailPart, pairs[2 * i + 1] * h4, h4);
            }
            Ops.relu(st.pairHidden, 0, n * h4);
            drop.apply(st.pairHidden, 0, n * h4);
            Ops.linear(st.pairHidden, 0, n, pairMlp.second(), st.pairReps, 0);
            if (relations > 0) Ops.matmulTransB(st.pairReps, 0, n, d, h, relOff, relations, st.relationLogits, 0);
        }
    }

    /**
     * Backward of the latest {@link #forwardTraining} with {@code state}: accumulates (+=) the gradient of every
     * head parameter and writes the gradient of the raw encoder states [T × Denc] at {@code dOffset} of
     * {@code dEncoderStates} (= : rows of tokens the heads do not read are set to 0).
     *
     * @param dEntityLogits dL/d entity logits, laid out as {@link HeadsTrainingState#entityLogits()}
     * @param dAdjacency    dL/d adjacency probabilities [E, E], or null (no adjacency loss, or "none")
     * @param dRelLogits    dL/d relation logits [N, R]
     */
    public void backward(HeadsTrainingState state, float[] dEntityLogits, float[] dAdjacency, float[] dRelLogits,
                         float[] dEncoderStates, int dOffset) {
        HeadsTrainingState st = state;
        if (st == null || st.source == null) throw new IllegalStateException("backward without a training forward");
        int d = width;
        int rows = st.rows, words = st.words, classes = st.classes, relations = st.relations;
        int e = st.candidates, n = st.pairs;
        if (dEntityLogits == null || dEntityLogits.length < st.entityLogitCount()) {
            throw new IllegalArgumentException("entity logit gradient needs " + st.entityLogitCount() + " values");
        }
        if (dRelLogits == null || dRelLogits.length < n * relations) {
            throw new IllegalArgumentException("relation logit gradient needs " + n * relations + " values");
        }
        if (dAdjacency != null && dAdjacency.length < e * e) {
            throw new IllegalArgumentException("adjacency gradient needs " + e * e + " values");
        }
        if (dOffset < 0 || (long) dOffset + (long) st.tokens * encoderWidth > dEncoderStates.length) {
            throw new IllegalArgumentException("encoder state gradient: need " + st.tokens + " x " + encoderWidth
                    + " values from offset " + dOffset + ", array has " + dEncoderStates.length);
        }
        Dropout drop = st.dropout;
        HeadParameters params = parameters;
        float[] h = st.projected;
        int relOff = classes * d;
        int wordOff = (classes + relations) * d;
        st.dProjected = Buffers.zeroed(st.dProjected, (long) rows * d);
        float[] dh = st.dProjected;
        float[] cand = st.candidateReps;
        st.dCandidates = Buffers.zeroed(st.dCandidates, (long) e * d);

        // §3.9 relation logits = Q·Prelᵀ, Q = pair MLP.
        if (n > 0) {
            int h4 = pairMlp.hidden();
            Linear first = pairMlp.first();
            st.dPairReps = Buffers.zeroed(st.dPairReps, (long) n * d);
            st.dPairHidden = Buffers.grow(st.dPairHidden, (long) n * h4);
            st.dPairHead = Buffers.zeroed(st.dPairHead, (long) e * h4);
            st.dPairTail = Buffers.zeroed(st.dPairTail, (long) e * h4);
            if (relations > 0) {
                Ops.matmul(dRelLogits, 0, n, relations, h, relOff, d, st.dPairReps, 0);
                Gradients.gemmTransA(relations, d, n, dRelLogits, 0, relations, st.pairReps, 0, d, dh, relOff, d, true);
            }
            Gradients.linearBackward(st.pairHidden, 0, n, pairMlp.second(), st.dPairReps, 0, st.dPairHidden, 0, false,
                    params.grad(pairMlp.second().weight()), params.grad(pairMlp.second().bias()));
            drop.reluBackward(st.pairHidden, 0, n * h4, st.dPairHidden, 0);
            for (int i = 0; i < n; i++) {
                Ops.add(st.dPairHead, st.pairList[2 * i] * h4, st.dPairHidden, i * h4, h4);
                Ops.add(st.dPairTail, st.pairList[2 * i + 1] * h4, st.dPairHidden, i * h4, h4);
            }
            float[] gW1 = params.grad(first.weight());
            float[] gb1 = params.grad(first.bias());
            Gradients.gemmTransA(h4, d, e, st.dPairHead, 0, h4, cand, 0, d, gW1, 0, 2 * d, true);
            Gradients.gemmTransA(h4, d, e, st.dPairTail, 0, h4, cand, 0, d, gW1, d, 2 * d, true);
            for (int i = 0; i < e; i++) {
                for (int j = 0; j < h4; j++) gb1[j] += st.dPairTail[i * h4 + j];
            }
            Ops.gemm(e, d, h4, st.dPairHead, 0, h4, first.weight(), 0, 2 * d, st.dCandidates, 0, d, true);
            Ops.gemm(e, d, h4, st.dPairTail, 0, h4, first.weight(), d, 2 * d, st.dCandidates, 0, d, true);
        }

        // §3.7 adjacency.
        if (adjacency != null && dAdjacency != null && e > 0) {
            st.dCandidatesAdj = Buffers.grow(st.dCandidatesAdj, (long) e * d);
            adjacency.backward(st.adjacencyState, dAdjacency, st.dCandidatesAdj, params);
            Ops.add(st.dCandidates, 0, st.dCandidatesAdj, 0, e * d);
        }

        // §3.5 entity head and span representations; dX collects the word-vector gradient.
        float[] dx;
        int dxOff;
        if (lstm != null) {
            st.dWords = Buffers.zeroed(st.dWords, (long) words * d);
            dx = st.dWords;
            dxOff = 0;
        } else {
            dx = dh;
            dxOff = wordOff;
        }
        st.dPrompts = Buffers.zeroed(st.dPrompts, (long) classes * d);
        if (spanLevel) {
            int spans = words * maxWidth;
            st.dSpanReps = Buffers.grow(st.dSpanReps, (long) spans * d);
            if (classes > 0) {
                Ops.matmul(dEntityLogits, 0, spans, classes, st.prompts, 0, d, st.dSpanReps, 0);
                Gradients.gemmTransA(classes, d, spans, dEntityLogits, 0, classes, st.marker.reps, 0, d, st.dPrompts, 0, d, false);
            } else {
                Arrays.fill(st.dSpanReps, 0, spans * d, 0f);
            }
            for (int i = 0; i < e; i++) Ops.add(st.dSpanReps, st.candidateRows[i] * d, st.dCandidates, i * d, d);
            marker.backward(st.marker, st.dSpanReps, 0, dx, dxOff, drop, params);
        } else {
            scorer.backward(st.scorer, dEntityLogits, 0, dx, dxOff, st.dPrompts, 0, drop, params);
            marker.backward(st.marker, st.dCandidates, 0, dx, dxOff, drop, params);
        }
        if (lstm != null) lstm.backward(st.lstm, st.dWords, 0, dh, wordOff, params);

        // §3.4 prompt MLP.
        promptMlp.backward(st.promptMlp, st.dPrompts, 0, dh, 0, true, drop, params);

        // §3.2: rows without a token were zeroed after the projection, so they pass no gradient.
        for (int r = 0; r < rows; r++) {
            if (st.source[r] < 0) Arrays.fill(dh, r * d, (r + 1) * d, 0f);
        }
        float[] dRaw;
        if (projection != null) {
            st.dRaw = Buffers.grow(st.dRaw, (long) rows * encoderWidth);
            dRaw = st.dRaw;
            Gradients.linearBackward(st.raw, 0, rows, projection, dh, 0, dRaw, 0, false,
                    params.grad(projection.weight()), params.grad(projection.bias()));
        } else {
            dRaw = dh;
        }
        Arrays.fill(dEncoderStates, dOffset, dOffset + st.tokens * encoderWidth, 0f);
        for (int r = 0; r < rows; r++) {
            int t = st.source[r];
            if (t >= 0) Ops.add(dEncoderStates, dOffset + t * encoderWidth, dRaw, r * encoderWidth, encoderWidth);
        }
    }
}
