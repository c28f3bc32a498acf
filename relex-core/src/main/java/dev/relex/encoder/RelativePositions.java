package dev.relex.encoder;

import java.util.concurrent.atomic.AtomicReference;

/**
 * DeBERTa-v2 relative positions: for a query i and key j the row δ(i − j) of the relative embedding
 * table that both c2p and p2c use, δ(r) = clamp(bucket(r) + span, 0, 2·span − 1). It depends only on
 * r = i − j, so one table over r ∈ (−M, M) serves every sequence of length ≤ M; it is grown on demand
 * and published as an immutable array (safe for concurrent readers).
 */
final class RelativePositions {
    private final int bucketSize;   // position_buckets (≤ 0: plain clamped distances)
    private final int maxPosition;  // effective max_relative_positions
    private final int span;         // att_span = pos_ebd_size
    private final AtomicReference<int[]> table = new AtomicReference<>(new int[0]);

    RelativePositions(int bucketSize, int maxPosition) {
        this.bucketSize = bucketSize;
        this.maxPosition = maxPosition;
        this.span = bucketSize > 0 ? bucketSize : maxPosition;
    }

    /** Rows of the relative embedding table used by attention (2·span). */
    int rows() {
        return 2 * span;
    }

    /**
     * Table d with d[r + M − 1] = δ(r) for |r| < M, where M = (d.length + 1) / 2 ≥ {@code length}.
     */
    int[] table(int length) {
        int[] t = table.get();
        int m = (t.length + 1) / 2;
        if (m >= length) return t;
        int newM = Math.max(length, Math.max(2 * m, 512));
        int[] fresh = new int[2 * newM - 1];
        for (int r = -(newM - 1); r < newM; r++) fresh[r + newM - 1] = delta(r);
        // Several threads may race here; every candidate is correct, keep the largest.
        table.accumulateAndGet(fresh, (a, b) -> a.length >= b.length ? a : b);
        return fresh;
    }

    /** δ(r) = clamp(bucket(r) + span, 0, 2·span − 1). */
    int delta(int r) {
        int b = bucketSize > 0 && maxPosition > 0 ? logBucket(r, bucketSize, maxPosition) : r;
        return Math.min(Math.max(b + span, 0), 2 * span - 1);
    }

    /**
     * transformers' {@code make_log_bucket_position}, evaluated in float32 like torch: distances up to
     * mid = bucketSize / 2 are kept, longer ones are compressed logarithmically.
     */
    static int logBucket(int r, int bucketSize, int maxPosition) {
        int mid = bucketSize / 2;
        int abs = Math.abs(r);
        if (abs <= mid) return r;
        float ratio = (float) abs / (float) mid;
        float logRatio = (float) Math.log(ratio);
        float logMax = (float) Math.log((float) ((maxPosition - 1) / (double) mid));
        float scaled = logRatio / logMax * (float) (mid - 1);
        int pos = (int) ((float) Math.ceil(scaled) + (float) mid);
        return r < 0 ? -pos : pos;
    }
}
