package dev.relex.bench.libtorch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.checkpoint.InMemoryTensorSource;
import dev.relex.encoder.Encoder;
import dev.relex.encoder.Encoders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The libtorch side of the training-step benchmark on a tiny BERT (2 layers, hidden 16): its forward
 * equals our encoder's on the same weights, and one step really runs forward, backward and AdamW.
 * Skipped, with the loader's message, where libtorch's natives cannot load.
 */
class TorchTrainStepTest {
    static final BertShape TINY = new BertShape(40, 16, 2, 2, 32, 24, 2, 1e-12);

    @BeforeAll
    static void needLibTorch() {
        String why = LibTorch.unavailableReason();
        assumeTrue(why == null, () -> "skipped: " + why);
        LibTorch.setThreads(1);
    }

    /** Random weights under Hugging Face names; LayerNorm weights near 1, everything else N(0, 0.3²). */
    static final class Weights extends InMemoryTensorSource {
        Weights(BertShape shape, long seed) {
            Random rnd = new Random(seed);
            for (Map.Entry<String, long[]> e : TorchBertEncoder.parameterShapes(shape).entrySet()) {
                long n = 1;
                for (long d : e.getValue()) n *= d;
                float[] v = new float[Math.toIntExact(n)];
                double shift = e.getKey().endsWith("LayerNorm.weight") ? 1 : 0;
                for (int i = 0; i < v.length; i++) v[i] = (float) (shift + 0.3 * rnd.nextGaussian());
                store(e.getKey(), v, e.getValue());
            }
        }
    }

    static EncoderConfig config(BertShape s) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("model_type", "bert");
        n.put("hidden_size", s.hidden());
        n.put("num_hidden_layers", s.layers());
        n.put("num_attention_heads", s.heads());
        n.put("intermediate_size", s.ffn());
        n.put("hidden_act", "gelu");
        n.put("layer_norm_eps", s.layerNormEps());
        n.put("max_position_embeddings", s.maxPositions());
        n.put("type_vocab_size", s.typeVocab());
        n.put("vocab_size", s.vocab());
        n.put("pad_token_id", 0);
        return EncoderConfig.fromJson(n);
    }

    /** Two sequences of 9 and 6 real tokens padded to 9. */
    static final int[] IDS = {1, 5, 9, 13, 17, 21, 25, 29, 2, 1, 7, 11, 19, 23, 2, 0, 0, 0};
    static final int[] MASK = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};

    @Test
    void forwardEqualsOurEncoderOnTheSameWeights() {
        Weights w = new Weights(TINY, 7);
        Encoder ours = Encoders.create(config(TINY), w, "");
        float[] expected = new float[18 * 16];
        ours.forward(IDS, MASK, 2, 9, expected);
        for (TorchBertEncoder.Attention a : TorchBertEncoder.Attention.values()) {
            try (TorchBertEncoder torch = TorchBertEncoder.fromWeights(TINY, a, w::floats);
                 TorchBatch batch = new TorchBatch(IDS, MASK, 2, 9)) {
                float[] got = new float[18 * 16];
                torch.forwardInto(batch, got);
                double diff = 0, largest = 0;
                for (int i = 0; i < got.length; i++) {
                    if (MASK[i / 16] == 0) continue; // padded rows are not part of the contract
                    diff = Math.max(diff, Math.abs(got[i] - expected[i]));
                    largest = Math.max(largest, Math.abs(expected[i]));
                }
                assertTrue(largest > 0.5, "outputs are not trivially small");
                assertTrue(diff < 1e-4, a + ": max |libtorch - ours| = " + diff);
            }
        }
    }

    @Test
    void oneStepRunsForwardBackwardAndAdamW() {
        double lr = 0.01, wd = 0.01;
        String lnWeight = "encoder.layer.1.output.LayerNorm.weight";
        try (TorchBertEncoder enc = TorchBertEncoder.random(TINY, TorchBertEncoder.Attention.SDPA, 1);
             TorchBatch batch = new TorchBatch(IDS, MASK, 2, 9);
             TorchTrainStep step = new TorchTrainStep(enc, lr, wd)) {
            assertEquals(TINY.parameterCount(), enc.parameterCount());
            float[] before = enc.values(lnWeight);
            TorchTrainStep.Times first = step.step(batch);
            assertTrue(first.forwardNanos() > 0 && first.backwardNanos() > 0 && first.optimizerNanos() > 0);
            // The last LayerNorm's output has per-token mean 0 and variance 1 before its affine map, so with
            // weight 1 and bias 0 the loss (mean squared hidden value over real tokens) is 1 up to epsilon.
            assertEquals(1.0, first.loss(), 1e-4);
            // AdamW's first step: w ← w·(1 − lr·wd) − lr·g/(|g| + eps), i.e. 1 − lr·wd ∓ lr for every weight
            // whose gradient is not ~0 (the loss grows with every LayerNorm weight, so all move down).
            float[] after = enc.values(lnWeight);
            for (int i = 0; i < after.length; i++) {
                assertEquals(1.0f, before[i], 0f);
                assertEquals(1 - lr * wd - lr, after[i], 1e-6, "element " + i);
            }
            TorchTrainStep.Times second = step.step(batch);
            assertTrue(second.loss() < first.loss(), "loss " + first.loss() + " -> " + second.loss());
        }
    }
}
