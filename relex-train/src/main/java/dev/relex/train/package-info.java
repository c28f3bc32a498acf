/**
 * relex-train (see docs/ARCHITECTURE.md §9): training targets ({@link dev.relex.train.target}), losses
 * ({@link dev.relex.train.loss}) and the optimizer ({@link dev.relex.train.optim}); the trainer loop and
 * training checkpoints build on them.
 */
package dev.relex.train;
