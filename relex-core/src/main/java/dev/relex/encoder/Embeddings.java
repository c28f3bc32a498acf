package dev.relex.encoder;

import dev.relex.engine.Gradients;
import dev.relex.engine.Linear;
import dev.relex.engine.Ops;

/**
 * The embedding stage shared by BERT and DeBERTa-v2: word lookup, optional absolute positions and
 * token type 0, optional projection to the hidden width (DeBERTa's {@code embed_proj}), LayerNorm,
 * and for DeBERTa the multiplication by the attention mask.
 */
final class Embeddings {
    private final float[] words;          // [vocab, E]
    private final int vocab;
    private final int width;              // E (embedding_size)
    private final float[] positions;      // [maxPositions, E] or null
    private final int maxPositions;
    private final float[] tokenTypes;     // [typeVocab, E] (only row 0 is used: token types are always 0), or null
    private final Linear projection;      // E -> H, no bias, or null
    private final Norm norm;
    private final boolean multiplyByMask;

    Embeddings(float[] words, int vocab, int width, float[] positions, int maxPositions, float[] tokenTypes,
               Linear projection, Norm norm, boolean multiplyByMask) {
        this.words = words;
        this.vocab = vocab;
        this.width = width;
        this.positions = positions;
        this.maxPositions = maxPositions;
        this.tokenTypes = tokenTypes;
        this.projection = projection;
        this.norm = norm;
        this.multiplyByMask = multiplyByMask;
    }

    int vocabSize() {
        return vocab;
    }

    /** Longest sequence the absolute position table allows, or {@link Integer#MAX_VALUE} without one. */
    int maxLength() {
        return positions == null ? Integer.MAX_VALUE : maxPositions;
    }

    /**
     * Embeds {@code len} tokens {@code ids[idOff ..]} into {@code out[outOff ..]} ([len, H]).
     * {@code scratch} must hold len·E values when a projection is present. For training,
     * {@code savedSum} (if not null) receives the summed embeddings before the projection ([len, E] at
     * row {@code savedRow}) and {@code savedPreNorm} the LayerNorm input ([len, H] at {@code outOff}).
     */
    void embed(int[] ids, int[] mask, int idOff, int len, float[] out, int outOff, float[] scratch,
               float[] savedSum, int savedRow, float[] savedPreNorm) {
        float[] dst = projection == null ? out : scratch;
        int dOff = projection == null ? outOff : 0;
        for (int t = 0; t < len; t++) {
            int id = ids[idOff + t];
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " at position " + t
                        + " is outside the word embedding table (" + vocab + " rows)");
            }
            int o = dOff + t * width;
            System.arraycopy(words, id * width, dst, o, width);
            if (tokenTypes != null) Ops.add(dst, o, tokenTypes, 0, width);
            if (positions != null) Ops.add(dst, o, positions, t * width, width);
        }
        if (savedSum != null) System.arraycopy(dst, dOff, savedSum, savedRow * width, len * width);
        if (projection != null) Ops.linear(scratch, 0, len, projection, out, outOff);
        int hidden = norm.gamma().length;
        if (savedPreNorm != null) System.arraycopy(out, outOff, savedPreNorm, outOff, len * hidden);
        norm.apply(out, outOff, len);
        if (multiplyByMask) {
            for (int t = 0; t < len; t++) {
                if (mask[idOff + t] == 0) java.util.Arrays.fill(out, outOff + t * hidden, outOff + (t + 1) * hidden, 0f);
            }
        }
    }

    /**
     * Backward of {@link #embed} for the packed rows of a whole batch: {@code dOut} [total, H] (the
     * gradient of the embedding output) is consumed (overwritten); parameter gradients are accumulated
     * into the given arrays (null = that parameter is absent). {@code dSum} is scratch of total·E values
     * when a projection is present.
     */
    void backward(int[] ids, int[] mask, int[] lengths, int batch, int seqLen, int total, float[] savedSum,
                  float[] savedPreNorm, float[] dOut, float[] dSum, float[] gWords, float[] gPositions,
                  float[] gTokenTypes, float[] gProjection, float[] gGamma, float[] gBeta) {
        int hidden = norm.gamma().length;
        if (multiplyByMask) {
            for (int b = 0, row = 0; b < batch; row += lengths[b], b++) {
                for (int t = 0; t < lengths[b]; t++) {
                    if (mask[b * seqLen + t] == 0) {
                        java.util.Arrays.fill(dOut, (row + t) * hidden, (row + t + 1) * hidden, 0f);
                    }
                }
            }
        }
        Gradients.layerNormBackward(savedPreNorm, 0, total, hidden, norm.gamma(), norm.eps(), dOut, 0, dOut, 0,
                gGamma, 0, gBeta, 0);
        float[] d = dOut;
        if (projection != null) {
            Gradients.linearBackward(savedSum, 0, total, projection, dOut, 0, dSum, 0, false, gProjection, null);
            d = dSum;
        }
        // Scatter-add in row order: fixed accumulation order for repeated ids.
        for (int b = 0, row = 0; b < batch; row += lengths[b], b++) {
            for (int t = 0; t < lengths[b]; t++) {
                int src = (row + t) * width;
                Ops.add(gWords, ids[b * seqLen + t] * width, d, src, width);
                if (gTokenTypes != null) Ops.add(gTokenTypes, 0, d, src, width);
                if (gPositions != null) Ops.add(gPositions, t * width, d, src, width);
            }
        }
    }

    boolean hasProjection() {
        return projection != null;
    }

    int width() {
        return width;
    }

    float[] words() {
        return words;
    }

    float[] positions() {
        return positions;
    }

    float[] tokenTypes() {
        return tokenTypes;
    }

    Linear projection() {
        return projection;
    }

    Norm norm() {
        return norm;
    }
}
