package dev.relex.checkpoint;

import dev.relex.golden.RelexGolden;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SafeTensorsGoldenTest {
    @Test
    void readsGoldenDebertaWeights() {
        Path f = RelexGolden.shared().resolve("golden/deberta-v3-tiny-encoder/model.safetensors");
        assumeTrue(Files.exists(f), "golden data not present");
        try (SafeTensors st = SafeTensors.open(f)) {
            TensorInfo rel = st.info("encoder.rel_embeddings.weight");
            assertArrayEquals(new long[] {512, 32}, rel.shape());
            float[] v = st.floats("encoder.rel_embeddings.weight");
            assertEquals(512 * 32, v.length);
            assertTrue(Float.isFinite(v[0]));
        }
    }
}
