package dev.relex.train.optim;

import dev.relex.checkpoint.SafeTensors;
import dev.relex.checkpoint.SafeTensorsWriter;
import dev.relex.engine.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamWTest {

    /** Two steps of one scalar against the AdamW formula evaluated by hand in double. */
    @Test
    void twoStepsFollowTheFormula() {
        Parameter p = new Parameter("w", new int[] {1}, new float[] {1f});
        AdamW opt = new AdamW(List.of(new ParamGroup("g", 0.1, 0.01, List.of(p))));
        double b1 = 0.9, b2 = 0.999, eps = 1e-8, lr = 0.1, wd = 0.01;
        double w = 1, m = 0, v = 0;
        double[] grads = {0.5, -0.25};
        for (int t = 1; t <= 2; t++) {
            double g = grads[t - 1];
            p.grad()[0] = (float) g;
            opt.step(1.0);
            w *= 1 - lr * wd;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mhat = m / (1 - Math.pow(b1, t)), vhat = v / (1 - Math.pow(b2, t));
            w -= lr * mhat / (Math.sqrt(vhat) + eps);
            assertEquals(w, p.data()[0], 1e-6, "step " + t);
        }
        assertEquals(2, opt.steps());
    }

    /** Step 1 is ≈ −lr·sign(g) plus decay; a zero gradient row changes by decay only. */
    @Test
    void firstStepIsSignLikeAndZeroGradientDecaysOnly() {
        Parameter p = new Parameter("layer.weight", new int[] {3}, new float[] {1f, 1f, 1f});
        p.grad()[0] = 3f;
        p.grad()[1] = -1e-3f;
        AdamW opt = new AdamW(List.of(new ParamGroup("g", 0.01, 0.5, List.of(p))));
        opt.step(1.0);
        float decayed = 1f * (float) (1 - 0.01 * 0.5);
        assertEquals(decayed - 0.01, p.data()[0], 1e-6);
        assertEquals(decayed + 0.01, p.data()[1], 1e-5);
        assertEquals(decayed, p.data()[2], 0f);
    }

    @Test
    void parametersWithoutGradientAreSkippedEntirely() {
        Parameter withGrad = new Parameter("a.weight", new int[] {2}, new float[] {1f, 2f});
        Parameter noGrad = new Parameter("pooler.weight", new int[] {2}, new float[] {1f, 2f});
        withGrad.grad()[0] = 1f;
        AdamW opt = new AdamW(List.of(new ParamGroup("g", 0.1, 0.1, List.of(withGrad, noGrad))));
        opt.step(1.0);
        assertFalse(noGrad.hasGrad());
        assertArrayEquals(new float[] {1f, 2f}, noGrad.copyValue());
        assertEquals(1, opt.exportState().moments().size());
        // a predicate can exclude a parameter whose gradient array exists but was not reached this step
        opt.step(1.0, p -> p != withGrad);
        assertEquals(1, opt.exportState().moments().get("a.weight").step());
    }

    @Test
    void lrFactorZeroLeavesValuesButAdvancesMoments() {
        Parameter p = new Parameter("w", new int[] {1}, new float[] {1f});
        p.grad()[0] = 1f;
        AdamW opt = new AdamW(List.of(new ParamGroup("g", 0.1, 0.1, List.of(p))));
        opt.step(0.0);
        assertEquals(1f, p.data()[0], 0f);
        assertEquals(1, opt.exportState().moments().get("w").step());
    }

    @Test
    void exportImportResumesBitForBit(@TempDir Path tmp) {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] init = new float[12 * 5 + 7];
        for (int i = 0; i < init.length; i++) init[i] = (float) rnd.nextGaussian();
        float[][] grads = new float[6][init.length];
        for (float[] g : grads) for (int i = 0; i < g.length; i++) g[i] = (float) (rnd.nextGaussian() * (i % 7 == 0 ? 1e-9 : 1));

        Parameter[] a = fresh(init);
        AdamW optA = new AdamW(groups(a));
        for (float[] g : grads) run(optA, a, g);

        Parameter[] b = fresh(init);
        AdamW optB = new AdamW(groups(b));
        for (int s = 0; s < 3; s++) run(optB, b, grads[s]);
        Path file = tmp.resolve("optimizer.safetensors");
        optB.exportState().writeTo(new SafeTensorsWriter()).write(file);
        float[][] valuesAtSave = {b[0].copyValue(), b[1].copyValue()};

        Parameter[] c = fresh(init);
        c[0].setValue(valuesAtSave[0]);
        c[1].setValue(valuesAtSave[1]);
        AdamW optC = new AdamW(groups(c));
        try (SafeTensors st = SafeTensors.open(file)) {
            optC.importState(OptimizerState.readFrom(st));
        }
        assertEquals(3, optC.steps());
        for (int s = 3; s < grads.length; s++) run(optC, c, grads[s]);
        for (int i = 0; i < 2; i++) {
            float[] x = a[i].copyValue(), y = c[i].copyValue();
            for (int k = 0; k < x.length; k++) assertEquals(Float.floatToIntBits(x[k]), Float.floatToIntBits(y[k]), "param " + i + "[" + k + "]");
        }
    }

    @Test
    void importRejectsUnknownOrMisshapedParameters() {
        Parameter p = new Parameter("w", new int[] {2}, new float[2]);
        AdamW opt = new AdamW(List.of(new ParamGroup("g", 0.1, 0, List.of(p))));
        OptimizerState bad = new OptimizerState(1, java.util.Map.of("w", new OptimizerState.Moments(new int[] {3}, 1, new float[3], new float[3])));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.importState(bad));
        assertTrue(e.getMessage().contains("w"), e.getMessage());
        OptimizerState unknown = new OptimizerState(1, java.util.Map.of("x", new OptimizerState.Moments(new int[] {2}, 1, new float[2], new float[2])));
        assertThrows(IllegalArgumentException.class, () -> opt.importState(unknown));
    }

    @Test
    void duplicateParameterIsRejected() {
        Parameter p = new Parameter("w", new int[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class,
                () -> new AdamW(List.of(new ParamGroup("a", 1, 0, List.of(p)), new ParamGroup("b", 1, 0, List.of(p)))));
    }

    private static Parameter[] fresh(float[] init) {
        return new Parameter[] {
            new Parameter("enc.weight", new int[] {12, 5}, java.util.Arrays.copyOfRange(init, 0, 60)),
            new Parameter("head.bias", new int[] {7}, java.util.Arrays.copyOfRange(init, 60, 67))};
    }

    private static List<ParamGroup> groups(Parameter[] p) {
        return List.of(new ParamGroup("decay", 1e-2, 0.1, List.of(p[0])), new ParamGroup("no-decay", 3e-2, 0, List.of(p[1])));
    }

    private static void run(AdamW opt, Parameter[] ps, float[] g) {
        System.arraycopy(g, 0, ps[0].grad(), 0, 60);
        System.arraycopy(g, 60, ps[1].grad(), 0, 7);
        GradientClipping.clipGlobalNorm(opt.parameters(), 2.0);
        opt.step(LearningRateSchedule.of(LearningRateSchedule.Kind.COSINE, 6, 2).factor(opt.steps()));
        opt.zeroGrad();
    }
}
