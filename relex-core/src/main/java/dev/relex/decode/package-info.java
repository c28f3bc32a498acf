/**
 * Decoding (spec §4): float32 sigmoid probabilities with the reference's comparison semantics, span-model
 * and token-model entity candidates, greedy flat/nested/multi-label search with stable ordering, relation
 * mapping by span boundaries to the first decoded entity, and the mapping of word spans to character
 * offsets ({@link dev.relex.decode.ResultDecoder} ties them together). Without multi-label decoding only
 * the best class of each span is kept as a candidate, which provably leaves the greedy result unchanged
 * and keeps the work bounded with thousands of labels.
 */
package dev.relex.decode;
