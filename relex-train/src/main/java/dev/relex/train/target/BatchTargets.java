package dev.relex.train.target;

import java.util.List;

/**
 * The targets of one batch: per example ({@link ExampleTargets}) plus what is batch-level in the reference —
 * whether the batch has relation classes at all (without, the loss is the bare entity loss, golden README
 * difference 8) and the padded batch tensors of the reference's collator (for comparison and for callers
 * that want them; the losses work per example).
 */
public record BatchTargets(TargetSettings settings, List<ExampleTargets> examples) {
    public BatchTargets {
        examples = List.copyOf(examples);
    }

    /** A float or int64 tensor in row-major order. */
    public record Tensor(int[] shape, float[] floats, long[] longs) {}

    public int size() {
        return examples.size();
    }

    public ExampleTargets get(int i) {
        return examples.get(i);
    }

    /** max C over the batch. */
    public int maxEntityClasses() {
        return examples.stream().mapToInt(ExampleTargets::entityClasses).max().orElse(0);
    }

    /** max R over the batch (the reference's C of {@code rel_matrix}). */
    public int maxRelationClasses() {
        return examples.stream().mapToInt(ExampleTargets::relationClasses).max().orElse(0);
    }

    /** Whether any example has a relation label (else no pairs, no adjacency/relation loss). */
    public boolean hasRelationClasses() {
        return maxRelationClasses() > 0;
    }

    public int maxWords() {
        return examples.stream().mapToInt(ExampleTargets::words).max().orElse(0);
    }

    /** The reference's E: max(1, max candidates). */
    public int maxCandidates() {
        return Math.max(1, examples.stream().mapToInt(ExampleTargets::candidates).max().orElse(0));
    }

    /** The reference's number of pair rows: max(1, max pairs). */
    public int maxPairs() {
        return Math.max(1, examples.stream().mapToInt(ExampleTargets::pairCount).max().orElse(0));
    }

    /** {@code labels}: span head (B, W·K, C); token head (B, W, C, 3); zero padded. */
    public Tensor paddedEntityTargets() {
        int B = size(), W = maxWords(), C = maxEntityClasses();
        boolean token = settings.head() == EntityHead.TOKEN;
        int rowsPerWord = token ? 1 : settings.maxWidth(), inner = token ? 3 : 1;
        float[] out = new float[B * W * rowsPerWord * C * inner];
        for (int b = 0; b < B; b++) {
            ExampleTargets t = get(b);
            int c = t.entityClasses();
            for (int r = 0; r < t.words() * rowsPerWord; r++) {
                for (int k = 0; k < c * inner; k++) {
                    out[((b * W * rowsPerWord) + r) * C * inner + k] = t.entityTargets()[r * c * inner + k];
                }
            }
        }
        return new Tensor(token ? new int[] {B, W, C, 3} : new int[] {B, W * rowsPerWord, C}, out, null);
    }

    /** {@code span_idx}: span head (B, W·K, 2) = every (start, start + w) of the text, 0-padded; token head (B, E, 2) = candidates. */
    public Tensor paddedSpanIndex() {
        int B = size();
        if (settings.head() == EntityHead.TOKEN) {
            int E = maxCandidates();
            long[] out = new long[B * E * 2];
            for (int b = 0; b < B; b++) {
                ExampleTargets t = get(b);
                for (int e = 0; e < t.candidates(); e++) {
                    out[(b * E + e) * 2] = t.candidateStarts()[e];
                    out[(b * E + e) * 2 + 1] = t.candidateEnds()[e];
                }
            }
            return new Tensor(new int[] {B, E, 2}, null, out);
        }
        int K = settings.maxWidth(), S = maxWords() * K;
        long[] out = new long[B * S * 2];
        for (int b = 0; b < B; b++) {
            for (int f = 0; f < get(b).words() * K; f++) {
                out[(b * S + f) * 2] = f / K;
                out[(b * S + f) * 2 + 1] = f / K + f % K;
            }
        }
        return new Tensor(new int[] {B, S, 2}, null, out);
    }

    /** {@code span_mask}: span head (B, W·K) valid spans; token head (B, E) valid candidates. */
    public Tensor paddedSpanMask() {
        int B = size();
        if (settings.head() == EntityHead.TOKEN) {
            int E = maxCandidates();
            long[] out = new long[B * E];
            for (int b = 0; b < B; b++) for (int e = 0; e < get(b).candidates(); e++) out[b * E + e] = 1;
            return new Tensor(new int[] {B, E}, null, out);
        }
        int S = maxWords() * settings.maxWidth();
        long[] out = new long[B * S];
        for (int b = 0; b < B; b++) {
            ExampleTargets t = get(b);
            for (int f = 0; f < t.words() * t.maxWidth(); f++) out[b * S + f] = t.spanValid(f) ? 1 : 0;
        }
        return new Tensor(new int[] {B, S}, null, out);
    }

    /** {@code adj_matrix} (B, E, E), or null in all-pairs mode (the reference's collator drops it). */
    public Tensor paddedAdjacency() {
        if (settings.allPairs()) return null;
        int B = size(), E = maxCandidates();
        float[] out = new float[B * E * E];
        for (int b = 0; b < B; b++) {
            ExampleTargets t = get(b);
            int e = t.candidates();
            for (int i = 0; i < e; i++) for (int j = 0; j < e; j++) out[(b * E + i) * E + j] = t.adjacencyTarget()[i * e + j];
        }
        return new Tensor(new int[] {B, E, E}, out, null);
    }

    /** {@code rel_matrix} (B, pairs, R); (B, 1, 1) zeros when the batch has no relation classes, as the reference. */
    public Tensor paddedRelationTargets() {
        int B = size(), N = hasRelationClasses() ? maxPairs() : 1, R = Math.max(1, maxRelationClasses());
        float[] out = new float[B * N * R];
        for (int b = 0; b < B; b++) {
            ExampleTargets t = get(b);
            int r = t.relationClasses();
            for (int n = 0; n < t.pairCount(); n++) for (int c = 0; c < r; c++) out[(b * N + n) * R + c] = t.relationTargets()[n * r + c];
        }
        return new Tensor(new int[] {B, N, R}, out, null);
    }
}
