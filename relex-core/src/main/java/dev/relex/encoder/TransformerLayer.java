package dev.relex.encoder;

import dev.relex.engine.Linear;

/**
 * Weights of one post-LayerNorm transformer layer (BERT and DeBERTa-v2 share the layout).
 *
 * @param qkv          query, key and value projections fused row-wise: weight [3A, H], bias [3A]
 * @param attnOutput   attention output dense [H, A]
 * @param attnNorm     LayerNorm after the attention residual
 * @param intermediate FFN up-projection [I, H]
 * @param output       FFN down-projection [H, I]
 * @param outputNorm   LayerNorm after the FFN residual
 * @param posKey       DeBERTa: this layer's key projection of the normalised relative table [2S, A]
 *                     (used by c2p), or null
 * @param posQuery     DeBERTa: this layer's query projection of that table [2S, A] (used by p2c), or null
 */
record TransformerLayer(Linear qkv, Linear attnOutput, Norm attnNorm, Linear intermediate, Linear output,
                        Norm outputNorm, float[] posKey, float[] posQuery) {
}
