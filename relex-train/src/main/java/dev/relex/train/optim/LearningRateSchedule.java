package dev.relex.train.optim;

import java.util.Locale;

/**
 * Learning-rate factor per optimizer step, with Hugging Face's semantics ({@code get_scheduler}: a
 * {@code LambdaLR} stepped after each optimizer step). {@link #factor(long)} takes the number of optimizer
 * steps already taken — 0 for the first step — so with warm-up the first step has factor 0 (HF: linear
 * warm-up gives lr 0 at step 1), and without warm-up factor 1.
 *
 * <ul>
 *   <li>constant: 1; constant_with_warmup: s/max(1, W) during warm-up, then 1;</li>
 *   <li>linear: warm-up, then max(0, (T − s)/max(1, T − W));</li>
 *   <li>cosine: warm-up, then max(0, ½(1 + cos(π·(s − W)/max(1, T − W)))) (HF's one half cycle).</li>
 * </ul>
 * Warm-up steps W from a ratio: ⌈T·ratio⌉ (HF {@code TrainingArguments.get_warmup_steps}); explicit warm-up
 * steps win over a ratio when > 0.
 */
public interface LearningRateSchedule {

    /** Factor for the optimizer step that follows {@code completedSteps} earlier steps. */
    double factor(long completedSteps);

    enum Kind {
        CONSTANT, CONSTANT_WITH_WARMUP, LINEAR, COSINE;

        /** HF names: "constant", "constant_with_warmup", "linear", "cosine". */
        public static Kind parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown learning-rate schedule \"" + s
                        + "\" (constant, constant_with_warmup, linear, cosine)");
            }
        }
    }

    /** HF's warm-up steps: {@code warmupSteps} if > 0, else ⌈totalSteps · warmupRatio⌉. */
    static long warmupSteps(long totalSteps, long warmupSteps, double warmupRatio) {
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be ≥ 0, found " + warmupSteps);
        if (!(warmupRatio >= 0 && warmupRatio <= 1)) throw new IllegalArgumentException("warm-up ratio must be in [0, 1], found " + warmupRatio);
        return warmupSteps > 0 ? warmupSteps : (long) Math.ceil(totalSteps * warmupRatio);
    }

    /** The schedule of {@code kind} over {@code totalSteps} optimizer steps with {@code warmup} warm-up steps. */
    static LearningRateSchedule of(Kind kind, long totalSteps, long warmup) {
        if (totalSteps < 0 || warmup < 0) throw new IllegalArgumentException("steps must be ≥ 0");
        return switch (kind) {
            case CONSTANT -> s -> 1.0;
            case CONSTANT_WITH_WARMUP -> s -> s < warmup ? (double) s / Math.max(1, warmup) : 1.0;
            case LINEAR -> s -> s < warmup ? (double) s / Math.max(1, warmup)
                    : Math.max(0.0, (double) (totalSteps - s) / Math.max(1, totalSteps - warmup));
            case COSINE -> s -> {
                if (s < warmup) return (double) s / Math.max(1, warmup);
                double progress = (double) (s - warmup) / Math.max(1, totalSteps - warmup);
                return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * 0.5 * 2.0 * progress)));
            };
        };
    }
}
