/**
 * Decoding (spec §4): float32 sigmoid probabilities, span-model and token-model entity candidates,
 * greedy flat/nested search with stable ordering, relation mapping by span boundaries, and the
 * mapping of word spans to character offsets ({@link dev.relex.decode.ResultDecoder} ties them together).
 */
package dev.relex.decode;
