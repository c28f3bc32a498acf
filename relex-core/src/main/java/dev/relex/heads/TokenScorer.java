package dev.relex.heads;

import dev.relex.engine.Gradients;
import dev.relex.engine.Linear;
import dev.relex.engine.Ops;

/**
 * The token-level head (scorers.py {@code Scorer}): for word w and label c,
 * {@code z = [t0[w] ; l0[c] ; t1[w] ⊙ l1[c]]} with {@code [t0 ; t1] = proj_token(X[w])} and
 * {@code [l0 ; l1] = proj_label(P[c])}, then Linear(3D→4D) → ReLU → Linear(4D→3) gives the
 * [start, end, inside] logits. The first out_mlp layer is split by input block: the t0 and l0 parts are
 * computed once per word and once per label, only the product part once per (word, label).
 */
final class TokenScorer {
    private static final int BLOCK = 256;

    private final Linear projToken;
    private final Linear projLabel;
    /** The t0, l0 and product input blocks of out_mlp's first layer (the l0 block carries the bias). */
    private final Linear wordIn;
    private final Linear labelIn;
    private final Linear productIn;
    private final Linear outSecond;
    private final Linear outFirst;
    private final int width;

    private TokenScorer(Linear projToken, Linear projLabel, Linear outFirst, Linear outSecond, int width) {
        this.projToken = projToken;
        this.projLabel = projLabel;
        this.wordIn = outFirst.inputSlice(0, width, false);
        this.labelIn = outFirst.inputSlice(width, width, true);
        this.productIn = outFirst.inputSlice(2 * width, width, false);
        this.outSecond = outSecond;
        this.outFirst = outFirst;
        this.width = width;
    }

    static TokenScorer load(HeadWeights w, int d) {
        return new TokenScorer(w.linear("scorer.proj_token", d, 2 * d), w.linear("scorer.proj_label", d, 2 * d),
                w.linear("scorer.out_mlp.0", 3 * d, 4 * d), w.linear("scorer.out_mlp.3", 4 * d, 3), d);
    }

    /** logits[w, c, 3] for {@code words} rows of X and {@code labels} rows of P (entity prompts after the MLP). */
    void score(float[] x, int xOff, int words, float[] prompts, int pOff, int labels, float[] logits, int lOff,
               Scratch scratch) {
        if (words == 0 || labels == 0) return;
        int d = width;
        int d2 = 2 * d;
        int h4 = wordIn.out();
        float[] tok = scratch.floats((long) words * d2);
        float[] lab = scratch.floats((long) labels * d2);
        Ops.linear(x, xOff, words, projToken, tok, 0);
        Ops.linear(prompts, pOff, labels, projLabel, lab, 0);
        // Per-word part W[:, 0:D]·t0 and per-label part W[:, D:2D]·l0 + b.
        float[] wordPart = scratch.floats((long) words * h4);
        float[] labelPart = scratch.floats((long) labels * h4);
        Ops.linear(tok, 0, d2, words, wordIn, wordPart, 0, h4);
        Ops.linear(lab, 0, d2, labels, labelIn, labelPart, 0, h4);
        int pairs = words * labels;
        int block = Math.min(pairs, BLOCK);
        float[] prod = scratch.floats((long) block * d);
        float[] hidden = scratch.floats((long) block * h4);
        for (int p0 = 0; p0 < pairs; p0 += BLOCK) {
            int n = Math.min(BLOCK, pairs - p0);
            for (int i = 0; i < n; i++) {
                int w = (p0 + i) / labels;
                int c = (p0 + i) % labels;
                int t1 = w * d2 + d;
                int l1 = c * d2 + d;
                int row = i * d;
                for (int k = 0; k < d; k++) prod[row + k] = tok[t1 + k] * lab[l1 + k];
            }
            Ops.linear(prod, 0, n, productIn, hidden, 0);
            for (int i = 0; i < n; i++) {
                int w = (p0 + i) / labels;
                int c = (p0 + i) % labels;
                Ops.add(hidden, i * h4, wordPart, w * h4, h4);
                Ops.add(hidden, i * h4, labelPart, c * h4, h4);
            }
            Ops.relu(hidden, 0, n * h4);
            Ops.linear(hidden, 0, n, outSecond, logits, lOff + p0 * 3);
        }
    }

