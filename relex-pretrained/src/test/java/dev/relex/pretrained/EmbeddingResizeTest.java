package dev.relex.pretrained;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link EmbeddingResize} on hand-computed tables. */
class EmbeddingResizeTest {
    /** Rows (1,2), (3,4), (5,0): mean (3,2); centred (−2,0), (0,2), (2,−2); Σ = [[8/3, −4/3], [−4/3, 8/3]]. */
    private static final float[] TABLE = {1, 2, 3, 4, 5, 0};

    @Test
    void meanCovarianceAndCholeskyByHand() {
        double[] mean = EmbeddingResize.mean(TABLE, 3, 2);
        assertArrayEquals(new double[] {3, 2}, mean, 1e-15);
        double[] cov = EmbeddingResize.covariance(TABLE, 3, 2, mean);
        assertEquals(8.0 / 3, cov[0], 1e-15);
        assertEquals(-4.0 / 3, cov[2], 1e-15);
        assertEquals(8.0 / 3, cov[3], 1e-15);
        // L = [[√(8/3), 0], [(−4/3)/√(8/3), √(8/3 − 2/3)]] = [[1.632993, 0], [−0.816497, √2]].
        double[] l = EmbeddingResize.cholesky(cov, 2, 1.0);
        assertEquals(Math.sqrt(8.0 / 3), l[0], 1e-12);
        assertEquals(-0.8164965809277261, l[2], 1e-12);
        assertEquals(Math.sqrt(2), l[3], 1e-12);
        assertNull(EmbeddingResize.cholesky(new double[] {1, 0, 1, 1}, 2, 1.0)); // [[1,1],[1,1]] is singular
    }

    /** Blocked accumulation (8 rows per pass) against the textbook double loop, 21 rows (two blocks and a remainder). */
    @Test
    void covarianceEqualsTheNaiveSum() {
        int rows = 21, width = 5;
        float[] t = new float[rows * width];
        java.util.Random rnd = new java.util.Random(4);
        for (int i = 0; i < t.length; i++) t[i] = (float) rnd.nextGaussian();
        double[] mean = EmbeddingResize.mean(t, rows, width);
        double[] cov = EmbeddingResize.covariance(t, rows, width, mean);
        for (int i = 0; i < width; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int r = 0; r < rows; r++) s += (t[r * width + i] - mean[i]) * (t[r * width + j] - mean[j]);
                assertEquals(s / rows, cov[i * width + j], 1e-12, i + "," + j);
            }
        }
    }

    @Test
    void keepsOldRowsAndDrawsNewRowsFromNMeanEpsilonCovariance() {
        int added = 40_000;
        float[] out = EmbeddingResize.meanResized(TABLE, 2, added, 7);
        assertEquals(2 * (3 + added), out.length);
        assertArrayEquals(TABLE, java.util.Arrays.copyOf(out, 6));
        // Sample moments of the new rows against mean (3, 2) and 1e-9·Σ.
        double m0 = 0, m1 = 0;
        for (int r = 0; r < added; r++) {
            m0 += out[6 + 2 * r];
            m1 += out[6 + 2 * r + 1];
        }
        m0 /= added;
        m1 /= added;
        double c00 = 0, c01 = 0, c11 = 0;
        for (int r = 0; r < added; r++) {
            // float32 rows: differences from the mean are ~5e-5, resolved to ~2e-7 at magnitude 3.
            double a = out[6 + 2 * r] - 3.0, b = out[6 + 2 * r + 1] - 2.0;
            c00 += a * a;
            c01 += a * b;
            c11 += b * b;
        }
        assertEquals(3.0, m0, 1e-6);
        assertEquals(2.0, m1, 1e-6);
        assertEquals(8.0 / 3 * 1e-9, c00 / added, 0.1 * 8.0 / 3 * 1e-9);
        assertEquals(-4.0 / 3 * 1e-9, c01 / added, 0.1 * 8.0 / 3 * 1e-9);
        assertEquals(8.0 / 3 * 1e-9, c11 / added, 0.1 * 8.0 / 3 * 1e-9);
    }

    @Test
    void singularCovarianceGivesTheMeanAsTheReferenceDoes() {
        // All rows on the line y = x: Σ is singular, so the new rows are exactly the mean (2, 2).
        float[] out = EmbeddingResize.meanResized(new float[] {1, 1, 2, 2, 3, 3}, 2, 3, 1);
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, java.util.Arrays.copyOfRange(out, 6, 12));
    }

    @Test
    void sameSeedSameRows() {
        assertArrayEquals(EmbeddingResize.meanResized(TABLE, 2, 3, 11), EmbeddingResize.meanResized(TABLE, 2, 3, 11));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingResize.meanResized(TABLE, 4, 1, 0));
    }
}
