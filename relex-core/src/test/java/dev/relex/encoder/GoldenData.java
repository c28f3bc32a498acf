package dev.relex.encoder;

import dev.relex.checkpoint.SafeTensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locating golden folders and comparing encoder outputs on real tokens. */
final class GoldenData {
    private GoldenData() {}

    static Path golden() {
        return Path.of(System.getProperty("relex.shared", "../shared")).resolve("golden");
    }

    /** Every {@code relex-*} case folder that has a model. */
    static List<Path> relexCases() throws IOException {
        Path g = golden();
        if (!Files.isDirectory(g)) return List.of();
        try (Stream<Path> s = Files.list(g)) {
            return s.filter(p -> p.getFileName().toString().startsWith("relex-") && Files.isDirectory(p.resolve("model")))
                    .sorted().toList();
        }
    }

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
