package dev.relex.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same input must give the same bits before and after the JIT has compiled a kernel. Vector API
 * {@code reduceLanes(ADD)} and {@code lanewise(EXP)} broke this (their compiled and interpreted forms
 * differ in the last bit), so identical encoder calls returned different states over time.
 */
class WarmupDeterminismTest {

    private static void check(String name, UnaryOperator<float[]> op, List<float[]> inputs) {
        List<float[]> cold = new ArrayList<>();
        for (float[] in : inputs) cold.add(op.apply(in.clone()));
        for (int it = 0; it < 300; it++) for (float[] in : inputs) op.apply(in.clone());
        int changed = 0;
        for (int i = 0; i < inputs.size(); i++) if (!Arrays.equals(cold.get(i), op.apply(inputs.get(i).clone()))) changed++;
        assertEquals(0, changed, name + ": results changed after warm-up for " + changed + " of " + inputs.size() + " inputs");
    }

    @Test
    void kernelsGiveTheSameBitsColdAndWarm() {
        Random r = new Random(5);
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            float[] x = new float[7 + r.nextInt(90)];
            for (int j = 0; j < x.length; j++) x[j] = (float) r.nextGaussian() * 3;
            inputs.add(x);
        }
        float[] gamma = new float[100], beta = new float[100];
        Arrays.fill(gamma, 1.1f);
        Arrays.fill(beta, 0.1f);
        check("softmax", x -> { Ops.softmax(x, 0, x.length); return x; }, inputs);
        check("gelu", x -> { Ops.gelu(x, 0, x.length); return x; }, inputs);
        check("layerNorm", x -> { Ops.layerNorm(x, 0, 1, x.length, gamma, beta, 1e-7f); return x; }, inputs);
        check("dot", x -> new float[]{Ops.dot(x, 0, x, 0, x.length)}, inputs);
    }
}
