package dev.relex.heads;

import dev.relex.engine.Gradients;
import dev.relex.engine.Linear;
import dev.relex.engine.Ops;

/**
 * GLiNER's word encoder (layers.py {@code LstmSeq2SeqEncoder}): a bidirectional, multi-layer torch LSTM
 * with hidden size D/2 per direction, run on one text's real words only (as the packed sequence of the
 * reference: the backward direction starts at the last word). Output row = [forward h ; backward h].
 * Gate rows are ordered i, f, g, o as in torch.
 */
final class BiLstm {
    /** One direction of one layer: input-to-gates (with b_ih) and hidden-to-gates (with b_hh). */
    record Direction(Linear inputToGates, Linear hiddenToGates) {}

    private final Direction[] forward;
    private final Direction[] backward;
    private final int width;
    private final int hidden;

    private BiLstm(Direction[] forward, Direction[] backward, int width) {
        this.forward = forward;
        this.backward = backward;
        this.width = width;
        this.hidden = width / 2;
    }

    /** Loads {@code rnn.lstm.*} for {@code layers} layers of width {@code width} (D). */
    static BiLstm load(HeadWeights w, int layers, int width) {
        int h = width / 2;
        Direction[] fwd = new Direction[layers];
        Direction[] bwd = new Direction[layers];
        for (int k = 0; k < layers; k++) {
            fwd[k] = direction(w, "rnn.lstm.", "_l" + k, width, h);
            bwd[k] = direction(w, "rnn.lstm.", "_l" + k + "_reverse", width, h);
        }
        return new BiLstm(fwd, bwd, width);
    }

    private static Direction direction(HeadWeights w, String prefix, String suffix, int in, int h) {
        Linear ih = new Linear(w.tensor(prefix + "weight_ih" + suffix, 4L * h, in),
                w.tensor(prefix + "bias_ih" + suffix, 4L * h), in, 4 * h);
        Linear hh = new Linear(w.tensor(prefix + "weight_hh" + suffix, 4L * h, h),
                w.tensor(prefix + "bias_hh" + suffix, 4L * h), h, 4 * h);
        return new Direction(ih, hh);
    }

    int layers() {
        return forward.length;
    }

    /**
     * Runs all layers over {@code words} rows of x (width D) and writes the final [words, D] output to y.
     * x is not modified; y must not alias x.
     */
    void forward(float[] x, int xOff, int words, float[] y, int yOff, Scratch scratch) {
        if (words == 0) return;
        int gates = 4 * hidden;
        // One set of buffers per direction: the two directions are independent and run as two tasks.
        float[] preF = scratch.floats((long) words * gates);
        float[] preB = scratch.floats((long) words * gates);
        float[] stepF = scratch.floats(2L * gates + 2L * hidden);
        float[] stepB = scratch.floats(2L * gates + 2L * hidden);
        float[] other = forward.length > 1 ? scratch.floats((long) words * width) : null;
        float[] in = x;
        int inOff = xOff;
        for (int layer = 0; layer < forward.length; layer++) {
            // Write the last layer into y and intermediate layers alternately into y and 'other' so
            // that a layer never reads and writes the same buffer.
            boolean last = layer == forward.length - 1;
            float[] out;
            int outOff;
            if (last || (forward.length - 1 - layer) % 2 == 0) {
                out = y;
                outOff = yOff;
            } else {
                out = other;
                outOff = 0;
            }
            Direction f = forward[layer], b = backward[layer];
            float[] src = in, dst = out;
            int srcOff = inOff, dstOff = outOff;
            Ops.parallelFor(2, dir -> {
                if (dir == 0) run(f, false, src, srcOff, words, dst, dstOff, preF, stepF);
                else run(b, true, src, srcOff, words, dst, dstOff + hidden, preB, stepB);
            });
            in = out;
            inOff = outOff;
        }
    }

    /** One direction; writes h_t into out[t·D + (0 or H) …]. */
    private void run(Direction d, boolean reverse, float[] in, int inOff, int words, float[] out, int outOff,
                     float[] pre, float[] step) {
        int h = hidden;
        int gates = 4 * h;
        Ops.linear(in, inOff, words, d.inputToGates(), pre, 0);
        // step = [gates | h | c | recurrent gates]
        int hOff = gates;
        int cOff = gates + h;
        int recOff = gates + 2 * h;
        java.util.Arrays.fill(step, hOff, cOff + h, 0f);
        for (int s = 0; s < words; s++) {
            int t = reverse ? words - 1 - s : s;
            // W_hh·h + b_hh as a one-row product on the pre-packed weights (no horizontal sums).
            Ops.linear(step, hOff, 1, d.hiddenToGates(), step, recOff);
            int preOff = t * gates;
            for (int r = 0; r < gates; r++) {
                step[r] = pre[preOff + r] + step[recOff + r];
            }
            // Gate non-linearities vectorised: i, f → sigmoid; g → tanh; o → sigmoid.
            Ops.sigmoid(step, 0, 2 * h);
            Ops.tanh(step, 2 * h, h);
            Ops.sigmoid(step, 3 * h, h);
            for (int j = 0; j < h; j++) {
                float c = step[h + j] * step[cOff + j] + step[j] * step[2 * h + j];
                step[cOff + j] = c;
                step[recOff + j] = c;
            }
            Ops.tanh(step, recOff, h);
            int o = outOff + t * width;
            for (int j = 0; j < h; j++) {
                float hv = step[3 * h + j] * step[recOff + j];
                step[hOff + j] = hv;
                out[o + j] = hv;
            }
        }
    }

