package dev.relex.pretrained;

import java.util.Arrays;
import java.util.Random;

/**
 * Grows a word-embedding table by new rows the way transformers 4.57's
 * {@code resize_token_embeddings(new_num_tokens)} does with its default {@code mean_resizing=True}
 * ({@code PreTrainedModel._init_added_embeddings_weights_with_mean}): with μ the mean of the old rows
 * and Σ = (X−μ)ᵀ(X−μ)/n their covariance, each new row is drawn from N(μ, 10⁻⁹·Σ) if 10⁻⁹·Σ is
 * positive definite (checked by a Cholesky factorisation, as torch's constraint does), else set to μ.
 *
 * <p>Sampling uses the full covariance: row = μ + L·z with L the Cholesky factor of 10⁻⁹·Σ and z
 * standard normal from {@link Random#nextGaussian()} (seeded; the draws are not torch's). Σ is
 * accumulated in double precision. The 10⁻⁹ factor makes the new rows the mean plus noise of about
 * 3·10⁻⁵ standard deviations: practically the mean embedding.
 */
public final class EmbeddingResize {
    /** transformers' scale of the covariance. */
    static final double EPSILON = 1e-9;

    private EmbeddingResize() {}

    /**
     * Returns a copy of {@code table} ([oldRows, width], row-major) with {@code added} rows appended.
     */
    public static float[] meanResized(float[] table, int width, int added, long seed) {
        if (width <= 0 || table.length % width != 0) {
            throw new IllegalArgumentException("table of " + table.length + " floats is not a multiple of width " + width);
        }
        if (added < 0) throw new IllegalArgumentException("added must be >= 0, got " + added);
        int rows = table.length / width;
        if (rows == 0) throw new IllegalArgumentException("cannot mean-resize an empty table");
        float[] out = Arrays.copyOf(table, Math.multiplyExact(rows + added, width));
        if (added == 0) return out;
        double[] mean = mean(table, rows, width);
        double[] chol = cholesky(covariance(table, rows, width, mean), width, EPSILON);
        Random rnd = new Random(seed);
        double[] z = new double[width];
        for (int a = 0; a < added; a++) {
            int base = (rows + a) * width;
            if (chol == null) {
                for (int i = 0; i < width; i++) out[base + i] = (float) mean[i];
                continue;
            }
            for (int i = 0; i < width; i++) z[i] = rnd.nextGaussian();
            for (int i = 0; i < width; i++) {
                double s = mean[i];
                int row = i * width;
                for (int j = 0; j <= i; j++) s += chol[row + j] * z[j];
                out[base + i] = (float) s;
            }
        }
        return out;
    }

    static double[] mean(float[] table, int rows, int width) {
        double[] mean = new double[width];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            for (int i = 0; i < width; i++) mean[i] += table[base + i];
        }
        for (int i = 0; i < width; i++) mean[i] /= rows;
        return mean;
    }

    /** Rows accumulated per pass over Σ (Σ of a 768-wide table is 4.7 MB: one pass per row would be memory-bound). */
    private static final int BLOCK = 8;

    /** Lower triangle (row-major, [width, width]) of (X−μ)ᵀ(X−μ)/rows. */
    static double[] covariance(float[] table, int rows, int width, double[] mean) {
        double[] cov = new double[width * width];
        double[] x = new double[BLOCK * width];   // BLOCK centred rows, row b at b*width
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            int n = Math.min(BLOCK, rows - r0);
            for (int b = 0; b < n; b++) {
                int base = (r0 + b) * width;
                for (int i = 0; i < width; i++) x[b * width + i] = table[base + i] - mean[i];
            }
            if (n < BLOCK) java.util.Arrays.fill(x, n * width, BLOCK * width, 0.0); // zero rows add nothing
            for (int i = 0; i < width; i++) {
                double a0 = x[i], a1 = x[width + i], a2 = x[2 * width + i], a3 = x[3 * width + i];
                double a4 = x[4 * width + i], a5 = x[5 * width + i], a6 = x[6 * width + i], a7 = x[7 * width + i];
                int row = i * width;
                for (int j = 0; j <= i; j++) {
                    cov[row + j] += a0 * x[j] + a1 * x[width + j] + a2 * x[2 * width + j] + a3 * x[3 * width + j]
                            + a4 * x[4 * width + j] + a5 * x[5 * width + j] + a6 * x[6 * width + j] + a7 * x[7 * width + j];
                }
            }
        }
        for (int i = 0; i < width; i++) {
            for (int j = 0; j <= i; j++) cov[i * width + j] /= rows;
        }
        return cov;
    }

    /** Lower Cholesky factor of scale·A (A given by its lower triangle), or null if not positive definite. */
    static double[] cholesky(double[] lower, int n, double scale) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = scale * lower[i * n + j];
                for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                if (i == j) {
                    if (!(s > 0)) return null;
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        return l;
    }
}
