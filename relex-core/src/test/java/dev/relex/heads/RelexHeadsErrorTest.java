package dev.relex.heads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.text.EncodedInput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/** create() rejects unsupported configs and bad weights, forward() rejects inconsistent inputs, with clear messages. */
class RelexHeadsErrorTest {

    private static ObjectNode base() {
        return RandomHeadWeights.config(12, 16, "markerV0", "gcn", 1, 4);
    }

    private static String createFails(Consumer<ObjectNode> edit) {
        ObjectNode c = base();
        GlinerConfig valid = GlinerConfig.fromJson(c);
        RandomHeadWeights weights = new RandomHeadWeights(valid, 1, 1.0);
        edit.accept(c);
        return assertThrows(CheckpointException.class, () -> RelexHeads.create(GlinerConfig.fromJson(c), weights)).getMessage();
    }

    @Test
    void triplesLayerIsNotSupportedYet() {
        String msg = createFails(c -> c.put("triples_layer", "TransE"));
        assertTrue(msg.contains("triples_layer") && msg.contains("not supported yet"), msg);
    }

    @Test
    void unknownRelationsLayerIsNamed() {
        String msg = createFails(c -> c.put("relations_layer", "hypergraph"));
        assertTrue(msg.contains("hypergraph"), msg);
    }

    @Test
    void nullRelationsLayerIsNotRelex() {
        String msg = createFails(c -> c.putNull("relations_layer"));
        assertTrue(msg.contains("relations_layer"), msg);
    }

    @Test
    void otherUnsupportedSettingsAreNamed() {
        assertTrue(createFails(c -> c.put("fuse_layers", true)).contains("fuse_layers"));
        assertTrue(createFails(c -> c.put("span_mode", "markerV1")).contains("markerV1"));
        assertTrue(createFails(c -> c.put("subtoken_pooling", "mean")).contains("subtoken_pooling"));
        assertTrue(createFails(c -> c.put("precomputed_prompts_mode", "x")).contains("precomputed_prompts_mode"));
        assertTrue(createFails(c -> c.put("class_token_index", -1)).contains("class_token_index"));
    }

    @Test
    void attentionNeedsWidthDivisibleByEight() {
        ObjectNode c = RandomHeadWeights.config(12, 12, "markerV0", "gcn", 1, 4);
        GlinerConfig gcn = GlinerConfig.fromJson(c);
        RandomHeadWeights weights = new RandomHeadWeights(gcn, 1, 1.0);
        c.put("relations_layer", "attention");
        String msg = assertThrows(CheckpointException.class,
                () -> RelexHeads.create(GlinerConfig.fromJson(c), weights)).getMessage();
        assertTrue(msg.contains("multiple of 8"), msg);
    }

    @Test
    void missingWeightIsNamed() {
        GlinerConfig cfg = GlinerConfig.fromJson(base());
        RandomHeadWeights weights = new RandomHeadWeights(cfg, 1, 1.0).remove("rnn.lstm.weight_hh_l0_reverse");
        String msg = assertThrows(CheckpointException.class, () -> RelexHeads.create(cfg, weights)).getMessage();
        assertTrue(msg.contains("rnn.lstm.weight_hh_l0_reverse") && msg.contains("missing"), msg);
    }

    @Test
    void misshapedWeightIsNamed() {
        GlinerConfig cfg = GlinerConfig.fromJson(base());
        RandomHeadWeights weights = new RandomHeadWeights(cfg, 1, 1.0)
                .put("pair_rep_layer.0.weight", new float[64 * 16], 64, 16);
        String msg = assertThrows(CheckpointException.class, () -> RelexHeads.create(cfg, weights)).getMessage();
        assertTrue(msg.contains("pair_rep_layer.0.weight") && msg.contains("[64, 16]") && msg.contains("[64, 32]"), msg);
    }

    @Test
    void nonFiniteWeightIsNamed() {
        GlinerConfig cfg = GlinerConfig.fromJson(base());
        float[] bad = new float[16];
        bad[3] = Float.NaN;
        RandomHeadWeights weights = new RandomHeadWeights(cfg, 1, 1.0).put("prompt_rep_layer.3.bias", bad, 16);
        String msg = assertThrows(CheckpointException.class, () -> RelexHeads.create(cfg, weights)).getMessage();
        assertTrue(msg.contains("prompt_rep_layer.3.bias") && msg.contains("NaN"), msg);
    }

    @Test
    void missingAdjacencyWeightsForEveryMode() {
        for (String mode : new String[] {"gcn", "bilinear", "mlp", "attention", "gat"}) {
            GlinerConfig cfg = GlinerConfig.fromJson(RandomHeadWeights.config(12, 16, "markerV0", mode, 1, 4));
            RandomHeadWeights weights = new RandomHeadWeights(cfg, 1, 1.0);
            String key = weights.names().stream().filter(n -> n.startsWith("relations_rep_layer.")).findFirst().orElseThrow();
            weights.remove(key);
            String msg = assertThrows(CheckpointException.class, () -> RelexHeads.create(cfg, weights)).getMessage();
            assertTrue(msg.contains(key), mode + ": " + msg);
        }
    }

    @Test
    void inconsistentInputsAreRejected() {
        GlinerConfig cfg = GlinerConfig.fromJson(base());
        RelexHeads heads = RelexHeads.create(cfg, new RandomHeadWeights(cfg, 1, 1.0));
        EncodedInput in = HeadsNaiveTwinTest.input(new Random(1), 2, 1, 4);
        float[] states = new float[in.tokenCount() * 12];
        String shortMsg = assertThrows(IllegalArgumentException.class,
                () -> heads.forward(states, 1, in, 0.5, 0.5)).getMessage();
        assertTrue(shortMsg.contains("encoder states"), shortMsg);
        EncodedInput wrongLabels = new EncodedInput(in.inputIds(), in.wordsMask(), in.words(), in.totalWords(),
                List.of("only one"), in.relationLabels(), in.promptLength());
        String labelMsg = assertThrows(IllegalArgumentException.class,
                () -> heads.forward(states, 0, wrongLabels, 0.5, 0.5)).getMessage();
        assertTrue(labelMsg.contains("2 entity marker tokens") && labelMsg.contains("1 entity labels"), labelMsg);
        int[] mask = in.wordsMask().clone();
        mask[mask.length - 1] = 9;
        EncodedInput badMask = new EncodedInput(in.inputIds(), mask, in.words(), in.totalWords(), in.entityLabels(),
                in.relationLabels(), in.promptLength());
        String maskMsg = assertThrows(IllegalArgumentException.class,
                () -> heads.forward(states, 0, badMask, 0.5, 0.5)).getMessage();
        assertTrue(maskMsg.contains("word 9"), maskMsg);
        assertThrows(IllegalArgumentException.class, () -> heads.forward(states, 0, in, Double.NaN, 0.5));
    }
}
