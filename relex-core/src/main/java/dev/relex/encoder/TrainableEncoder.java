package dev.relex.encoder;

import dev.relex.engine.Parameter;

import java.util.List;

/**
 * An {@link Encoder} that can be trained: it lists its parameters, runs a training forward that fills
 * an {@link EncoderActivations} state, and a backward that accumulates every parameter gradient from
 * the gradient of the last hidden states.
 *
 * <p>Training calls are not thread-safe: one trainer owns the encoder during a step. Inference calls
 * ({@link #forward(int[], int[], int, int, float[])}) stay thread-safe as long as no parameter is being
 * changed and {@link #refreshDerived()} is not running.
 */
public interface TrainableEncoder extends Encoder {
    /**
     * Every tensor the encoder computes with, under its full checkpoint name (the prefix given to
     * {@link Encoders#createTrainable}, e.g. {@code token_rep_layer.bert_layer.model.}), in model order.
     * Values are views of the arrays the kernels read: an in-place update changes what the encoder
     * computes once {@link #refreshDerived()} has run. Checkpoint tensors the encoder does not use (BERT's
     * pooler) are not parameters; see {@link Encoders#untrainedKeys}.
     */
    List<Parameter> parameters();

    /**
     * Recomputes everything derived from parameter values after they changed in place (optimizer step,
     * finite-difference probe): drops the engine's packed weight copies and rebuilds DeBERTa's normalised
     * relative table and each layer's projected relative keys/queries.
     */
    void refreshDerived();

    /**
     * The inference forward when {@code state} is null; otherwise the same computation (bit for bit the same
     * output) that also records in {@code state} what {@link #backward} needs. The state is grow-only and
     * meant to be reused across steps.
     *
     * @throws IllegalStateException when state is not null and the configuration asks for dropout, which
     *                               training does not implement (unless the state ignores it, see
     *                               {@link EncoderActivations#ignoreConfiguredDropout})
     */
    void forward(int[] inputIds, int[] attentionMask, int batch, int seqLen, float[] out, EncoderActivations state);

    /**
     * Backward of the last {@link #forward(int[], int[], int, int, float[], EncoderActivations) training
     * forward} that filled {@code state}: {@code dOut} [batch·seqLen·hiddenSize()] is the gradient of the
     * loss with respect to that forward's output (entries after a sequence's last real token are ignored:
     * those outputs are constant zeros). Gradients are ACCUMULATED (+=) into every parameter's
     * {@link Parameter#grad()}; {@code dOut} is not modified.
     */
    void backward(EncoderActivations state, float[] dOut);
}
