/**
 * Transformer encoders in pure Java: BERT and DeBERTa-v2/v3, built from the backbone config and the
 * checkpoint's tensors, with the optional Denc→D projection of GLiNER.
 */
package dev.relex.encoder;
