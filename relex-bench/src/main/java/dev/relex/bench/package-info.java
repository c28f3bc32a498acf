/**
 * Independent checks and timings of the pure-Java encoder on real pretrained weights: an ONNX initializer
 * reader ({@code dev.relex.pretrained.OnnxWeights}, in module relex-pretrained) that feeds the BERT ONNX files of the langchain4j embedding
 * jars to our {@code Encoders}, ONNX Runtime as the oracle ({@link dev.relex.bench.OrtEncoder}), and the
 * benchmark entry point {@link dev.relex.bench.BenchMain}.
 */
package dev.relex.bench;
