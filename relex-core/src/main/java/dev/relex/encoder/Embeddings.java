package dev.relex.encoder;

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
    private final float[] tokenType0;     // [E] row 0 of token_type_embeddings, or null
    private final Linear projection;      // E -> H, no bias, or null
    private final Norm norm;
    private final boolean multiplyByMask;

    Embeddings(float[] words, int vocab, int width, float[] positions, int maxPositions, float[] tokenType0,
               Linear projection, Norm norm, boolean multiplyByMask) {
        this.words = words;
        this.vocab = vocab;
        this.width = width;
        this.positions = positions;
        this.maxPositions = maxPositions;
        this.tokenType0 = tokenType0;
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
     * {@code scratch} must hold len·E values when a projection is present.
     */
    void embed(int[] ids, int[] mask, int idOff, int len, float[] out, int outOff, float[] scratch) {
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
            if (tokenType0 != null) Ops.add(dst, o, tokenType0, 0, width);
            if (positions != null) Ops.add(dst, o, positions, t * width, width);
        }
        if (projection != null) Ops.linear(scratch, 0, len, projection, out, outOff);
        int hidden = norm.gamma().length;
        norm.apply(out, outOff, len);
        if (multiplyByMask) {
            for (int t = 0; t < len; t++) {
                if (mask[idOff + t] == 0) java.util.Arrays.fill(out, outOff + t * hidden, outOff + (t + 1) * hidden, 0f);
            }
        }
    }

    boolean hasProjection() {
        return projection != null;
    }

    int width() {
        return width;
    }
}
