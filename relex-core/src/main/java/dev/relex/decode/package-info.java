/**
 * Decoding (spec §4): sigmoid probabilities, greedy flat/nested search with stable ordering,
 * token-level span scoring, and relation mapping by span boundaries.
 */
package dev.relex.decode;
