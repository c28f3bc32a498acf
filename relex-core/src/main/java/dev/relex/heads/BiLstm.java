package dev.relex.heads;

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
}
