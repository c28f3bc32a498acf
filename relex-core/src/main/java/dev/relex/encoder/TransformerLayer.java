package dev.relex.encoder;

import dev.relex.engine.Linear;

/**
 * Weights of one post-LayerNorm transformer layer (BERT and DeBERTa-v2 share the layout).
 *
 * @param qkv          query, key and value projections fused row-wise: weight [3A, H], bias [3A]; the
 *                     checkpoint's three tensors are views of these arrays (see {@link Encoders})
 * @param attnOutput   attention output dense [H, A]
 * @param attnNorm     LayerNorm after the attention residual
 * @param intermediate FFN up-projection [I, H]
 * @param output       FFN down-projection [H, I]
 * @param outputNorm   LayerNorm after the FFN residual
 * @param posKeyProj   DeBERTa c2p: the projection of the normalised relative table into keys (the key
 *                     block of {@code qkv} with {@code share_att_key}, else {@code pos_key_proj}), or null
 * @param posQueryProj DeBERTa p2c: likewise for queries, or null
 * @param posKey       derived: posKeyProj applied to the normalised relative table [2S, A] (used by c2p),
 *                     refreshed in place by {@link TransformerEncoder#refreshDerived()}, or null
 * @param posQuery     derived: posQueryProj applied to that table [2S, A] (used by p2c), or null
 */
record TransformerLayer(Linear qkv, Linear attnOutput, Norm attnNorm, Linear intermediate, Linear output,
                        Norm outputNorm, Projection posKeyProj, Projection posQueryProj,
                        float[] posKey, float[] posQuery) {

    /**
     * A dense layer y = x·Wᵀ + b whose weight [out, in] and bias [out] start at offsets of larger arrays:
     * the key or query block of the fused QKV matrix, or a whole separate projection.
     */
    record Projection(float[] weight, int weightOffset, float[] bias, int biasOffset, int in, int out) {
        /** Block {@code block} (0 query, 1 key, 2 value) of a fused [3A, H] projection. */
        static Projection block(Linear fused, int block) {
            int a = fused.out() / 3;
            return new Projection(fused.weight(), block * a * fused.in(), fused.bias(), block * a, fused.in(), a);
        }

        static Projection of(Linear l) {
            return new Projection(l.weight(), 0, l.bias(), 0, l.in(), l.out());
        }
    }
}
