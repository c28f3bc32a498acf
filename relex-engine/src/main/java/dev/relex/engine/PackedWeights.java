package dev.relex.engine;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Packed copies of {@link Linear} weights, made on first use and kept while the weight array is
 * reachable, so that products with few rows (short texts) do not repack the weights on every call —
 * ONNX Runtime pre-packs constant weights the same way. A packed copy is as large as the weights, so
 * the total is capped by {@code -Drelex.prepack.mb} (default: a quarter of the max heap, at most
 * 2048 MB; 0 disables); layers beyond the cap are packed per call as before. Results are identical
 * either way.
 */
final class PackedWeights {
    private static final long BUDGET_BYTES = budget();
    /** Keyed by the weight array itself (arrays hash and compare by identity). */
    private static final Map<float[], float[]> CACHE = new WeakHashMap<>();

    private PackedWeights() {}

    private static long budget() {
        String prop = System.getProperty("relex.prepack.mb");
        if (prop == null || prop.isBlank()) {
            return Math.min(2048L << 20, Runtime.getRuntime().maxMemory() / 4);
        }
        try {
            return Math.max(0, Long.parseLong(prop.trim())) << 20;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property relex.prepack.mb must be an integer, got '" + prop + "'", e);
        }
    }

    /**
     * Forgets the packed copy of {@code weight} (after its values were changed in place, e.g. by an
     * optimizer step); the next product packs the new values.
     */
    static void invalidate(float[] weight) {
        synchronized (CACHE) {
            CACHE.remove(weight);
        }
    }

    /** The packed weights of layer for kernels k, or null (not supported, or over budget). */
    static float[] of(Kernels k, Linear layer) {
        if (BUDGET_BYTES <= 0 || !k.packsWeights()) return null;
        float[] w = layer.weight();
        synchronized (CACHE) {
            float[] p = CACHE.get(w);
            if (p != null) return p;
            long used = 0;
            for (float[] v : CACHE.values()) used += 4L * v.length;
            if (used + 4L * w.length > BUDGET_BYTES) return null;
        }
        float[] packed = k.prepackTransB(w, layer.out(), layer.in());
        if (packed == null) return null;
        synchronized (CACHE) {
            float[] raced = CACHE.putIfAbsent(w, packed);
            return raced != null ? raced : packed;
        }
    }
}
