package dev.relex.heads;

import dev.relex.engine.Gradients;
import dev.relex.engine.Linear;
import dev.relex.engine.Ops;

/**
 * Span representations (span_rep.py {@code SpanMarkerV0}; the token model's {@code TokenMarker} uses the
 * same maths on an explicit span list): {@code S(s, e) = MLP_out(ReLU([MLP_start(X)[s] ; MLP_end(X)[e]]))}.
 *
 * <p>Since ReLU acts element-wise on the concatenation, the first layer of {@code out_project} splits
 * into a start part and an end part that are computed once per word; a span then costs one addition,
 * one ReLU and the second layer only.
 */
final class SpanMarker {
    /** Spans per block of the second layer, bounding the hidden scratch to BLOCK·4D floats. */
    private static final int BLOCK = 256;

    private final Mlp start;
    private final Mlp end;
    private final Mlp out;
    private final int width;
    /** The start and end column halves of out_project's first layer (the end half carries the bias). */
    private final Linear startPart;
    private final Linear endPart;

    SpanMarker(Mlp start, Mlp end, Mlp out) {
        this.start = start;
        this.end = end;
        this.out = out;
        this.width = start.out();
        this.startPart = out.first().inputSlice(0, width, false);
        this.endPart = out.first().inputSlice(width, width, true);
    }

    static SpanMarker load(HeadWeights w, int d) {
        String p = "span_rep_layer.span_rep_layer.";
        return new SpanMarker(w.mlp(p + "project_start", d, d), w.mlp(p + "project_end", d, d),
                w.mlp(p + "out_project", 2 * d, d));
    }

    /**
     * Per-word parts of the first {@code out_project} layer for {@code words} rows of X: {@code parts}
     * receives [words, 4D] start parts followed by [words, 4D] end parts (the end part carries the bias).
     */
    void prepare(float[] x, int xOff, int words, float[] parts, Scratch scratch) {
        int d = width;
        int h4 = out.hidden();
        float[] hidden = scratch.floats((long) words * start.hidden());
        float[] a = scratch.floats((long) words * d);
        start.forward(x, xOff, words, hidden, a, 0);
        Ops.relu(a, 0, words * d);
        Ops.linear(a, 0, words, startPart, parts, 0);
        end.forward(x, xOff, words, hidden, a, 0);
        Ops.relu(a, 0, words * d);
        Ops.linear(a, 0, words, endPart, parts, words * h4);
    }

    /**
     * Representations of {@code count} spans given as (start, end) word pairs in {@code spans[2i], spans[2i+1]}
     * into dst[dstOff + i·D …], using the parts from {@link #prepare}.
     */
    void spans(float[] parts, int words, int[] spans, int count, float[] dst, int dstOff, Scratch scratch) {
        int h4 = out.hidden();
        float[] hidden = scratch.floats((long) Math.min(count, BLOCK) * h4);
        for (int b0 = 0; b0 < count; b0 += BLOCK) {
            int n = Math.min(BLOCK, count - b0);
            hiddenBlock(parts, words, spans, b0, n, hidden);
            Ops.linear(hidden, 0, n, out.second(), dst, dstOff + b0 * width);
        }
    }

    /**
     * Folds the second out_project layer into the entity prompts ({@link Mlp#foldSecond}): span logits then
     * cost 4D·C per span instead of 4D·D (the reference's own association differs only by float rounding).
     */
    void foldPrompts(float[] prompts, int classes, float[] folded, float[] bias) {
        out.foldSecond(prompts, 0, classes, folded, bias);
    }

    /** logits[i, c] = S(span i)·P[c] for {@code count} spans, via {@link #foldPrompts}. */
    void logits(float[] parts, int words, int[] spans, int count, float[] folded, float[] bias, int classes,
                float[] logits, Scratch scratch) {
        if (classes == 0) return;
        int h4 = out.hidden();
        float[] hidden = scratch.floats((long) Math.min(count, BLOCK) * h4);
        for (int b0 = 0; b0 < count; b0 += BLOCK) {
            int n = Math.min(BLOCK, count - b0);
            hiddenBlock(parts, words, spans, b0, n, hidden);
            Ops.gemmTransB(n, classes, h4, hidden, 0, h4, folded, 0, h4, logits, b0 * classes, classes, false, bias, 0);
        }
    }

    /** ReLU(start part[s] + end part[e]) for spans b0 … b0+n−1: the first out_project layer's output. */
    private void hiddenBlock(float[] parts, int words, int[] spans, int b0, int n, float[] hidden) {
        int h4 = out.hidden();
        int endBase = words * h4;
        for (int i = 0; i < n; i++) {
            int s = spans[2 * (b0 + i)];
            int e = spans[2 * (b0 + i) + 1];
            int row = i * h4;
            System.arraycopy(parts, s * h4, hidden, row, h4);
            Ops.add(hidden, row, parts, endBase + e * h4, h4);
        }
        Ops.relu(hidden, 0, n * h4);
    }

    /** 4D: floats per word and part. */
    int partWidth() {
        return out.hidden();
    }

    Mlp start() {
        return start;
    }

    Mlp end() {
        return end;
    }

    Mlp outProject() {
        return out;
    }

    /** Recomputes the start/end column halves of out_project's first layer after an update of its weights. */
    void refreshDerived() {
        startPart.refreshInputSlice(out.first(), 0);
        endPart.refreshInputSlice(out.first(), width);
    }