    /** Recomputes the input-block slices of out_mlp's first layer after an update of its weights. */
    void refreshDerived() {
        wordIn.refreshInputSlice(outFirst, 0);
        labelIn.refreshInputSlice(outFirst, width);
        productIn.refreshInputSlice(outFirst, 2 * width);
    }

    /** What {@link #backward} needs of one training forward. */
    static final class State {
        int words, labels;
        float[] x, prompts;
        int xOff, pOff;
        /** proj_token(X) [words, 2D], proj_label(P) [labels, 2D]. */
        float[] tok, lab;
        /** t1[w] ⊙ l1[c] [words·labels, D]. */
        float[] prod;
        /** [words·labels, 4D] after dropout and ReLU. */
        float[] hidden;
        float[] wordPart, labelPart;
        float[] dHidden, dProd, dWordPart, dLabelPart, dTok, dLab;
    }

    /**
     * Training forward with the canonical out_mlp weights: logits [words, labels, 3] at lOff; X and P are
     * kept by reference. The reference's dropout sits between the first Linear and the ReLU, which equals
     * dropout after the ReLU (a positive scale commutes with ReLU).
     */
    void forward(float[] x, int xOff, int words, float[] prompts, int pOff, int labels, float[] logits, int lOff,
                 State st, Dropout dropout) {
        int d = width;
        int d2 = 2 * d, d3 = 3 * d;
        int h4 = outFirst.out();
        int pairs = words * labels;
        st.words = words;
        st.labels = labels;
        st.x = x;
        st.xOff = xOff;
        st.prompts = prompts;
        st.pOff = pOff;
        st.tok = Buffers.grow(st.tok, (long) words * d2);
        st.lab = Buffers.grow(st.lab, (long) labels * d2);
        st.wordPart = Buffers.grow(st.wordPart, (long) words * h4);
        st.labelPart = Buffers.grow(st.labelPart, (long) labels * h4);
        st.prod = Buffers.grow(st.prod, (long) pairs * d);
        st.hidden = Buffers.grow(st.hidden, (long) pairs * h4);
        if (pairs == 0) return;
        Ops.linear(x, xOff, words, projToken, st.tok, 0);
        Ops.linear(prompts, pOff, labels, projLabel, st.lab, 0);
        float[] w1 = outFirst.weight();
        Ops.gemmTransB(words, h4, d, st.tok, 0, d2, w1, 0, d3, st.wordPart, 0, h4, false, null, 0);
        Ops.gemmTransB(labels, h4, d, st.lab, 0, d2, w1, d, d3, st.labelPart, 0, h4, false, outFirst.bias(), 0);
        for (int w = 0; w < words; w++) {
            for (int c = 0; c < labels; c++) {
                int row = (w * labels + c) * d;
                for (int k = 0; k < d; k++) st.prod[row + k] = st.tok[w * d2 + d + k] * st.lab[c * d2 + d + k];
            }
        }
        Ops.gemmTransB(pairs, h4, d, st.prod, 0, d, w1, d2, d3, st.hidden, 0, h4, false, null, 0);
        for (int w = 0; w < words; w++) {
            for (int c = 0; c < labels; c++) {
                int row = (w * labels + c) * h4;
                Ops.add(st.hidden, row, st.wordPart, w * h4, h4);
                Ops.add(st.hidden, row, st.labelPart, c * h4, h4);
            }
        }
        Ops.relu(st.hidden, 0, pairs * h4);
        dropout.apply(st.hidden, 0, pairs * h4);
        Ops.linear(st.hidden, 0, pairs, outSecond, logits, lOff);
    }

