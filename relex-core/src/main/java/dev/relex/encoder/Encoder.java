package dev.relex.encoder;

/**
 * A bidirectional transformer encoder producing last hidden states. Implementations are immutable
 * after construction and safe to call from several threads at once.
 */
public interface Encoder {
    /** Width of the hidden states (Denc). */
    int hiddenSize();

    /**
     * Runs the encoder on a right-padded batch.
     *
     * @param inputIds      [batch * seqLen] token ids
     * @param attentionMask [batch * seqLen] 1 for real tokens, 0 for padding
     * @param batch         number of sequences
     * @param seqLen        padded length
     * @param out           receives [batch * seqLen * hiddenSize()] last hidden states
     */
    void forward(int[] inputIds, int[] attentionMask, int batch, int seqLen, float[] out);
}
