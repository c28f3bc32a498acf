/**
 * Numeric kernels for the pure-Java GLiNER-Relex engine: matrix products, LayerNorm, activations,
 * softmax, on float arrays in row-major layout. {@link dev.relex.engine.Ops} is the single entry
 * point; it uses {@code jdk.incubator.vector} when the module is present and a scalar path otherwise.
 */
package dev.relex.engine;
