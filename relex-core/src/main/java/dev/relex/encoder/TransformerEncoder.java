package dev.relex.encoder;

import dev.relex.engine.Gradients;
import dev.relex.engine.Ops;
import dev.relex.engine.Parameter;
import dev.relex.engine.Workspace;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A post-LayerNorm transformer encoder covering BERT (absolute positions) and DeBERTa-v2/v3
 * (disentangled relative attention). Thread-safe for inference; per-call scratch comes from the
 * calling thread's {@link Workspace}.
 *
 * <p>Each sequence is processed only up to its last real token (later positions are padding that
 * cannot influence real tokens, since padded keys get zero attention); the real prefixes of the whole
 * batch are packed row after row so the dense layers run as one large matrix product. Positions after
 * a sequence's last real token receive zeros in the output.
 *
 * <p>Training (see {@link TrainableEncoder}): the same forward code, with buffers taken from an
 * {@link EncoderActivations} state instead of the workspace and the few values that inference
 * overwrites in place (pre-LayerNorm sums, FFN pre-activations) copied aside; then an explicit
 * backward through every layer in reverse. Attention backward runs one task per head (each task
 * walks the sequences in order), so the shared relative-table gradients are accumulated in a fixed
 * order and results are bitwise reproducible for a given thread count.
 */
final class TransformerEncoder implements TrainableEncoder {
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
    private final float[] relEmbeddings;      // canonical encoder.rel_embeddings.weight, or null
    private final Norm relNorm;               // encoder.LayerNorm (norm_rel_ebd), or null
    private final float[] relTable;           // derived: first 2·span rows of relEmbeddings after relNorm, or null
    private final boolean c2p;
    private final boolean p2c;
    private final float scale;
    private final Activation activation;
    private final List<Parameter> parameters;
    private final Map<float[], Parameter> byArray = new IdentityHashMap<>();
    private final double hiddenDropout;
    private final double attentionDropout;

    TransformerEncoder(int hidden, int heads, int headDim, Embeddings embeddings, TransformerLayer[] layers,
                       RelativePositions relative, float[] relEmbeddings, Norm relNorm, boolean c2p, boolean p2c,
                       float scale, Activation activation, List<Parameter> parameters, double[] dropout) {
        this.hidden = hidden;
        this.heads = heads;
        this.headDim = headDim;
        this.allHead = heads * headDim;
        this.embeddings = embeddings;
        this.layers = layers.clone();
        this.relative = relative;
        this.relEmbeddings = relative == null ? null : relEmbeddings;
        this.relNorm = relative == null ? null : relNorm;
        this.relTable = relative == null ? null : new float[relative.rows() * hidden];
        this.c2p = relative != null && c2p;
        this.p2c = relative != null && p2c;
        this.scale = scale;
        this.activation = activation;
        this.parameters = List.copyOf(parameters);
        for (Parameter p : this.parameters) byArray.putIfAbsent(p.data(), p);
        this.hiddenDropout = dropout[0];
        this.attentionDropout = dropout[1];
        computeRelativeTables();
    }

    @Override
    public int hiddenSize() {
        return hidden;
    }

