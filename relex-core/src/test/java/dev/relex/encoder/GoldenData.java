package dev.relex.encoder;

import dev.relex.checkpoint.SafeTensors;

/** Comparing encoder outputs with golden tensors on real tokens (golden folders: {@link dev.relex.golden.RelexGolden}). */
final class GoldenData {
    private GoldenData() {}

    static int[] ints(SafeTensors t, String name) {
        long[] l = t.longs(name);
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) out[i] = Math.toIntExact(l[i]);
        return out;
    }

    /**
     * Largest |actual − expected| over positions with mask ≠ 0; both arrays are [batch·seqLen, width]
     * row-major.
     */
    static double maxAbsDiffOnRealTokens(float[] actual, float[] expected, int[] mask, int width) {
        double max = 0;
        for (int t = 0; t < mask.length; t++) {
            if (mask[t] == 0) continue;
            for (int c = 0; c < width; c++) {
                double d = Math.abs(actual[t * width + c] - expected[t * width + c]);
                if (Double.isNaN(d)) return Double.NaN;
                max = Math.max(max, d);
            }
        }
        return max;
    }
}
