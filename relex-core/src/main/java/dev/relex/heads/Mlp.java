package dev.relex.heads;

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
}