    /** Every LSTM tensor with its direction's layer, for refreshing packed copies. */
    Direction[] directions() {
        Direction[] all = new Direction[2 * forward.length];
        for (int k = 0; k < forward.length; k++) {
            all[2 * k] = forward[k];
            all[2 * k + 1] = backward[k];
        }
        return all;
    }

    /**
     * What backward-through-time needs of one training forward: per layer its input (layer 0 by
     * reference) and output [words, D], and per layer and direction the activated gates i, f, g, o
     * [words, 4H], the cell states and their tanh [words, H], indexed by word position.
     */
    static final class State {
        int words;
        float[] input0;
        int input0Off;
        float[][] outputs = new float[0][];
        float[][] gates = new float[0][];
        float[][] cells = new float[0][];
        float[][] tanhCells = new float[0][];
        float[] dGates;
        float[] dOut;
        float[] dIn;
        float[] step;
    }

    /** The last layer's output [words, D] of the latest training forward. */
    static float[] output(State st) {
        return st.outputs[st.outputs.length - 1];
    }

    /** Training forward over {@code words} rows of x (kept by reference until backward); output in {@link #output}. */
    void forward(float[] x, int xOff, int words, State st) {
        int layers = forward.length;
        int h = hidden;
        if (st.outputs.length != layers) {
            st.outputs = new float[layers][];
            st.gates = new float[2 * layers][];
            st.cells = new float[2 * layers][];
            st.tanhCells = new float[2 * layers][];
        }
        st.words = words;
        st.input0 = x;
        st.input0Off = xOff;
        st.step = Buffers.grow(st.step, 4L * h);
        float[] in = x;
        int inOff = xOff;
        for (int layer = 0; layer < layers; layer++) {
            st.outputs[layer] = Buffers.grow(st.outputs[layer], (long) words * width);
            for (int dir = 0; dir < 2; dir++) {
                int k = 2 * layer + dir;
                st.gates[k] = Buffers.grow(st.gates[k], (long) words * 4 * h);
                st.cells[k] = Buffers.grow(st.cells[k], (long) words * h);
                st.tanhCells[k] = Buffers.grow(st.tanhCells[k], (long) words * h);
                runTraining(dir == 0 ? forward[layer] : backward[layer], dir == 1, in, inOff, words, st.outputs[layer],
                        dir * h, st.gates[k], st.cells[k], st.tanhCells[k], st.step);
            }
            in = st.outputs[layer];
            inOff = 0;
        }
    }

    /** One direction, as {@link #run} but keeping gates and cells; h_t goes to out[t·D + outOff …]. */
    private void runTraining(Direction d, boolean reverse, float[] in, int inOff, int words, float[] out, int outOff,
                             float[] gates, float[] cells, float[] tanhCells, float[] rec) {
        int h = hidden;
        int g4 = 4 * h;
        if (words == 0) return;
        Ops.linear(in, inOff, words, d.inputToGates(), gates, 0);
        for (int s = 0; s < words; s++) {
            int t = reverse ? words - 1 - s : s;
            int prev = reverse ? t + 1 : t - 1;
            int go = t * g4;
            if (s == 0) {
                System.arraycopy(d.hiddenToGates().bias(), 0, rec, 0, g4);
            } else {
                Ops.linear(out, prev * width + outOff, 1, d.hiddenToGates(), rec, 0);
            }
            for (int r = 0; r < g4; r++) gates[go + r] += rec[r];
            Ops.sigmoid(gates, go, 2 * h);
            Ops.tanh(gates, go + 2 * h, h);
            Ops.sigmoid(gates, go + 3 * h, h);
            for (int j = 0; j < h; j++) {
                float cPrev = s == 0 ? 0f : cells[prev * h + j];
                float c = gates[go + h + j] * cPrev + gates[go + j] * gates[go + 2 * h + j];
                cells[t * h + j] = c;
                tanhCells[t * h + j] = c;
            }
            Ops.tanh(tanhCells, t * h, h);
            for (int j = 0; j < h; j++) out[t * width + outOff + j] = gates[go + 3 * h + j] * tanhCells[t * h + j];
        }
    }

