package dev.relex.encoder;

/**
 * What a training forward of a {@link TrainableEncoder} keeps for its backward, plus the backward's
 * scratch: the packed layout of the batch, every layer's input, fused QKV, attention probabilities,
 * context, pre-LayerNorm sums, FFN pre-activations and activations. Owned by the caller (one per
 * micro-batch in flight), reused across steps; arrays only grow, so a warm state allocates nothing.
 * Not thread-safe.
 */
public final class EncoderActivations {
    // Forward record (valid after a training forward, for the encoder that filled it).
    Object owner;
    boolean filled;
    boolean ignoreDropout;
    int batch, seqLen, total, layers;
    int[] ids = new int[0], mask = new int[0], lengths = new int[0], rowStart = new int[0];
    /** Start of sequence b's attention probabilities inside a layer's probs array (heads·len² each). */
    int[] probBase = new int[0];
    float[] embSum, embPreNorm;
    /** xs[l] = input of layer l (xs[0] = embedding output), xs[layers] = last hidden states; [total, H]. */
    float[][] xs = new float[0][];
    float[][] qkv = new float[0][], probs = new float[0][], ctx = new float[0][], hPre = new float[0][],
            h = new float[0][], interPre = new float[0][], interAct = new float[0][], outPre = new float[0][];
    // Backward scratch.
    float[] dX, dA, dH, dCtx, dQkv, dInter, dSum, dRel, dPosKey, dPosQuery;

    public EncoderActivations() {}

    /**
     * Runs training forwards as if the configuration's hidden/attention dropout were 0 (e.g. to fine-tune
     * a checkpoint whose config keeps the pre-training dropout of 0.1 without reproducing it). Dropout
     * itself is not implemented; without this call a training forward with non-zero configured dropout
     * is rejected.
     */
    public EncoderActivations ignoreConfiguredDropout(boolean ignore) {
        this.ignoreDropout = ignore;
        return this;
    }

    /** Packed rows of the last training forward (real prefixes of all sequences), 0 before any. */
    public int packedRows() {
        return filled ? total : 0;
    }

    /** Bytes held by this state's arrays (forward record and scratch). */
    public long bytes() {
        long n = 4L * (ids.length + mask.length + lengths.length + rowStart.length + probBase.length);
        for (float[][] group : new float[][][] {xs, qkv, probs, ctx, hPre, h, interPre, interAct, outPre}) {
            for (float[] a : group) n += a == null ? 0 : 4L * a.length;
        }
        for (float[] a : new float[][] {embSum, embPreNorm, dX, dA, dH, dCtx, dQkv, dInter, dSum, dRel, dPosKey, dPosQuery}) {
            n += a == null ? 0 : 4L * a.length;
        }
        return n;
    }

    /** {@code a} if it holds n values, else a new array with some headroom (grow-only). */
    static float[] grow(float[] a, long n) {
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("activation buffer of " + n + " floats is too large");
        if (a != null && a.length >= n) return a;
        long size = a == null ? n : Math.max(n, Math.min(Integer.MAX_VALUE - 8L, a.length + (a.length >> 2)));
        return new float[(int) size];
    }

    static int[] grow(int[] a, int n) {
        return a.length >= n ? a : new int[Math.max(n, a.length + (a.length >> 2))];
    }

    /** Sizes the per-layer groups for {@code layers} layers. */
    void layers(int layers) {
        if (xs.length != layers + 1) {
            xs = new float[layers + 1][];
            qkv = new float[layers][];
            probs = new float[layers][];
            ctx = new float[layers][];
            hPre = new float[layers][];
            h = new float[layers][];
            interPre = new float[layers][];
            interAct = new float[layers][];
            outPre = new float[layers][];
        }
        this.layers = layers;
    }
}
