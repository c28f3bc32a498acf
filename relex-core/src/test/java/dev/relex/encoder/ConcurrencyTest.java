package dev.relex.encoder;

import dev.relex.golden.RelexGolden;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.checkpoint.SafeTensors;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One encoder instance shared by 4 threads, each running different sequences (so their workspaces
 * hold differently sized data) many times: every result must equal the single-threaded one.
 */
class ConcurrencyTest {
    @Test
    void debertaSharedAcrossFourThreads() throws Exception {
        Path dir = RelexGolden.golden().resolve("deberta-v3-tiny-encoder");
        assumeTrue(Files.isDirectory(dir), "golden data not present");
        EncoderConfig cfg = EncoderConfig.fromJson(new ObjectMapper().readTree(dir.resolve("config.json").toFile()));
        try (SafeTensors model = SafeTensors.open(dir.resolve("model.safetensors"));
             SafeTensors expected = SafeTensors.open(dir.resolve("expected.safetensors"))) {
            Encoder enc = Encoders.create(cfg, model, "");
            int[] shape = expected.info("input_ids").intShape();
            runConcurrently(enc, GoldenData.ints(expected, "input_ids"), GoldenData.ints(expected, "attention_mask"),
                    shape[0], shape[1]);
        }
    }

    @Test
    void bertSharedAcrossFourThreads() throws Exception {
        Path dir = RelexGolden.golden().resolve("relex-bert-span-gcn");
        assumeTrue(Files.isDirectory(dir), "golden data not present");
        try (Checkpoint ckpt = Checkpoint.open(dir.resolve("model"));
             SafeTensors t = SafeTensors.open(dir.resolve("tensors/batch.safetensors"))) {
            Encoder enc = Encoders.create(ckpt.config().encoder(), ckpt.weights(), Encoders.GLINER_PREFIX);
            int[] shape = t.info("input_ids").intShape();
            runConcurrently(enc, GoldenData.ints(t, "input_ids"), GoldenData.ints(t, "attention_mask"), shape[0], shape[1]);
        }
    }

    /** Task k runs row k (alone) or, for even k, the whole batch; each repeated many times. */
    private static void runConcurrently(Encoder enc, int[] ids, int[] mask, int batch, int seqLen) throws Exception {
        int h = enc.hiddenSize();
        List<int[][]> jobs = new ArrayList<>();
        jobs.add(new int[][] {ids, mask, {batch, seqLen}});
        for (int b = 0; b < batch; b++) {
            jobs.add(new int[][] {Arrays.copyOfRange(ids, b * seqLen, (b + 1) * seqLen),
                    Arrays.copyOfRange(mask, b * seqLen, (b + 1) * seqLen), {1, seqLen}});
        }
        List<float[]> serial = new ArrayList<>();
        for (int[][] j : jobs) {
            float[] out = new float[j[2][0] * j[2][1] * h];
            enc.forward(j[0], j[1], j[2][0], j[2][1], out);
            serial.add(out);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int th = 0; th < 4; th++) {
                int first = th;
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 20; rep++) {
                        int k = (first + rep) % jobs.size();
                        int[][] j = jobs.get(k);
                        float[] out = new float[j[2][0] * j[2][1] * h];
                        enc.forward(j[0], j[1], j[2][0], j[2][1], out);
                        assertArrayEquals(serial.get(k), out, 1e-6f, "job " + k + " differs under concurrency");
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
