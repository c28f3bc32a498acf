/**
 * Transformer encoders in pure Java: BERT and DeBERTa-v2/v3 built by {@link dev.relex.encoder.Encoders}
 * from the backbone config and the checkpoint's tensors. They return raw last hidden states (Denc wide);
 * GLiNER's Denc→D projection belongs to the heads.
 */
package dev.relex.encoder;
