/**
 * Transformer encoders in pure Java: BERT and DeBERTa-v2/v3 built by {@link dev.relex.encoder.Encoders}
 * from the backbone config and the checkpoint's tensors. They return raw last hidden states (Denc wide);
 * GLiNER's Denc→D projection belongs to the heads.
 *
 * <h2>Training</h2>
 * The same encoder object trains ({@link dev.relex.encoder.TrainableEncoder}, from
 * {@link dev.relex.encoder.Encoders#createTrainable}):
 * <ul>
 *   <li>{@code parameters()}: every tensor the encoder computes with, under its full checkpoint name
 *       ({@code token_rep_layer.bert_layer.model.} + the Hugging Face key), as views of the arrays the
 *       kernels read. The q/k/v weights and biases are views of the fused QKV arrays (one shared gradient
 *       array); the token type table and {@code encoder.rel_embeddings.weight} are whole tensors even
 *       though only row 0 / the first 2·span rows are read (the other rows get zero gradient, as in torch).
 *       After changing values in place call {@code refreshDerived()}: it drops the engine's packed copies
 *       and recomputes DeBERTa's derived tables (the normalised relative embeddings and each layer's
 *       relative keys/queries projected by its own key/query weights with {@code share_att_key}).</li>
 *   <li>Tensors the encoder does not use (BERT's {@code pooler.dense.*}) are not parameters. The reference
 *       leaves their gradient {@code None} (so AdamW neither updates nor decays them); a trainer keeps them
 *       as pass-through tensors — {@link dev.relex.encoder.Encoders#untrainedKeys} lists them — copied
 *       unchanged from the loaded checkpoint into an exported one.</li>
 *   <li>{@code forward(ids, mask, batch, seqLen, out, state)}: with a null state exactly the inference path;
 *       with an {@link dev.relex.encoder.EncoderActivations} it computes the same output bit for bit and keeps
 *       what backward needs (grow-only, reused across steps). {@code backward(state, dOut)} takes
 *       d(last hidden states) in the forward's padded layout and accumulates (+=) every parameter gradient,
 *       in a fixed order (bitwise reproducible for a given thread count).</li>
 *   <li>Dropout is not implemented: a training forward on a config with non-zero
 *       {@code hidden_dropout_prob}/{@code attention_probs_dropout_prob} (transformers' default 0.1 when
 *       absent) is rejected unless the state is told to ignore it
 *       ({@link dev.relex.encoder.EncoderActivations#ignoreConfiguredDropout}). The golden encoders have 0.</li>
 *   <li>LoRA ({@link dev.relex.encoder.LoraConfig}, {@code enableLora}/{@code mergeLora}): the adapted weight
 *       W_eff = W + (alpha/r)·B·A is the derived computing weight, so forward and backward cost what they
 *       cost without adapters; the frozen base weights keep their names and get no gradient.</li>
 * </ul>
 */
package dev.relex.encoder;
