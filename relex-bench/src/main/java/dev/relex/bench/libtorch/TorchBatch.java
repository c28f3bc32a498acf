package dev.relex.bench.libtorch;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One right-padded batch as libtorch tensors, built once and reused by every step: token ids, the
 * attention key mask in the two forms the attention variants take, and the real-token mask of the loss.
 */
public final class TorchBatch implements AutoCloseable {
    private final int batch, seqLen;
    private final long realTokens;
    private final Tensor ids, keyMask, additiveKeyMask, tokenMask;

    /**
     * @param ids  [batch * seqLen] token ids (pad 0)
     * @param mask [batch * seqLen], 1 for real tokens, 0 for padding
     */
    public TorchBatch(int[] ids, int[] mask, int batch, int seqLen) {
        LibTorch.requireAvailable();
        if (ids.length != batch * seqLen || mask.length != batch * seqLen) {
            throw new IllegalArgumentException("ids/mask have " + ids.length + "/" + mask.length + " entries, expected "
                    + batch + " x " + seqLen);
        }
        this.batch = batch;
        this.seqLen = seqLen;
        long real = 0;
        float[] m = new float[mask.length];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0 && mask[i] != 1) throw new IllegalArgumentException("mask[" + i + "] = " + mask[i] + ", not 0/1");
            m[i] = mask[i];
            real += mask[i];
        }
        this.realTokens = real;
        this.ids = TorchBertEncoder.longTensor(ids, batch, seqLen);
        this.tokenMask = TorchBertEncoder.tensor(m, batch, seqLen, 1);
        Tensor keys = TorchBertEncoder.tensor(m, batch, 1, 1, seqLen);
        this.keyMask = keys.to(torch.ScalarType.Bool);
        // transformers' extended mask: 0 for real keys, the dtype's minimum for padding.
        this.additiveKeyMask = keys.sub(new Scalar(1.0f)).mul(new Scalar(Float.MAX_VALUE));
        keys.close();
    }

    public int batch() {
        return batch;
    }

    public int seqLen() {
        return seqLen;
    }

    /** Number of real (unpadded) tokens. */
    public long realTokens() {
        return realTokens;
    }

    /** int64 [batch, seqLen]. */
    public Tensor ids() {
        return ids;
    }

    /** bool [batch, 1, 1, seqLen]: true where the key is a real token. */
    public Tensor keyMask() {
        return keyMask;
    }

    /** float [batch, 1, 1, seqLen]: 0 for real keys, -FLT_MAX for padding. */
    public Tensor additiveKeyMask() {
        return additiveKeyMask;
    }

    /** float [batch, seqLen, 1]: 1 for real tokens. */
    public Tensor tokenMask() {
        return tokenMask;
    }

    @Override
    public void close() {
        ids.close();
        keyMask.close();
        additiveKeyMask.close();
        tokenMask.close();
    }
}
