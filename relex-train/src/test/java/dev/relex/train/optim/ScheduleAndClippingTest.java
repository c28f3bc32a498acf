package dev.relex.train.optim;

import dev.relex.engine.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.relex.train.optim.LearningRateSchedule.Kind.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleAndClippingTest {

    @Test
    void linearWithWarmupHasHuggingFaceValues() {
        LearningRateSchedule s = LearningRateSchedule.of(LINEAR, 10, 2);
        // steps 1..10 (factor(completed)): warm-up 0, 0.5; then (10 − s)/8
        double[] expected = {0, 0.5, 1, 7 / 8.0, 6 / 8.0, 5 / 8.0, 4 / 8.0, 3 / 8.0, 2 / 8.0, 1 / 8.0, 0, 0};
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], s.factor(i), 1e-15, "step " + (i + 1));
    }

    @Test
    void linearWithoutWarmupStartsAtOne() {
        LearningRateSchedule s = LearningRateSchedule.of(LINEAR, 4, 0);
        assertEquals(1.0, s.factor(0));
        assertEquals(0.75, s.factor(1));
        assertEquals(0.25, s.factor(3));
    }

    @Test
    void cosineHalfCycle() {
        LearningRateSchedule s = LearningRateSchedule.of(COSINE, 11, 1);
        assertEquals(0.0, s.factor(0));
        assertEquals(1.0, s.factor(1), 1e-15);
        assertEquals(0.5, s.factor(6), 1e-15);           // progress 0.5 → ½(1 + cos(π/2))
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 0.1)), s.factor(2), 1e-15);
        assertEquals(0.0, s.factor(11), 1e-15);
    }

    @Test
    void constantKinds() {
        assertEquals(1.0, LearningRateSchedule.of(CONSTANT, 5, 3).factor(0));
        LearningRateSchedule w = LearningRateSchedule.of(CONSTANT_WITH_WARMUP, 5, 4);
        assertEquals(0.25, w.factor(1));
        assertEquals(1.0, w.factor(4));
        assertEquals(LINEAR, LearningRateSchedule.Kind.parse("linear"));
    }

    @Test
    void warmupStepsFromRatioRoundUp() {
        assertEquals(2, LearningRateSchedule.warmupSteps(15, 0, 0.1));   // ceil(1.5)
        assertEquals(5, LearningRateSchedule.warmupSteps(15, 5, 0.1));   // explicit steps win
        assertEquals(0, LearningRateSchedule.warmupSteps(15, 0, 0.0));
    }

    @Test
    void clippingScalesOnlyWhenNormExceedsMax() {
        Parameter a = new Parameter("a", new int[] {2}, new float[2]);
        Parameter b = new Parameter("b", new int[] {1}, new float[1]);
        Parameter none = new Parameter("c", new int[] {1}, new float[1]);
        a.grad()[0] = 3f;
        a.grad()[1] = 0f;
        b.grad()[0] = 4f;                                  // global norm 5
        double norm = GradientClipping.clipGlobalNorm(List.of(a, b, none), 1.0);
        assertEquals(5.0, norm, 1e-6);
        float coef = 1f / (5f + 1e-6f);
        assertEquals(3f * coef, a.grad()[0], 0f);
        assertEquals(4f * coef, b.grad()[0], 0f);
        assertFalse(none.hasGrad());
        double after = GradientClipping.clipGlobalNorm(List.of(a, b), 10.0);
        assertTrue(after < 1.0 + 1e-6);
        assertEquals(3f * coef, a.grad()[0], 0f, "below the max: unchanged");
    }

    @Test
    void twoGroupsWithoutOthersLrAndFrozenParametersLeftOut() {
        Parameter enc = new Parameter("token_rep_layer.bert_layer.model.encoder.layer.0.output.dense.weight", new int[] {1}, new float[1]);
        Parameter ln = new Parameter("token_rep_layer.bert_layer.model.encoder.layer.0.output.LayerNorm.weight", new int[] {1}, new float[1]);
        Parameter head = new Parameter("prompt_rep_layer.0.weight", new int[] {1}, new float[1]);
        Parameter bias = new Parameter("prompt_rep_layer.0.bias", new int[] {1}, new float[1]);
        Parameter lstmBias = new Parameter("rnn.lstm.bias_ih_l0", new int[] {1}, new float[1]);
        Parameter lstm = new Parameter("rnn.lstm.weight_ih_l0", new int[] {1}, new float[1]);
        List<Parameter> all = List.of(enc, ln, head, bias, lstmBias, lstm);
        List<ParamGroup> two = ParameterGroups.reference(all, 1e-3, 0.01, null, 0.5, p -> true);
        assertEquals(2, two.size());
        assertEquals(List.of(enc.name(), head.name(), lstm.name()), two.get(0).names());
        assertEquals(0.01, two.get(0).weightDecay());
        assertEquals(List.of(ln.name(), bias.name(), lstmBias.name()), two.get(1).names());
        assertEquals(0.0, two.get(1).weightDecay());
        List<ParamGroup> frozen = ParameterGroups.reference(all, 1e-3, 0.01, 5e-3, 0.5,
                p -> !ParameterGroups.isEncoderParameter(p.name()));
        assertEquals(4, frozen.size());
        assertEquals(List.of(head.name(), lstm.name()), frozen.get(0).names());
        assertEquals(5e-3, frozen.get(0).learningRate());
        assertTrue(frozen.get(2).parameters().isEmpty() && frozen.get(3).parameters().isEmpty());
    }

    @Test
    void layerNormNames() {
        assertTrue(ParameterGroups.isLayerNormParameter("x.embeddings.LayerNorm.bias"));
        assertTrue(ParameterGroups.isLayerNormParameter("token_rep_layer.bert_layer.model.encoder.LayerNorm.weight"));
        assertTrue(ParameterGroups.isLayerNormParameter("model.layers.0.attn_norm.weight"));
        assertTrue(ParameterGroups.isLayerNormParameter("transformer.ln_f.weight"));
        assertFalse(ParameterGroups.isLayerNormParameter("prompt_rep_layer.0.weight"));
        assertFalse(ParameterGroups.isLayerNormParameter("rnn.lstm.weight_ih_l0"));
    }
}
