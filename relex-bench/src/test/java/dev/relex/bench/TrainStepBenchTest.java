package dev.relex.bench;

import dev.relex.bench.libtorch.LibTorch;
import dev.relex.bench.libtorch.TorchBertEncoder;
import dev.relex.engine.Ops;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The train-step benchmark's driver: batch shape, result lines, and one tiny in-process run. */
class TrainStepBenchTest {

    @Test
    void lengthsStartAtTheLongestAndStayInRange() {
        int[] l = TrainStepBench.lengths(8, 52, 64, 1);
        assertEquals(8, l.length);
        assertEquals(64, l[0]);
        for (int x : l) assertTrue(x >= 52 && x <= 64, "length " + x);
        assertArrayEquals(l, TrainStepBench.lengths(8, 52, 64, 1));
        assertArrayEquals(new int[] {5, 5, 5}, TrainStepBench.lengths(3, 5, 5, 9));
    }

    @Test
    void resultLinesRoundTrip() {
        var f = new TrainStepBench.ForwardResult("m", 2, 8, 64, 478, 290.5, 264.7, 244.2, 209.0, 271.6, 242.2, 3.1e-6);
        assertEquals(f, TrainStepBench.ForwardResult.parse(f.toLine()));
        var s = new TrainStepBench.StepResult("m", 1, "libtorch", "encoder + loss", 810.1, 805.1, 214.4, 452.3, 141.5,
                811.7, 0.2135, 0.2098);
        assertEquals(s, TrainStepBench.StepResult.parse(s.toLine()));
        assertThrows(IllegalArgumentException.class, () -> TrainStepBench.StepResult.parse(f.toLine()));
    }

    @Test
    void settingsRejectImpossibleShapes() {
        assertThrows(IllegalArgumentException.class, () -> settings(0, 52, 64));
        assertThrows(IllegalArgumentException.class, () -> settings(8, 64, 52));
        assertThrows(IllegalArgumentException.class, () -> settings(8, 52, 513));
    }

    /** One forward and one step per engine on all-MiniLM-L6 at 2 × 8–12 tokens (a few seconds). */
    @Test
    void tinyRunProducesBothTables() {
        String why = LibTorch.unavailableReason();
        assumeTrue(why == null, () -> "skipped: " + why);
        TrainStepBench.Settings s = new TrainStepBench.Settings(PretrainedModel.ALL_MINILM_L6, 2, 8, 12, 1, 0, 1,
                TorchBertEncoder.Attention.SDPA, 0, 1e-5, 0.01, true, true, null);
        List<String> lines = TrainStepBench.run(s, Ops.threads());
        TrainStepBench.ForwardResult f = lines.stream().filter(l -> l.startsWith("TSFORWARD\t"))
                .map(TrainStepBench.ForwardResult::parse).findFirst().orElseThrow();
        assertEquals(2, f.batch());
        assertEquals(12, f.seqLen());
        // Same pretrained weights and tokens: libtorch's encoder must compute what ours computes.
        assertTrue(f.maxAbsDiff() < 1e-4, "max |ours - libtorch| = " + f.maxAbsDiff());
        TrainStepBench.StepResult step = lines.stream().filter(l -> l.startsWith("TSSTEP\t"))
                .map(TrainStepBench.StepResult::parse).findFirst().orElseThrow();
        assertEquals("libtorch", step.engine());
        assertTrue(step.forwardMs() > 0 && step.backwardMs() > 0 && step.optimizerMs() > 0);
        String report = TrainStepCommand.report(lines, s);
        assertTrue(report.contains("| libtorch |"), report);
        assertTrue(report.contains("| ours | encoder + mean-square loss"), report);
        assertTrue(report.contains("| ours | full model"), report); // the "not measured" row (minilm has no relex model)
    }

    private static TrainStepBench.Settings settings(int batch, int min, int max) {
        return new TrainStepBench.Settings(PretrainedModel.BGE_SMALL, batch, min, max, 1, 0, 1,
                TorchBertEncoder.Attention.SDPA, 0, 1e-5, 0.01, true, true, null);
    }
}
