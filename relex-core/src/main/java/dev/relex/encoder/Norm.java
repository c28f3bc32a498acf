package dev.relex.encoder;

import dev.relex.engine.Ops;

/** LayerNorm parameters; the arrays are never modified after construction. */
record Norm(float[] gamma, float[] beta, float eps) {
    void apply(float[] x, int off, int rows) {
        Ops.layerNorm(x, off, rows, gamma.length, gamma, beta, eps);
    }
}
