package dev.relex.encoder;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * LoRA adapters for the encoder's linear layers (PEFT's {@code LoraConfig} subset that changes the
 * maths): W_eff = W + (alpha / rank)·B·A with A [rank, in] and B [out, rank].
 *
 * @param rank    r > 0
 * @param alpha   lora_alpha > 0 (scaling = alpha / rank)
 * @param targets which linear layers of every transformer layer get an adapter
 */
public record LoraConfig(int rank, double alpha, Set<Target> targets) {
    /** The adaptable linear layers of a transformer layer (BERT / DeBERTa module names). */
    public enum Target {
        /** attention.self.query / query_proj */
        QUERY,
        /** attention.self.key / key_proj (with DeBERTa's share_att_key also used for the relative keys) */
        KEY,
        /** attention.self.value / value_proj */
        VALUE,
        /** attention.output.dense */
        ATTENTION_OUTPUT,
        /** intermediate.dense */
        INTERMEDIATE,
        /** output.dense */
        OUTPUT
    }

    public LoraConfig {
        if (rank <= 0) throw new IllegalArgumentException("LoRA rank must be positive, got " + rank);
        if (!(alpha > 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("LoRA alpha must be positive, got " + alpha);
        Objects.requireNonNull(targets, "targets");
        if (targets.isEmpty()) throw new IllegalArgumentException("LoRA needs at least one target layer");
        targets = Set.copyOf(EnumSet.copyOf(targets));
    }

    /** alpha / rank. */
    public float scaling() {
        return (float) (alpha / rank);
    }
}
