/**
 * Reading checkpoints: safetensors files (memory-mapped, fp32/fp16/bf16, sharded),
 * {@code gliner_config.json} with its nested encoder config, and validation of tensor names and
 * shapes against the architecture a config describes.
 */
package dev.relex.checkpoint;
