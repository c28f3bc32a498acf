package dev.relex;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.golden.RelexGolden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Loading: clear failures for unusable directories, and the explicit-tokenizer variant. */
class RelexModelLoadTest {

    @Test
    void missingDirectoryOrFilesFailWithTheirNames(@TempDir Path tmp) {
        Path missing = tmp.resolve("nope");
        CheckpointException e = assertThrows(CheckpointException.class, () -> RelexModel.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        CheckpointException empty = assertThrows(CheckpointException.class, () -> RelexModel.load(tmp));
        assertTrue(empty.getMessage().contains("gliner_config.json"), empty.getMessage());
    }

    @Test
    void checkpointWithoutTokenizerNeedsAnExplicitOne() {
        Path caseDir = RelexGolden.golden().resolve("relex-token-gcn");
        assumeTrue(Files.isDirectory(caseDir) && !Files.exists(caseDir.resolve("model/tokenizer.json")),
                "needs the golden token case without tokenizer.json");
        CheckpointException e = assertThrows(CheckpointException.class, () -> RelexModel.load(caseDir.resolve("model")));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
        try (RelexModel m = RelexModel.load(caseDir.resolve("model"), RelexGolden.tokenizerFor(caseDir))) {
            assertFalse(m.config().modelKind() == dev.relex.checkpoint.GlinerConfig.ModelKind.SPAN_RELEX);
            ExtractionResult r = m.extract("Ada Lovelace met Charles Babbage.", List.of("person"), List.of("met with"));
            assertEquals("Ada Lovelace met Charles Babbage.", r.text());
            assertEquals(384, m.maxWords());
        }
    }
}
