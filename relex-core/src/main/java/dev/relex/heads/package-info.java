/**
 * The GLiNER-Relex heads on top of the encoder (spec §3.1–3.9): prompt extraction and the entity prompt
 * MLP, the BiLSTM over words, the markerV0 span head and the token-level head, relation candidates, the
 * adjacency modules (gcn, dot, bilinear, mlp, attention/attn, gat, none) and the pair MLP with relation
 * scoring. Entry point: {@link dev.relex.heads.RelexHeads}; result: {@link dev.relex.heads.HeadOutput};
 * intermediates for diagnostics and parity tests: {@link dev.relex.heads.HeadTrace}.
 *
 * <p>Training (docs/ARCHITECTURE.md §9): {@link dev.relex.heads.RelexHeads#parameters()} lists every head
 * tensor under its checkpoint name as a view of the array the layers compute with;
 * {@link dev.relex.heads.RelexHeads#forwardTraining} runs one text with gold candidates and given pairs
 * on the canonical (unfolded) weights, with seeded dropout, into a caller-owned
 * {@link dev.relex.heads.HeadsTrainingState}; {@link dev.relex.heads.RelexHeads#backward} accumulates the
 * parameter gradients and returns the gradient of the encoder states; after an optimizer step,
 * {@link dev.relex.heads.RelexHeads#refreshDerived()} rebuilds the inference path's folds and packed copies.
 */
package dev.relex.heads;