    /**
     * Backward of the training forward from dLogits [words, labels, 3]: accumulates dX (+=) and dP (+=)
     * and every scorer gradient.
     */
    void backward(State st, float[] dLogits, int dOff, float[] dx, int dxOff, float[] dPrompts, int dpOff,
                  Dropout dropout, HeadParameters params) {
        int words = st.words, labels = st.labels;
        int pairs = words * labels;
        if (pairs == 0) return;
        int d = width;
        int d2 = 2 * d, d3 = 3 * d;
        int h4 = outFirst.out();
        float[] w1 = outFirst.weight();
        st.dHidden = Buffers.grow(st.dHidden, (long) pairs * h4);
        st.dProd = Buffers.grow(st.dProd, (long) pairs * d);
        st.dWordPart = Buffers.zeroed(st.dWordPart, (long) words * h4);
        st.dLabelPart = Buffers.zeroed(st.dLabelPart, (long) labels * h4);
        st.dTok = Buffers.grow(st.dTok, (long) words * d2);
        st.dLab = Buffers.grow(st.dLab, (long) labels * d2);
        Gradients.linearBackward(st.hidden, 0, pairs, outSecond, dLogits, dOff, st.dHidden, 0, false,
                params.grad(outSecond.weight()), params.grad(outSecond.bias()));
        dropout.reluBackward(st.hidden, 0, pairs * h4, st.dHidden, 0);
        float[] gW1 = params.grad(w1);
        float[] gb1 = params.grad(outFirst.bias());
        Gradients.gemmTransA(h4, d, pairs, st.dHidden, 0, h4, st.prod, 0, d, gW1, d2, d3, true);
        Ops.gemm(pairs, d, h4, st.dHidden, 0, h4, w1, d2, d3, st.dProd, 0, d, false);
        for (int w = 0; w < words; w++) {
            for (int c = 0; c < labels; c++) {
                int row = (w * labels + c) * h4;
                Ops.add(st.dWordPart, w * h4, st.dHidden, row, h4);
                Ops.add(st.dLabelPart, c * h4, st.dHidden, row, h4);
            }
        }
        Gradients.gemmTransA(h4, d, words, st.dWordPart, 0, h4, st.tok, 0, d2, gW1, 0, d3, true);
        Gradients.gemmTransA(h4, d, labels, st.dLabelPart, 0, h4, st.lab, 0, d2, gW1, d, d3, true);
        for (int c = 0; c < labels; c++) {
            for (int j = 0; j < h4; j++) gb1[j] += st.dLabelPart[c * h4 + j];
        }
        // d[t0 ; t1] and d[l0 ; l1].
        Ops.gemm(words, d, h4, st.dWordPart, 0, h4, w1, 0, d3, st.dTok, 0, d2, false);
        Ops.gemm(labels, d, h4, st.dLabelPart, 0, h4, w1, d, d3, st.dLab, 0, d2, false);
        for (int w = 0; w < words; w++) java.util.Arrays.fill(st.dTok, w * d2 + d, w * d2 + d2, 0f);
        for (int c = 0; c < labels; c++) java.util.Arrays.fill(st.dLab, c * d2 + d, c * d2 + d2, 0f);
        for (int w = 0; w < words; w++) {
            for (int c = 0; c < labels; c++) {
                int row = (w * labels + c) * d;
                int t1 = w * d2 + d, l1 = c * d2 + d;
                for (int k = 0; k < d; k++) {
                    float g = st.dProd[row + k];
                    st.dTok[t1 + k] += g * st.lab[l1 + k];
                    st.dLab[l1 + k] += g * st.tok[t1 + k];
                }
            }
        }
        Gradients.linearBackward(st.x, st.xOff, words, projToken, st.dTok, 0, dx, dxOff, true,
                params.grad(projToken.weight()), params.grad(projToken.bias()));
        Gradients.linearBackward(st.prompts, st.pOff, labels, projLabel, st.dLab, 0, dPrompts, dpOff, true,
                params.grad(projLabel.weight()), params.grad(projLabel.bias()));
    }
}
