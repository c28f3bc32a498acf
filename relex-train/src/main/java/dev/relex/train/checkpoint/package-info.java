/**
 * Files of a training run: resumable training states written so that a crash at any moment (kill -9
 * included) never leaves a half-written state where a good one was ({@link CheckpointStore}), and
 * model directories in the reference's {@code save_pretrained} layout ({@link ModelDirectory}).
 */
package dev.relex.train.checkpoint;
