/**
 * The GLiNER-Relex heads on top of the encoder: prompt extraction and the entity prompt MLP, the
 * BiLSTM over words, the markerV0 span head and the token-level head, relation candidates, the
 * adjacency modules and the pair MLP with relation scoring.
 */
package dev.relex.heads;