    /**
     * Backward through time of the latest training forward: from dOutput [words, D] (the last layer's
     * output gradient; not modified) writes dx [words, D] at dxOff and accumulates all LSTM gradients.
     */
    void backward(State st, float[] dOutput, int dOutOff, float[] dx, int dxOff, HeadParameters params) {
        int words = st.words;
        if (words == 0) return;
        int h = hidden;
        int layers = forward.length;
        st.dGates = Buffers.grow(st.dGates, (long) words * 4 * h);
        st.dOut = Buffers.grow(st.dOut, (long) words * width);
        st.dIn = Buffers.grow(st.dIn, (long) words * width);
        st.step = Buffers.grow(st.step, 2L * h);
        System.arraycopy(dOutput, dOutOff, st.dOut, 0, words * width);
        for (int layer = layers - 1; layer >= 0; layer--) {
            float[] in = layer == 0 ? st.input0 : st.outputs[layer - 1];
            int inOff = layer == 0 ? st.input0Off : 0;
            float[] target = layer == 0 ? dx : st.dIn;
            int targetOff = layer == 0 ? dxOff : 0;
            for (int dir = 0; dir < 2; dir++) {
                int k = 2 * layer + dir;
                Direction d = dir == 0 ? forward[layer] : backward[layer];
                backwardDirection(d, dir == 1, st, k, st.outputs[layer], dir * h);
                Linear ih = d.inputToGates();
                Linear hh = d.hiddenToGates();
                // dW_ih += dGatesᵀ·input, dinput (+)= dGates·W_ih, both biases += Σ dGates.
                Gradients.linearBackward(in, inOff, words, ih, st.dGates, 0, target, targetOff, dir == 1,
                        params.grad(ih.weight()), params.grad(ih.bias()));
                float[] gbhh = params.grad(hh.bias());
                for (int t = 0; t < words; t++) {
                    for (int r = 0; r < 4 * h; r++) gbhh[r] += st.dGates[t * 4 * h + r];
                }
                // dW_hh += Σ_t dGates[t]ᵀ·h_prev(t): forward h_prev(t) = h[t−1], reverse h_prev(t) = h[t+1].
                if (words > 1) {
                    int gRow = dir == 0 ? 1 : 0;
                    int hRow = dir == 0 ? 0 : 1;
                    Gradients.gemmTransA(4 * h, h, words - 1, st.dGates, gRow * 4 * h, 4 * h, st.outputs[layer],
                            hRow * width + dir * h, width, params.grad(hh.weight()), 0, h, true);
                }
            }
            if (layer > 0) System.arraycopy(st.dIn, 0, st.dOut, 0, words * width);
        }
    }

    /** dGates [words, 4H] (pre-activation) of one direction from st.dOut, back through time. */
    private void backwardDirection(Direction d, boolean reverse, State st, int k, float[] out, int outOff) {
        int words = st.words;
        int h = hidden;
        int g4 = 4 * h;
        float[] gates = st.gates[k];
        float[] cells = st.cells[k];
        float[] tanhCells = st.tanhCells[k];
        float[] dG = st.dGates;
        float[] dh = st.step;          // [0, h): recurrent dh from the later step
        int dcOff = h;                 // [h, 2h): recurrent dc from the later step
        java.util.Arrays.fill(dh, 0, 2 * h, 0f);
        float[] wHh = d.hiddenToGates().weight();
        for (int s = words - 1; s >= 0; s--) {
            int t = reverse ? words - 1 - s : s;
            int prev = reverse ? t + 1 : t - 1;
            int go = t * g4;
            for (int j = 0; j < h; j++) {
                float gi = gates[go + j], gf = gates[go + h + j], gg = gates[go + 2 * h + j], go_ = gates[go + 3 * h + j];
                float tc = tanhCells[t * h + j];
                float dhj = st.dOut[t * width + outOff + j] + dh[j];
                float dc = dh[dcOff + j] + dhj * go_ * (1f - tc * tc);
                float cPrev = s == 0 ? 0f : cells[prev * h + j];
                dG[go + j] = dc * gg * gi * (1f - gi);
                dG[go + h + j] = dc * cPrev * gf * (1f - gf);
                dG[go + 2 * h + j] = dc * gi * (1f - gg * gg);
                dG[go + 3 * h + j] = dhj * tc * go_ * (1f - go_);
                dh[dcOff + j] = dc * gf;
            }
            // dh_prev = dGates[t]·W_hh ([1, 4H] × [4H, H]).
            Ops.gemm(1, h, g4, dG, go, g4, wHh, 0, h, dh, 0, h, false);
        }
    }
}
