/**
 * The libtorch baseline of the training-step benchmark: a BERT encoder written with PyTorch's C++ library
 * through the JavaCPP presets ({@code org.bytedeco:pytorch}), trained with {@code torch::optim::AdamW}.
 * Only the benchmark module depends on it; nothing in the library modules does.
 */
package dev.relex.bench.libtorch;
