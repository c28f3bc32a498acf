package dev.relex.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
}
