package dev.relex.heads;

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
    private final int width;

    private TokenScorer(Linear projToken, Linear projLabel, Linear outFirst, Linear outSecond, int width) {
        this.projToken = projToken;
        this.projLabel = projLabel;
        this.wordIn = outFirst.inputSlice(0, width, false);
        this.labelIn = outFirst.inputSlice(width, width, true);
        this.productIn = outFirst.inputSlice(2 * width, width, false);
        this.outSecond = outSecond;
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
}
