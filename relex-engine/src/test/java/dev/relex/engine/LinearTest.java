package dev.relex.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Input slices of a layer compute exactly the strided product over that block of the weight. */
class LinearTest {

    @Test
    void inputSliceEqualsTheStridedProduct() {
        Random rnd = new Random(3);
        int in = 3 * 40, out = 70, rows = 9, width = 40;
        float[] w = GemmTest.randomArray(rnd, out * in);
        float[] b = GemmTest.randomArray(rnd, out);
        float[] x = GemmTest.randomArray(rnd, rows * width);
        Linear layer = new Linear(w, b, in, out);
        for (int block = 0; block < 3; block++) {
            boolean withBias = block == 1;
            Linear slice = layer.inputSlice(block * width, width, withBias);
            if (withBias) assertSame(b, slice.bias());
            else assertNull(slice.bias());
            float[] expected = new float[rows * out];
            Ops.gemmTransB(rows, out, width, x, 0, width, w, block * width, in, expected, 0, out, false,
                    withBias ? b : null, 0);
            float[] actual = new float[rows * out];
            Ops.linear(x, 0, rows, slice, actual, 0);
            assertArrayEquals(expected, actual, "block " + block);
        }
        assertThrows(IllegalArgumentException.class, () -> layer.inputSlice(100, 40, false));
    }

    @Test
    void refreshedSliceFollowsInPlaceUpdatesOfTheSource() {
        Random rnd = new Random(4);
        int in = 2 * 48, out = 64, rows = 5, width = 48;
        float[] w = GemmTest.randomArray(rnd, out * in);
        Linear layer = new Linear(w, null, in, out);
        Linear slice = layer.inputSlice(width, width, false);
        float[] x = GemmTest.randomArray(rnd, rows * width);
        float[] before = new float[rows * out];
        Ops.linear(x, 0, rows, slice, before, 0); // packs the slice
        for (int i = 0; i < w.length; i++) w[i] = -2f * w[i];
        slice.refreshInputSlice(layer, width);
        float[] actual = new float[rows * out];
        Ops.linear(x, 0, rows, slice, actual, 0);
        for (int i = 0; i < actual.length; i++) assertEquals(-2f * before[i], actual[i], 1e-4f * (1 + Math.abs(before[i])));
        assertThrows(IllegalArgumentException.class, () -> slice.refreshInputSlice(layer, width + 1));
    }
}