    /** What {@link #backward} needs of one training forward. */
    static final class State {
        int words;
        int count;
        int[] spans;
        final Mlp.State start = new Mlp.State();
        final Mlp.State end = new Mlp.State();
        /** MLP_start(X), MLP_end(X) [words, D] and their ReLUs. */
        float[] a, z, aRelu, zRelu;
        /** Per-word start and end parts of out_project's first layer [words, 4D] (the end part with bias). */
        float[] startParts, endParts;
        /** [count, 4D]: ReLU(first layer) after dropout, the input of out_project's second layer. */
        float[] hidden;
        /** [count, D] span representations. */
        float[] reps;
        float[] dHidden, dStartParts, dEndParts, dA, dZ;
    }

    /**
     * Training forward: representations of {@code count} spans ((start, end) pairs in {@code spans}, kept by
     * reference) of {@code words} rows of X (kept by reference) into {@code st.reps} [count, D], with the
     * canonical out_project weights (no folds) and dropout in each of the three projection blocks.
     */
    void forward(float[] x, int xOff, int words, int[] spans, int count, State st, Dropout dropout) {
        int d = width;
        int h4 = out.hidden();
        st.words = words;
        st.count = count;
        st.spans = spans;
        st.a = Buffers.grow(st.a, (long) words * d);
        st.z = Buffers.grow(st.z, (long) words * d);
        st.aRelu = Buffers.grow(st.aRelu, (long) words * d);
        st.zRelu = Buffers.grow(st.zRelu, (long) words * d);
        st.startParts = Buffers.grow(st.startParts, (long) words * h4);
        st.endParts = Buffers.grow(st.endParts, (long) words * h4);
        st.hidden = Buffers.grow(st.hidden, (long) count * h4);
        st.reps = Buffers.grow(st.reps, (long) count * d);
        if (words == 0) return;
        start.forward(x, xOff, words, st.a, 0, st.start, dropout);
        end.forward(x, xOff, words, st.z, 0, st.end, dropout);
        System.arraycopy(st.a, 0, st.aRelu, 0, words * d);
        System.arraycopy(st.z, 0, st.zRelu, 0, words * d);
        Ops.relu(st.aRelu, 0, words * d);
        Ops.relu(st.zRelu, 0, words * d);
        Linear first = out.first();
        Ops.gemmTransB(words, h4, d, st.aRelu, 0, d, first.weight(), 0, 2 * d, st.startParts, 0, h4, false, null, 0);
        Ops.gemmTransB(words, h4, d, st.zRelu, 0, d, first.weight(), d, 2 * d, st.endParts, 0, h4, false, first.bias(), 0);
        for (int i = 0; i < count; i++) {
            int row = i * h4;
            System.arraycopy(st.startParts, spans[2 * i] * h4, st.hidden, row, h4);
            Ops.add(st.hidden, row, st.endParts, spans[2 * i + 1] * h4, h4);
        }
        Ops.relu(st.hidden, 0, count * h4);
        dropout.apply(st.hidden, 0, count * h4);
        if (count > 0) Ops.linear(st.hidden, 0, count, out.second(), st.reps, 0);
    }

    /**
     * Backward of the training forward: from dReps [count, D] accumulates dX (+=) [words, D] at dxOff and
     * every span-marker gradient.
     */
    void backward(State st, float[] dReps, int dRepsOff, float[] dx, int dxOff, Dropout dropout, HeadParameters params) {
        int words = st.words, count = st.count;
        if (words == 0) return;
        int d = width;
        int h4 = out.hidden();
        Linear first = out.first();
        st.dHidden = Buffers.grow(st.dHidden, (long) count * h4);
        st.dStartParts = Buffers.zeroed(st.dStartParts, (long) words * h4);
        st.dEndParts = Buffers.zeroed(st.dEndParts, (long) words * h4);
        st.dA = Buffers.grow(st.dA, (long) words * d);
        st.dZ = Buffers.grow(st.dZ, (long) words * d);
        if (count > 0) {
            Gradients.linearBackward(st.hidden, 0, count, out.second(), dReps, dRepsOff, st.dHidden, 0, false,
                    params.grad(out.second().weight()), params.grad(out.second().bias()));
            dropout.reluBackward(st.hidden, 0, count * h4, st.dHidden, 0);
            // The first layer acts on [ReLU(A[s]) ; ReLU(Z[e])]: gather its output gradient per start and end word.
            for (int i = 0; i < count; i++) {
                Ops.add(st.dStartParts, st.spans[2 * i] * h4, st.dHidden, i * h4, h4);
                Ops.add(st.dEndParts, st.spans[2 * i + 1] * h4, st.dHidden, i * h4, h4);
            }
        }
        float[] gW1 = params.grad(first.weight());
        float[] gb1 = params.grad(first.bias());
        Gradients.gemmTransA(h4, d, words, st.dStartParts, 0, h4, st.aRelu, 0, d, gW1, 0, 2 * d, true);
        Gradients.gemmTransA(h4, d, words, st.dEndParts, 0, h4, st.zRelu, 0, d, gW1, d, 2 * d, true);
        for (int w = 0; w < words; w++) {
            for (int j = 0; j < h4; j++) gb1[j] += st.dEndParts[w * h4 + j];
        }
        Ops.gemm(words, d, h4, st.dStartParts, 0, h4, first.weight(), 0, 2 * d, st.dA, 0, d, false);
        Ops.gemm(words, d, h4, st.dEndParts, 0, h4, first.weight(), d, 2 * d, st.dZ, 0, d, false);
        Gradients.reluBackward(st.a, 0, words * d, st.dA, 0, st.dA, 0);
        Gradients.reluBackward(st.z, 0, words * d, st.dZ, 0, st.dZ, 0);
        start.backward(st.start, st.dA, 0, dx, dxOff, true, dropout, params);
        end.backward(st.end, st.dZ, 0, dx, dxOff, true, dropout, params);
    }
}
