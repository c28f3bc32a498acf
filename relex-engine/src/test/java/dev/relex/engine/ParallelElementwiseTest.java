package dev.relex.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The split element-wise entry points of {@link Ops} (GELU, LayerNorm) give exactly the values of one
 * unsplit kernel call, for lengths around the split threshold and odd offsets.
 */
class ParallelElementwiseTest {

    @Test
    void chunkBoundsCoverTheRangeInOrderOnMultiplesOf64() {
        for (int len : new int[] {Ops.ELEMENT_PARALLEL_MIN, 100_003, 1 << 20}) {
            for (int chunks = 1; chunks <= 8; chunks++) {
                assertEquals(0, Ops.chunkStart(len, chunks, 0));
                assertEquals(len, Ops.chunkStart(len, chunks, chunks));
                for (int c = 1; c < chunks; c++) {
                    int start = Ops.chunkStart(len, chunks, c);
                    assertEquals(0, start % 64, "chunk start " + start);
                    assertTrue(start >= Ops.chunkStart(len, chunks, c - 1));
                }
            }
        }
    }

    @Test
    void geluSplitEqualsOneCall() {
        Random rnd = new Random(7);
        for (int len : new int[] {Ops.ELEMENT_PARALLEL_MIN - 1, Ops.ELEMENT_PARALLEL_MIN, 100_003, 196_608 + 5}) {
            float[] x = new float[len + 5];
            for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * 4);
            float[] expected = x.clone();
            Ops.kernels().gelu(expected, 5, len);
            float[] actual = x.clone();
            Ops.gelu(actual, 5, len);
            assertArrayEquals(expected, actual, "len " + len);
        }
    }

    @Test
    void layerNormSplitEqualsOneCall() {
        Random rnd = new Random(8);
        int dim = 384;
        for (int rows : new int[] {3, 85, 86, 257}) {
            float[] x = new float[rows * dim + 1];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            float[] gamma = new float[dim], beta = new float[dim];
            for (int i = 0; i < dim; i++) {
                gamma[i] = 1 + 0.1f * (float) rnd.nextGaussian();
                beta[i] = 0.1f * (float) rnd.nextGaussian();
            }
            float[] expected = x.clone();
            Ops.kernels().layerNorm(expected, 1, rows, dim, gamma, beta, 1e-12f);
            float[] actual = x.clone();
            Ops.layerNorm(actual, 1, rows, dim, gamma, beta, 1e-12f);
            assertArrayEquals(expected, actual, "rows " + rows);
        }
    }
}
