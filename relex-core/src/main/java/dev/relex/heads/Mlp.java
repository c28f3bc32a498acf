package dev.relex.heads;

import dev.relex.engine.Gradients;
import dev.relex.engine.Linear;
import dev.relex.engine.Ops;

/**
 * GLiNER's projection block (layers.py {@code create_projection_layer}): Linear → ReLU → (Dropout) →
 * Linear, the hidden width being four times the output width.
 */
record Mlp(Linear first, Linear second) {
    Mlp {
        if (first.out() != second.in()) {
            throw new IllegalArgumentException("MLP layers do not chain: " + first.out() + " vs " + second.in());
        }
    }

    int in() {
        return first.in();
    }

    int hidden() {
        return first.out();
    }

    int out() {
        return second.out();
    }

    /** y[rows, out] = MLP(x[rows, in]); {@code hidden} needs rows·hidden() floats. */
    void forward(float[] x, int xOff, int rows, float[] hidden, float[] y, int yOff) {
        if (rows == 0) return;
        Ops.linear(x, xOff, rows, first, hidden, 0);
        Ops.relu(hidden, 0, rows * first.out());
        Ops.linear(hidden, 0, rows, second, y, yOff);
    }

    /**
     * Folds the second layer into {@code rows} prompt vectors P (width out(), from {@code pOff}): since
     * {@code (W₂h + b₂)·p = h·(W₂ᵀp) + b₂·p}, {@code folded[r] = W₂ᵀ P[r]} (hidden() wide) and
     * {@code bias[r] = b₂·P[r]}. Scoring many hidden rows against a few prompts then costs hidden()
     * per prompt instead of a hidden() × out() product per row. W₂ᵀP is built from row updates: for a
     * handful of prompts that beats a matrix product, which would pack all of W₂ on every call.
     */
    void foldSecond(float[] p, int pOff, int rows, float[] folded, float[] bias) {
        int k = out(), n = hidden();
        float[] w = second.weight();
        java.util.Arrays.fill(folded, 0, rows * n, 0f);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) Ops.axpy(p[pOff + r * k + j], w, j * n, folded, r * n, n);
            bias[r] = Ops.dot(second.bias(), 0, p, pOff + r * k, k);
        }
    }

    /** What {@link #backward} needs of one training forward: the input (by reference) and the hidden layer. */
    static final class State {
        float[] input;
        int inputOff;
        int rows;
        /** [rows, hidden()] after ReLU and dropout. */
        float[] hidden;
        float[] dHidden;
    }

    /**
     * Training forward: as {@link #forward} with dropout after the ReLU (the reference's place), keeping the
     * input (x must stay unchanged until backward) and hidden layer in {@code st}.
     */
    void forward(float[] x, int xOff, int rows, float[] y, int yOff, State st, Dropout dropout) {
        st.input = x;
        st.inputOff = xOff;
        st.rows = rows;
        st.hidden = Buffers.grow(st.hidden, (long) rows * hidden());
        if (rows == 0) return;
        Ops.linear(x, xOff, rows, first, st.hidden, 0);
        Ops.relu(st.hidden, 0, rows * hidden());
        dropout.apply(st.hidden, 0, rows * hidden());
        Ops.linear(st.hidden, 0, rows, second, y, yOff);
    }

    /**
     * Backward of the training forward: dx (=, or += when {@code accumulateDx}) from dy; parameter
     * gradients accumulated. dx may be null.
     */
    void backward(State st, float[] dy, int dyOff, float[] dx, int dxOff, boolean accumulateDx, Dropout dropout,
                  HeadParameters params) {
        int rows = st.rows;
        if (rows == 0) return;
        st.dHidden = Buffers.grow(st.dHidden, (long) rows * hidden());
        Gradients.linearBackward(st.hidden, 0, rows, second, dy, dyOff, st.dHidden, 0, false,
                params.grad(second.weight()), params.grad(second.bias()));
        dropout.reluBackward(st.hidden, 0, rows * hidden(), st.dHidden, 0);
        Gradients.linearBackward(st.input, st.inputOff, rows, first, st.dHidden, 0, dx, dxOff, accumulateDx,
                params.grad(first.weight()), params.grad(first.bias()));
    }
}
