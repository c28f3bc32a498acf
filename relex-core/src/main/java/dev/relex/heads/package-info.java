/**
 * The GLiNER-Relex heads on top of the encoder (spec §3.1–3.9): prompt extraction and the entity prompt
 * MLP, the BiLSTM over words, the markerV0 span head and the token-level head, relation candidates, the
 * adjacency modules (gcn, dot, bilinear, mlp, attention/attn, gat, none) and the pair MLP with relation
 * scoring. Entry point: {@link dev.relex.heads.RelexHeads}; result: {@link dev.relex.heads.HeadOutput};
 * intermediates for diagnostics and parity tests: {@link dev.relex.heads.HeadTrace}.
 */
package dev.relex.heads;
