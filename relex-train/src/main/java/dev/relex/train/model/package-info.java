/**
 * The trainable GLiNER-Relex model: the inference encoder and heads of relex-core (one implementation of
 * every layer) loaded for training, with the glue that runs one batch forward, through the loss and
 * backward ({@link TrainableRelexModel}), and exports checkpoints in the reference's layout.
 */
package dev.relex.train.model;
