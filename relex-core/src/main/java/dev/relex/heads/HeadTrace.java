package dev.relex.heads;

/**
 * Receives the intermediate tensors of one {@link RelexHeads#forward} call, named as in the golden data
 * (golden/README.md: {@code token_embeddings}, {@code words_embedding_pre_rnn}, {@code words_embedding},
 * {@code entity_prompts_raw}, {@code entity_prompts}, {@code relation_prompts}, {@code span_rep} or
 * {@code candidate_span_rep}, {@code logits}, {@code candidate_rep}, {@code adjacency}, {@code pair_input},
 * {@code pair_rep}, {@code rel_logits}). For diagnostics and parity tests only: tracing costs extra work
 * (e.g. projecting every token), so production calls pass none.
 */
@FunctionalInterface
public interface HeadTrace {
    /**
     * Called once per tensor. {@code data} is scratch memory that is overwritten after the call returns:
     * copy what you keep.
     *
     * @param name   tensor name
     * @param data   values, row-major, starting at {@code offset}
     * @param offset first element
     * @param shape  dimensions of this text's tensor (no batch dimension)
     */
    void tensor(String name, float[] data, int offset, int... shape);
}
