/**
 * Numeric kernels for the pure-Java GLiNER-Relex engine: matrix products, LayerNorm, activations,
 * softmax, on float arrays in row-major layout. {@link dev.relex.engine.Ops} is the single entry point.
 *
 * <ul>
 *   <li>Implementation: {@code jdk.incubator.vector} kernels (register-blocked FMA GEMM on packed
 *       panels) when that module is in the boot layer, plain Java otherwise; {@code -Drelex.vector=false}
 *       forces plain Java. {@link dev.relex.engine.Ops#usingVectorApi()} reports the live path.</li>
 *   <li>Threads: one shared daemon pool, {@code -Drelex.threads=N} (default: available processors).
 *       Large products are split into row/column chunks; each output element is computed by one thread
 *       with a fixed operation order, so results are bitwise identical for any thread count and any
 *       number of rows per call. Calls from pool threads (or from inside {@link dev.relex.engine.Ops#parallelFor})
 *       run inline, so callers on many threads cannot deadlock the pool.</li>
 *   <li>Memory: packing buffers are per-thread and grow-only; {@link dev.relex.engine.Linear} weights
 *       are packed once and cached (weakly, capped by {@code -Drelex.prepack.mb}).</li>
 * </ul>
 * {@code dev.relex.engine.KernelBench} measures GFLOP/s of the hot shapes.
 */
package dev.relex.engine;
