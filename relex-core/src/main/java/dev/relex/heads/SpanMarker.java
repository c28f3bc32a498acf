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
    private final Linear outFirst;
    private final Linear outSecond;
    private final int width;
    private final Linear startPart;
    private final Linear endPart;

    SpanMarker(Mlp start, Mlp end, Mlp out) {
        this.start = start;
        this.end = end;
        this.outFirst = out.first();
        this.outSecond = out.second();
        this.width = start.out();
        // The two column halves of out_project's first layer as layers of their own, so the engine can
        // keep them pre-packed (a strided half would be packed again on every call).
        this.startPart = columnHalf(outFirst, 0, false);
        this.endPart = columnHalf(outFirst, 1, true);
    }

    /**
     * Columns [half·in/2, (half+1)·in/2) of a layer's weight as a layer of width in/2 (a copy), with the
     * layer's bias or none: x·W[:, half]ᵀ for the two halves of a concatenated input.
     */
    static Linear columnHalf(Linear layer, int half, boolean withBias) {
        int d = layer.in() / 2, out = layer.out();
        float[] w = layer.weight();
        float[] part = new float[out * d];
        for (int r = 0; r < out; r++) System.arraycopy(w, r * 2 * d + half * d, part, r * d, d);
        return new Linear(part, withBias ? layer.bias() : null, d, out);
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
        int h4 = outFirst.out();
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
     * into out[i·D …], using the parts from {@link #prepare}.
     */
    void spans(float[] parts, int words, int[] spans, int count, float[] out, int outOff, Scratch scratch) {
        int h4 = outFirst.out();
        float[] hidden = scratch.floats((long) Math.min(count, BLOCK) * h4);
        for (int b0 = 0; b0 < count; b0 += BLOCK) {
            int n = Math.min(BLOCK, count - b0);
            hiddenBlock(parts, words, spans, b0, n, hidden);
            Ops.linear(hidden, 0, n, outSecond, out, outOff + b0 * width);
        }
    }

    /**
     * Folds the second out_project layer into the entity prompts: since
     * {@code S·p = ReLU(u)·(W₂ᵀ p) + b₂·p}, {@code folded[c] = W₂ᵀ P[c]} (4D wide) and {@code bias[c] = b₂·P[c]}.
     * Span logits then cost 4D·C per span instead of 4D·D (the reference's own association differs only
     * by float rounding).
     */
    void foldPrompts(float[] prompts, int classes, float[] folded, float[] bias) {
        if (classes == 0) return;
        foldInto(prompts, 0, classes, width, outSecond.weight(), outFirst.out(), folded);
        for (int c = 0; c < classes; c++) bias[c] = Ops.dot(outSecond.bias(), 0, prompts, c * width, width);
    }

    /**
     * folded[c, :] = Σ_k P[c, k] · W[k, :] for rows c &lt; rows of P (width k) and W [k, n], as row updates:
     * for a handful of prompts this beats a matrix product, which would pack all of W on every call.
     */
    static void foldInto(float[] p, int pOff, int rows, int k, float[] w, int n, float[] folded) {
        java.util.Arrays.fill(folded, 0, rows * n, 0f);
        for (int c = 0; c < rows; c++) {
            for (int j = 0; j < k; j++) Ops.axpy(p[pOff + c * k + j], w, j * n, folded, c * n, n);
        }
    }

    /** logits[i, c] = S(span i)·P[c] for {@code count} spans, via {@link #foldPrompts}. */
    void logits(float[] parts, int words, int[] spans, int count, float[] folded, float[] bias, int classes,
                float[] logits, Scratch scratch) {
        if (classes == 0) return;
        int h4 = outFirst.out();
        float[] hidden = scratch.floats((long) Math.min(count, BLOCK) * h4);
        for (int b0 = 0; b0 < count; b0 += BLOCK) {
            int n = Math.min(BLOCK, count - b0);
            hiddenBlock(parts, words, spans, b0, n, hidden);
            Ops.gemmTransB(n, classes, h4, hidden, 0, h4, folded, 0, h4, logits, b0 * classes, classes, false, bias, 0);
        }
    }

    /** ReLU(start part[s] + end part[e]) for spans b0 … b0+n−1: the first out_project layer's output. */
    private void hiddenBlock(float[] parts, int words, int[] spans, int b0, int n, float[] hidden) {
        int h4 = outFirst.out();
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
        return outFirst.out();
    }
}
