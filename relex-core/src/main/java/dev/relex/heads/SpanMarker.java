package dev.relex.heads;

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
}
