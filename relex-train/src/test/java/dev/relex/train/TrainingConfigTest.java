package dev.relex.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.train.golden.TrainingGolden;
import dev.relex.train.loss.LossSettings;
import dev.relex.train.loss.Masking;
import dev.relex.train.loss.Reduction;
import dev.relex.train.optim.LearningRateSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingConfigTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void defaultsAreTheReferenceTrainingArguments() {
        TrainingConfig c = TrainingConfig.defaults();
        assertEquals(5e-5, c.learningRate());
        assertEquals(0.0, c.weightDecay());
        assertNull(c.othersLr());
        assertEquals(1.0, c.maxGradNorm());
        assertEquals(LearningRateSchedule.Kind.LINEAR, c.lrSchedulerType());
        assertEquals(0, c.warmupSteps());
        assertEquals(Reduction.SUM, c.lossReduction());
        assertEquals(Masking.GLOBAL, c.masking());
        // the loss kwargs the reference trainer passed in golden setting A
        assertEquals(TrainingGolden.json(TrainingGolden.root().resolve("relex-span-gcn/expected.json")).get("loss_A").get("loss_kwargs").get("alpha").asDouble(),
                c.lossSettings(1, 1, 1).entity().alpha());
        assertEquals(1.0, c.schedule(100).factor(0), "linear, no warm-up: factor 1 at step 1");
    }

    @Test
    void jsonWithReferenceNames(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("train.json");
        Files.writeString(f, """
                {"learning_rate": 2e-3, "weight_decay": 0.1, "others_lr": 5e-3, "others_weight_decay": 0.05,
                 "focal_loss_alpha": 0.75, "focal_loss_gamma": 2, "label_smoothing": 0.1, "loss_reduction": "mean",
                 "rel_focal_loss_alpha": 0.4, "rel_focal_loss_gamma": 1.5, "lr_scheduler_type": "cosine",
                 "warmup_ratio": 0.1, "max_steps": 15}""");
        TrainingConfig c = TrainingConfig.read(f);
        assertEquals(5e-3, c.othersLr());
        LossSettings ls = c.lossSettings(1, 1, 1);
        assertEquals(0.4, ls.relation().alpha());
        assertEquals(1.5, ls.relation().gamma());
        assertEquals(0.1, ls.relation().labelSmoothing());
        assertEquals(0.0, c.schedule(15).factor(0), "ceil(1.5) = 2 warm-up steps: lr 0 at step 1");
        assertEquals(0.5, c.schedule(15).factor(1));
        assertEquals(4, c.parameterGroups(java.util.List.of(), p -> true).size());
    }

    @Test
    void unknownKeysAndBadValuesNameTheFileAndKey(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{\"learning_rat\": 1e-3}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.read(f));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("learning_rat"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.fromJson(JSON.readTree("{\"masking\": \"random\"}")));
        assertTrue(e2.getMessage().contains("masking"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.fromJson(JSON.readTree("{\"focal_loss_alpha\": 2}")));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.fromJson(JSON.readTree("{\"warmup_steps\": 1.5}")));
    }
}