    int numLayers() {
        return layers.length;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public void refreshDerived() {
        for (Parameter p : parameters) p.valuesChanged();
        computeRelativeTables();
    }

    /** relTable = LayerNorm(rel_embeddings[:2·span]); per layer posKey/posQuery = relTable·Wᵀ + b. */
    private void computeRelativeTables() {
        if (relative == null) return;
        int rows = relative.rows();
        System.arraycopy(relEmbeddings, 0, relTable, 0, rows * hidden);
        if (relNorm != null) relNorm.apply(relTable, 0, rows);
        for (TransformerLayer layer : layers) {
            if (layer.posKey() != null) project(layer.posKeyProj(), layer.posKey(), rows);
            if (layer.posQuery() != null) project(layer.posQueryProj(), layer.posQuery(), rows);
        }
    }

    private void project(TransformerLayer.Projection p, float[] out, int rows) {
        Ops.gemmTransB(rows, p.out(), p.in(), relTable, 0, hidden, p.weight(), p.weightOffset(), p.in(),
                out, 0, p.out(), false, p.bias(), p.biasOffset());
    }

    private float[] grad(float[] data) {
        Parameter p = byArray.get(data);
        if (p == null) throw new IllegalStateException("no parameter holds this array");
        return p.grad();
    }

    private float[] gradOrNull(float[] data) {
        return data == null ? null : grad(data);
    }

    @Override
    public void forward(int[] inputIds, int[] attentionMask, int batch, int seqLen, float[] out) {
        forward(inputIds, attentionMask, batch, seqLen, out, layers.length, null);
    }

    @Override
    public void forward(int[] inputIds, int[] attentionMask, int batch, int seqLen, float[] out,
                        EncoderActivations state) {
        if (state != null && !state.ignoreDropout && (hiddenDropout > 0 || attentionDropout > 0)) {
            throw new IllegalStateException("the encoder config asks for dropout (hidden_dropout_prob " + hiddenDropout
                    + ", attention_probs_dropout_prob " + attentionDropout + "), which training does not implement;"
                    + " set both to 0 in encoder_config or call EncoderActivations.ignoreConfiguredDropout(true)");
        }
        forward(inputIds, attentionMask, batch, seqLen, out, layers.length, state);
    }

    /**
     * Runs the embeddings and the first {@code numLayers} layers (0 = embedding output only); used by
     * tests to compare intermediate layers.
     */
    void forward(int[] ids, int[] mask, int batch, int seqLen, float[] out, int numLayers) {
        forward(ids, mask, batch, seqLen, out, numLayers, null);
    }

    private void forward(int[] ids, int[] mask, int batch, int seqLen, float[] out, int numLayers,
                         EncoderActivations st) {
        checkArguments(ids, mask, batch, seqLen, out);
        if (numLayers < 0 || numLayers > layers.length) {
            throw new IllegalArgumentException("numLayers " + numLayers + " not in [0, " + layers.length + "]");
        }
        if (st != null) st.filled = false;
        Workspace ws = Workspace.get();
        int[] lengths = st != null ? (st.lengths = EncoderActivations.grow(st.lengths, batch))
                : ws.ints(SLOT_LENGTHS, Math.max(batch, 1));
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
        if (st != null) prepare(st, ids, mask, batch, seqLen, total);
        if (total == 0) {
            if (st != null) st.filled = true;
            return;
        }

        float[] x = st != null ? st.xs[0] : ws.floats(SLOT_X, total * hidden);
        float[] embScratch = embeddings.hasProjection() ? ws.floats(SLOT_EMB, longest * embeddings.width()) : null;
        for (int b = 0, row = 0; b < batch; row += lengths[b], b++) {
            if (lengths[b] > 0) {
                embeddings.embed(ids, mask, b * seqLen, lengths[b], x, row * hidden, embScratch,
                        st == null ? null : st.embSum, row, st == null ? null : st.embPreNorm);
            }
        }
        for (int l = 0; l < numLayers; l++) {
            if (st == null) layer(l, x, x, total, mask, lengths, batch, seqLen, ws, null);
            else layer(l, st.xs[l], st.xs[l + 1], total, mask, lengths, batch, seqLen, ws, st);
        }
        float[] last = st != null ? st.xs[numLayers] : x;
        for (int b = 0, row = 0; b < batch; row += lengths[b], b++) {
            System.arraycopy(last, row * hidden, out, b * seqLen * hidden, lengths[b] * hidden);
        }
        if (st != null) st.filled = true;
    }

    /** Sizes the state for this batch and records its layout (grow-only). */
    private void prepare(EncoderActivations st, int[] ids, int[] mask, int batch, int seqLen, int total) {
        int n = batch * seqLen;
        st.owner = this;
        st.batch = batch;
        st.seqLen = seqLen;
        st.total = total;
        st.ids = EncoderActivations.grow(st.ids, n);
        st.mask = EncoderActivations.grow(st.mask, n);
        System.arraycopy(ids, 0, st.ids, 0, n);
        System.arraycopy(mask, 0, st.mask, 0, n);
        st.rowStart = EncoderActivations.grow(st.rowStart, batch);
        st.probBase = EncoderActivations.grow(st.probBase, batch);
        long probs = 0;
        for (int b = 0, row = 0; b < batch; row += st.lengths[b], b++) {
            st.rowStart[b] = row;
            if (probs > Integer.MAX_VALUE) break;
            st.probBase[b] = (int) probs;
            probs += (long) heads * st.lengths[b] * st.lengths[b];
        }
        int inter = layers.length == 0 ? 0 : layers[0].intermediate().out();
        long th = (long) total * hidden;
        st.layers(layers.length);
        st.embPreNorm = EncoderActivations.grow(st.embPreNorm, th);
        if (embeddings.hasProjection()) st.embSum = EncoderActivations.grow(st.embSum, (long) total * embeddings.width());
        for (int l = 0; l <= layers.length; l++) st.xs[l] = EncoderActivations.grow(st.xs[l], th);
        for (int l = 0; l < layers.length; l++) {
            st.qkv[l] = EncoderActivations.grow(st.qkv[l], 3L * total * allHead);
            st.probs[l] = EncoderActivations.grow(st.probs[l], probs);
            st.ctx[l] = EncoderActivations.grow(st.ctx[l], (long) total * allHead);
            st.hPre[l] = EncoderActivations.grow(st.hPre[l], th);
            st.h[l] = EncoderActivations.grow(st.h[l], th);
            st.interPre[l] = EncoderActivations.grow(st.interPre[l], (long) total * inter);
            st.interAct[l] = EncoderActivations.grow(st.interAct[l], (long) total * inter);
            st.outPre[l] = EncoderActivations.grow(st.outPre[l], th);
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

    /**
     * Layer {@code l} from xIn [total, H] to xOut. Inference passes xIn == xOut (updated in place) and no
     * state; training passes distinct arrays and the state whose buffers receive the activations.
     */
    private void layer(int l, float[] xIn, float[] xOut, int total, int[] mask, int[] lengths, int batch,
                       int seqLen, Workspace ws, EncoderActivations st) {
        TransformerLayer layer = layers[l];
        float[] qkv = st != null ? st.qkv[l] : ws.floats(SLOT_QKV, total * 3 * allHead);
        Ops.linear(xIn, 0, total, layer.qkv(), qkv, 0);
        float[] ctx = st != null ? st.ctx[l] : ws.floats(SLOT_CTX, total * allHead);
        float[] probs = st != null ? st.probs[l] : null;
        // One task per (sequence, head): each writes its own ctx columns, so they run on the kernel pool
        // (the per-head products are too small to split, and the softmax is serial per row).
        int[] rowStart = st != null ? st.rowStart : ws.ints(SLOT_ROWS, batch);
        if (st == null) for (int b = 0, row = 0; b < batch; row += lengths[b], b++) rowStart[b] = row;
        Ops.parallelFor(batch * heads, task -> {
            int b = task / heads;
            int hd = task % heads;
            if (lengths[b] > 0) {
                int pOff = probs == null ? 0 : st.probBase[b] + hd * lengths[b] * lengths[b];
                attentionHead(layer, qkv, ctx, rowStart[b], lengths[b], mask, b * seqLen, hd, Workspace.get(),
                        probs, pOff);
            }
        });
        // Attention output: dense + residual + LayerNorm, into h.
        float[] h = st != null ? st.h[l] : ws.floats(SLOT_H, total * hidden);
        Ops.linear(ctx, 0, total, layer.attnOutput(), h, 0);
        Ops.add(h, 0, xIn, 0, total * hidden);
        if (st != null) System.arraycopy(h, 0, st.hPre[l], 0, total * hidden);
        layer.attnNorm().apply(h, 0, total);
        // FFN in row blocks: xOut = LayerNorm(h + W2·act(W1·h)).
        int inter = layer.intermediate().out();
        float[] mid = st != null ? st.interAct[l] : ws.floats(SLOT_INTER, Math.min(total, FFN_ROWS) * inter);
        for (int r0 = 0; r0 < total; r0 += FFN_ROWS) {
            int rows = Math.min(FFN_ROWS, total - r0);
            int midOff = st != null ? r0 * inter : 0;
            Ops.linear(h, r0 * hidden, rows, layer.intermediate(), mid, midOff);
            if (st != null) System.arraycopy(mid, midOff, st.interPre[l], midOff, rows * inter);
            if (activation == Activation.GELU) Ops.gelu(mid, midOff, rows * inter);
            else Ops.relu(mid, midOff, rows * inter);
            Ops.linear(mid, midOff, rows, layer.output(), xOut, r0 * hidden);
        }
        Ops.add(xOut, 0, h, 0, total * hidden);
        if (st != null) System.arraycopy(xOut, 0, st.outPre[l], 0, total * hidden);
        layer.outputNorm().apply(xOut, 0, total);
    }

    /**
     * Attention head {@code h} of one sequence of {@code len} tokens whose packed rows start at
     * {@code row}; writes its context vectors to ctx rows [row, row + len), columns of head h. Scratch
     * comes from {@code ws}, the workspace of the thread running this task. With {@code probs} not null
     * (training) the probabilities are kept there at {@code pOff} ([len, len]).
     */
    private void attentionHead(TransformerLayer layer, float[] qkv, float[] ctx, int row, int len, int[] mask,
                               int maskOff, int h, Workspace ws, float[] probs, int pOff) {
        int ld = 3 * allHead;
        boolean holes = false;
        for (int t = 0; t < len; t++) {
            if (mask[maskOff + t] == 0) {
                holes = true;
                break;
            }
        }
        float[] s = probs != null ? probs : ws.floats(SLOT_SCORES, len * len);
        int sOff = probs != null ? pOff : 0;
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
        Ops.gemmTransB(len, len, headDim, qkv, qOff, ld, qkv, kOff, ld, s, sOff, len, false);
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
            int si = sOff + i * len;
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
        Ops.gemm(len, headDim, len, s, sOff, len, qkv, vOff, ld, ctx, row * allHead + h * headDim, allHead, false);
    }

    // ---------------------------------------------------------------------------------------------
    // Backward

    @Override
    public void backward(EncoderActivations st, float[] dOut) {
        if (st == null || !st.filled || st.owner != this) {
            throw new IllegalStateException("backward needs the state of a completed training forward of this encoder");
        }
        if (st.layers != layers.length) throw new IllegalStateException("state was filled for another layer count");
        int batch = st.batch, seqLen = st.seqLen, total = st.total;
        if (dOut == null || dOut.length < (long) batch * seqLen * hidden) {
            throw new IllegalArgumentException("dOut has " + (dOut == null ? "null" : dOut.length)
                    + " values, need batch*seqLen*hidden = " + (long) batch * seqLen * hidden);
        }
        if (total == 0) return;
        int inter = layers.length == 0 ? 0 : layers[0].intermediate().out();
        long th = (long) total * hidden;
        st.dX = EncoderActivations.grow(st.dX, th);
        st.dA = EncoderActivations.grow(st.dA, th);
        st.dH = EncoderActivations.grow(st.dH, th);
        st.dCtx = EncoderActivations.grow(st.dCtx, (long) total * allHead);
        st.dQkv = EncoderActivations.grow(st.dQkv, 3L * total * allHead);
        st.dInter = EncoderActivations.grow(st.dInter, (long) total * inter);
        if (embeddings.hasProjection()) st.dSum = EncoderActivations.grow(st.dSum, (long) total * embeddings.width());
        if (relative != null) {
            int rows = relative.rows();
            st.dRel = EncoderActivations.grow(st.dRel, (long) rows * hidden);
            st.dPosKey = EncoderActivations.grow(st.dPosKey, (long) rows * allHead);
            st.dPosQuery = EncoderActivations.grow(st.dPosQuery, (long) rows * allHead);
            Arrays.fill(st.dRel, 0, rows * hidden, 0f);
        }
        // Gather the real prefixes into packed rows.
        float[] dX = st.dX;
        for (int b = 0; b < batch; b++) {
            System.arraycopy(dOut, b * seqLen * hidden, dX, st.rowStart[b] * hidden, st.lengths[b] * hidden);
        }
        for (int l = layers.length - 1; l >= 0; l--) layerBackward(l, st);
        embeddings.backward(st.ids, st.mask, st.lengths, batch, seqLen, total, st.embSum, st.embPreNorm, dX, st.dSum,
                grad(embeddings.words()), gradOrNull(embeddings.positions()), gradOrNull(embeddings.tokenTypes()),
                embeddings.projection() == null ? null : grad(embeddings.projection().weight()),
                grad(embeddings.norm().gamma()), grad(embeddings.norm().beta()));
        if (relative != null) relativeTableBackward(st.dRel);
    }

    /** st.dX holds d(output of layer l) on entry and d(input of layer l) on return. */
    private void layerBackward(int l, EncoderActivations st) {
        TransformerLayer layer = layers[l];
        int total = st.total;
        int inter = layer.intermediate().out();
        float[] dX = st.dX, dA = st.dA, dH = st.dH;
        // Output LayerNorm: dA = d(h + FFN(h)).
        Norm on = layer.outputNorm();
        Gradients.layerNormBackward(st.outPre[l], 0, total, hidden, on.gamma(), on.eps(), dX, 0, dA, 0,
                grad(on.gamma()), 0, grad(on.beta()), 0);
        // FFN: output dense, activation, intermediate dense; dH = dA (residual) + FFN path.
        Gradients.linearBackward(st.interAct[l], 0, total, layer.output(), dA, 0, st.dInter, 0, false,
                grad(layer.output().weight()), grad(layer.output().bias()));
        if (activation == Activation.GELU) {
            Gradients.geluBackward(st.interPre[l], 0, total * inter, st.dInter, 0, st.dInter, 0);
        } else {
            Gradients.reluBackward(st.interPre[l], 0, total * inter, st.dInter, 0, st.dInter, 0);
        }
        Gradients.linearBackward(st.h[l], 0, total, layer.intermediate(), st.dInter, 0, dH, 0, false,
                grad(layer.intermediate().weight()), grad(layer.intermediate().bias()));
        Ops.add(dH, 0, dA, 0, total * hidden);
        // Attention LayerNorm: dA = d(xIn + attnOutput(ctx)).
        Norm an = layer.attnNorm();
        Gradients.layerNormBackward(st.hPre[l], 0, total, hidden, an.gamma(), an.eps(), dH, 0, dA, 0,
                grad(an.gamma()), 0, grad(an.beta()), 0);
        Gradients.linearBackward(st.ctx[l], 0, total, layer.attnOutput(), dA, 0, st.dCtx, 0, false,
                grad(layer.attnOutput().weight()), grad(layer.attnOutput().bias()));
        // Attention: one task per head, sequences in order inside it.
        int rows = relative == null ? 0 : relative.rows();
        if (layer.posKey() != null) Arrays.fill(st.dPosKey, 0, rows * allHead, 0f);
        if (layer.posQuery() != null) Arrays.fill(st.dPosQuery, 0, rows * allHead, 0f);
        Ops.parallelFor(heads, hd -> {
            Workspace ws = Workspace.get();
            for (int b = 0; b < st.batch; b++) {
                int len = st.lengths[b];
                if (len == 0) continue;
                attentionHeadBackward(layer, st, l, b, hd, ws);
            }
        });
        // Fused QKV: dX = dA (residual) + dQKV·Wqkv.
        System.arraycopy(dA, 0, dX, 0, total * hidden);
        float[] qkvW = layer.qkv().weight();
        Gradients.linearBackward(st.xs[l], 0, total, layer.qkv(), st.dQkv, 0, dX, 0, true, grad(qkvW),
                grad(layer.qkv().bias()));
        // Relative keys/queries: back through this layer's projections into the shared table.
        if (layer.posKey() != null) projectionBackward(layer.posKeyProj(), st.dPosKey, rows, st.dRel);
        if (layer.posQuery() != null) projectionBackward(layer.posQueryProj(), st.dPosQuery, rows, st.dRel);
    }

    /** Backward of out = relTable·Wᵀ + b: dRel += dOut·W, dW += dOutᵀ·relTable, db += Σ dOut. */
    private void projectionBackward(TransformerLayer.Projection p, float[] dOut, int rows, float[] dRel) {
        Ops.gemm(rows, p.in(), p.out(), dOut, 0, p.out(), p.weight(), p.weightOffset(), p.in(), dRel, 0, hidden, true);
        Gradients.gemmTransA(p.out(), p.in(), rows, dOut, 0, p.out(), relTable, 0, hidden, grad(p.weight()),
                p.weightOffset(), p.in(), true);
        float[] gb = grad(p.bias());
        for (int r = 0; r < rows; r++) {
            int o = r * p.out();
            for (int j = 0; j < p.out(); j++) gb[p.biasOffset() + j] += dOut[o + j];
        }
    }

    /** dRel = d(relTable) summed over layers → rel_embeddings rows (through encoder.LayerNorm if present). */
    private void relativeTableBackward(float[] dRel) {
        int rows = relative.rows();
        if (relNorm != null) {
            Gradients.layerNormBackward(relEmbeddings, 0, rows, hidden, relNorm.gamma(), relNorm.eps(), dRel, 0, dRel, 0,
                    grad(relNorm.gamma()), 0, grad(relNorm.beta()), 0);
        }
        Ops.add(grad(relEmbeddings), 0, dRel, 0, rows * hidden);
    }

    /**
     * Backward of {@link #attentionHead} for head {@code h} of sequence {@code b} of layer {@code l}: writes
     * head h's columns of the q, k and v blocks of st.dQkv for the sequence's rows, and accumulates head
     * h's columns of st.dPosKey/st.dPosQuery (DeBERTa).
     */
    private void attentionHeadBackward(TransformerLayer layer, EncoderActivations st, int l, int b, int h,
                                       Workspace ws) {
        int len = st.lengths[b];
        int row = st.rowStart[b];
        int ld = 3 * allHead;
        float[] qkv = st.qkv[l], dQkv = st.dQkv, dCtx = st.dCtx;
        float[] p = st.probs[l];
        int pOff = st.probBase[b] + h * len * len;
        int qOff = row * ld + h * headDim;
        int kOff = qOff + allHead;
        int vOff = qOff + 2 * allHead;
        int cOff = row * allHead + h * headDim;
        float[] ds = ws.floats(SLOT_SCORES, len * len);
        // dP = dCtx·Vᵀ; dV = Pᵀ·dCtx.
        Ops.gemmTransB(len, len, headDim, dCtx, cOff, allHead, qkv, vOff, ld, ds, 0, len, false);
        Gradients.gemmTransA(len, headDim, len, p, pOff, len, dCtx, cOff, allHead, dQkv, vOff, ld, false);
        // Softmax (masked keys have p = 0, so their gradient is 0), then the scale of every score term.
        Gradients.softmaxBackward(p, pOff, len, len, len, ds, 0, ds, 0);
        Ops.scale(ds, 0, len * len, scale);
        // dQ = dS·K; dK = dSᵀ·Q.
        Ops.gemm(len, headDim, len, ds, 0, len, qkv, kOff, ld, dQkv, qOff, ld, false);
        Gradients.gemmTransA(len, headDim, len, ds, 0, len, qkv, qOff, ld, dQkv, kOff, ld, false);
        if (relative == null) return;
        int[] delta = relative.table(len);
        int centre = (delta.length - 1) / 2;
        int dMin = delta[centre - (len - 1)];
        int range = delta[centre + len - 1] - dMin + 1;
        int relOff = dMin * allHead + h * headDim;
        if (layer.posKey() != null) {
            // c2p: s_ij += q_i·Krel[δ_ij]. Collect dS by δ per query row, then two products.
            float[] g = ws.floats(SLOT_C2P, len * range);
            Arrays.fill(g, 0, len * range, 0f);
            for (int i = 0; i < len; i++) {
                for (int j = 0; j < len; j++) g[i * range + delta[centre + i - j] - dMin] += ds[i * len + j];
            }
            Ops.gemm(len, headDim, range, g, 0, range, layer.posKey(), relOff, allHead, dQkv, qOff, ld, true);
            Gradients.gemmTransA(range, headDim, len, g, 0, range, qkv, qOff, ld, st.dPosKey, relOff, allHead, true);
        }
        if (layer.posQuery() != null) {
            // p2c: s_ij += k_j·Qrel[δ_ij]. Collect dS by δ per key row.
            float[] g = ws.floats(SLOT_P2C, len * range);
            Arrays.fill(g, 0, len * range, 0f);
            for (int i = 0; i < len; i++) {
                for (int j = 0; j < len; j++) g[j * range + delta[centre + i - j] - dMin] += ds[i * len + j];
            }
            Ops.gemm(len, headDim, range, g, 0, range, layer.posQuery(), relOff, allHead, dQkv, kOff, ld, true);
            Gradients.gemmTransA(range, headDim, len, g, 0, range, qkv, kOff, ld, st.dPosQuery, relOff, allHead, true);
        }
    }
}
