package dev.relex.encoder;

import dev.relex.engine.Ops;
import dev.relex.engine.Workspace;

import java.util.Arrays;

/**
 * A post-LayerNorm transformer encoder covering BERT (absolute positions) and DeBERTa-v2/v3
 * (disentangled relative attention). Immutable and thread-safe; per-call scratch comes from the
 * calling thread's {@link Workspace}.
 *
 * <p>Each sequence is processed only up to its last real token (later positions are padding that
 * cannot influence real tokens, since padded keys get zero attention); the real prefixes of the whole
 * batch are packed row after row so the dense layers run as one large matrix product. Positions after
 * a sequence's last real token receive zeros in the output.
 */
final class TransformerEncoder implements Encoder {
    /** Workspace slots reserved for the encoder (other components use lower numbers). */
    static final int SLOT_X = 40, SLOT_QKV = 41, SLOT_CTX = 42, SLOT_H = 43, SLOT_INTER = 44,
            SLOT_SCORES = 45, SLOT_C2P = 46, SLOT_P2C = 47, SLOT_EMB = 48, SLOT_LENGTHS = 40, SLOT_ROWS = 41;
    /** Rows per FFN block: bounds the intermediate buffer and keeps it in cache. */
    private static final int FFN_ROWS = 128;

    enum Activation { GELU, RELU }

    private final int hidden;
    private final int heads;
    private final int headDim;
    private final int allHead;
    private final Embeddings embeddings;
    private final TransformerLayer[] layers;
    private final RelativePositions relative; // null: no relative attention (BERT)
    private final boolean c2p;
    private final boolean p2c;
    private final float scale;
    private final Activation activation;

    TransformerEncoder(int hidden, int heads, int headDim, Embeddings embeddings, TransformerLayer[] layers,
                       RelativePositions relative, boolean c2p, boolean p2c, float scale, Activation activation) {
        this.hidden = hidden;
        this.heads = heads;
        this.headDim = headDim;
        this.allHead = heads * headDim;
        this.embeddings = embeddings;
        this.layers = layers.clone();
        this.relative = relative;
        this.c2p = relative != null && c2p;
        this.p2c = relative != null && p2c;
        this.scale = scale;
        this.activation = activation;
    }

    @Override
    public int hiddenSize() {
        return hidden;
    }

    int numLayers() {
        return layers.length;
    }

    @Override
    public void forward(int[] inputIds, int[] attentionMask, int batch, int seqLen, float[] out) {
        forward(inputIds, attentionMask, batch, seqLen, out, layers.length);
    }

    /**
     * Runs the embeddings and the first {@code numLayers} layers (0 = embedding output only); used by
     * tests to compare intermediate layers.
     */
    void forward(int[] ids, int[] mask, int batch, int seqLen, float[] out, int numLayers) {
        checkArguments(ids, mask, batch, seqLen, out);
        if (numLayers < 0 || numLayers > layers.length) {
            throw new IllegalArgumentException("numLayers " + numLayers + " not in [0, " + layers.length + "]");
        }
        Workspace ws = Workspace.get();
        int[] lengths = ws.ints(SLOT_LENGTHS, Math.max(batch, 1));
        int total = 0;
        int longest = 0;
        for (int b = 0; b < batch; b++) {
            int len = 0;
            for (int t = seqLen - 1; t >= 0; t--) {
                if (mask[b * seqLen + t] != 0) {
                    len = t + 1;
                    break;
                }
            }
            lengths[b] = len;
            total += len;
            longest = Math.max(longest, len);
        }
        if (longest > embeddings.maxLength()) {
            throw new IllegalArgumentException("sequence of " + longest + " tokens exceeds max_position_embeddings "
                    + embeddings.maxLength());
        }
        Arrays.fill(out, 0, batch * seqLen * hidden, 0f);
        if (total == 0) return;

        float[] x = ws.floats(SLOT_X, total * hidden);
        float[] embScratch = embeddings.hasProjection() ? ws.floats(SLOT_EMB, longest * embeddings.width()) : null;
        for (int b = 0, row = 0; b < batch; row += lengths[b], b++) {
            if (lengths[b] > 0) embeddings.embed(ids, mask, b * seqLen, lengths[b], x, row * hidden, embScratch);
        }
        for (int l = 0; l < numLayers; l++) {
            layer(layers[l], x, total, mask, lengths, batch, seqLen, ws);
        }
        for (int b = 0, row = 0; b < batch; row += lengths[b], b++) {
            System.arraycopy(x, row * hidden, out, b * seqLen * hidden, lengths[b] * hidden);
        }
    }

    private void checkArguments(int[] ids, int[] mask, int batch, int seqLen, float[] out) {
        if (batch < 0 || seqLen < 0) {
            throw new IllegalArgumentException("negative batch (" + batch + ") or seqLen (" + seqLen + ")");
        }
        long n = (long) batch * seqLen;
        if (n * Math.max(hidden, allHead) * 3L > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch " + batch + " x seqLen " + seqLen + " is too large");
        }
        if (ids == null || ids.length < n) {
            throw new IllegalArgumentException("inputIds has " + (ids == null ? "null" : ids.length)
                    + " values, need batch*seqLen = " + n);
        }
        if (mask == null || mask.length < n) {
            throw new IllegalArgumentException("attentionMask has " + (mask == null ? "null" : mask.length)
                    + " values, need batch*seqLen = " + n);
        }
        if (out == null || out.length < n * hidden) {
            throw new IllegalArgumentException("output has " + (out == null ? "null" : out.length)
                    + " values, need batch*seqLen*hidden = " + n * hidden);
        }
    }

    private void layer(TransformerLayer layer, float[] x, int total, int[] mask, int[] lengths, int batch,
                       int seqLen, Workspace ws) {
        float[] qkv = ws.floats(SLOT_QKV, total * 3 * allHead);
        Ops.linear(x, 0, total, layer.qkv(), qkv, 0);
        float[] ctx = ws.floats(SLOT_CTX, total * allHead);
        // One task per (sequence, head): each writes its own ctx columns, so they run on the kernel pool
        // (the per-head products are too small to split, and the softmax is serial per row).
        int[] rowStart = ws.ints(SLOT_ROWS, batch);
        for (int b = 0, row = 0; b < batch; row += lengths[b], b++) rowStart[b] = row;
        Ops.parallelFor(batch * heads, task -> {
            int b = task / heads;
            if (lengths[b] > 0) {
                attentionHead(layer, qkv, ctx, rowStart[b], lengths[b], mask, b * seqLen, task % heads, Workspace.get());
            }
        });
        // Attention output: dense + residual + LayerNorm, into h.
        float[] h = ws.floats(SLOT_H, total * hidden);
        Ops.linear(ctx, 0, total, layer.attnOutput(), h, 0);
        Ops.add(h, 0, x, 0, total * hidden);
        layer.attnNorm().apply(h, 0, total);
        // FFN in row blocks: x = LayerNorm(h + W2·act(W1·h)).
        int inter = layer.intermediate().out();
        float[] mid = ws.floats(SLOT_INTER, Math.min(total, FFN_ROWS) * inter);
        for (int r0 = 0; r0 < total; r0 += FFN_ROWS) {
            int rows = Math.min(FFN_ROWS, total - r0);
            Ops.linear(h, r0 * hidden, rows, layer.intermediate(), mid, 0);
            if (activation == Activation.GELU) Ops.gelu(mid, 0, rows * inter);
            else Ops.relu(mid, 0, rows * inter);
            Ops.linear(mid, 0, rows, layer.output(), x, r0 * hidden);
        }
        Ops.add(x, 0, h, 0, total * hidden);
        layer.outputNorm().apply(x, 0, total);
    }

    /**
     * Attention head {@code h} of one sequence of {@code len} tokens whose packed rows start at
     * {@code row}; writes its context vectors to ctx rows [row, row + len), columns of head h. Scratch
     * comes from {@code ws}, the workspace of the thread running this task.
     */
    private void attentionHead(TransformerLayer layer, float[] qkv, float[] ctx, int row, int len, int[] mask,
                               int maskOff, int h, Workspace ws) {
        int ld = 3 * allHead;
        boolean holes = false;
        for (int t = 0; t < len; t++) {
            if (mask[maskOff + t] == 0) {
                holes = true;
                break;
            }
        }
        float[] s = ws.floats(SLOT_SCORES, len * len);
        int[] delta = null;
        int centre = 0, dMin = 0, range = 0;
        float[] c2pBuf = null, p2cBuf = null;
        if (relative != null) {
            delta = relative.table(len);
            centre = (delta.length - 1) / 2;              // index of r = 0
            dMin = delta[centre - (len - 1)];
            range = delta[centre + len - 1] - dMin + 1;   // δ is monotone in r: only rows [dMin, dMin+range) are used
            if (c2p) c2pBuf = ws.floats(SLOT_C2P, len * range);
            if (p2c) p2cBuf = ws.floats(SLOT_P2C, len * range);
        }
        int qOff = row * ld + h * headDim;
        int kOff = qOff + allHead;
        int vOff = qOff + 2 * allHead;
        Ops.gemmTransB(len, len, headDim, qkv, qOff, ld, qkv, kOff, ld, s, 0, len, false);
        if (c2pBuf != null) {
            // c2p[i, δ] = q_i · Krel[δ]
            Ops.gemmTransB(len, range, headDim, qkv, qOff, ld, layer.posKey(), dMin * allHead + h * headDim,
                    allHead, c2pBuf, 0, range, false);
        }
        if (p2cBuf != null) {
            // p2c[j, δ] = k_j · Qrel[δ]
            Ops.gemmTransB(len, range, headDim, qkv, kOff, ld, layer.posQuery(), dMin * allHead + h * headDim,
                    allHead, p2cBuf, 0, range, false);
        }
        for (int i = 0; i < len; i++) {
            int si = i * len;
            if (relative != null) {
                for (int j = 0; j < len; j++) {
                    int d = delta[centre + i - j] - dMin;
                    float v = s[si + j];
                    if (c2pBuf != null) v += c2pBuf[i * range + d];
                    if (p2cBuf != null) v += p2cBuf[j * range + d];
                    s[si + j] = v * scale;
                }
            } else {
                Ops.scale(s, si, len, scale);
            }
            if (holes) {
                for (int j = 0; j < len; j++) {
                    if (mask[maskOff + j] == 0) s[si + j] = Float.NEGATIVE_INFINITY;
                }
            }
            Ops.softmax(s, si, len);
        }
        Ops.gemm(len, headDim, len, s, 0, len, qkv, vOff, ld, ctx, row * allHead + h * headDim, allHead, false);
    }
}
