package dev.relex.train.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.ExtractionOptions;
import dev.relex.ExtractionResult;
import dev.relex.RelexModel;
import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.golden.RelexGolden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A checkpoint written by the trainer's export is the loaded one again: the same tensor names, shapes and
 * values as the reference's {@code save_pretrained} file, the same {@code gliner_config.json}, and
 * identical extraction results through {@link RelexModel#load}.
 */
class SaveLoadTest {
    @TempDir
    Path tmp;

    @TestFactory
    List<DynamicTest> exportedCheckpointsEqualTheirSource() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path c : RelexGolden.modelCases()) tests.add(DynamicTest.dynamicTest(c.getFileName().toString(), () -> check(c)));
        assertFalse(tests.isEmpty());
        return tests;
    }

    private void check(Path caseDir) throws Exception {
        Path src = caseDir.resolve("model");
        Path tok = RelexGolden.tokenizerFor(caseDir);
        Path out = tmp.resolve(caseDir.getFileName().toString());
        try (TrainableRelexModel m = TrainableRelexModel.load(src, tok)) {
            m.save(out, null);
        }
        try (SafeTensors a = SafeTensors.open(src.resolve("model.safetensors"));
             SafeTensors b = SafeTensors.open(out.resolve("model.safetensors"))) {
            assertEquals(a.names().stream().sorted().toList(), b.names().stream().sorted().toList());
            for (String n : a.names()) {
                assertArrayEquals(a.info(n).shape(), b.info(n).shape(), n);
                assertArrayEquals(a.floats(n), b.floats(n), 0f, n);
            }
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode ca = json.readTree(src.resolve(Checkpoint.CONFIG_FILE).toFile());
        JsonNode cb = json.readTree(out.resolve(Checkpoint.CONFIG_FILE).toFile());
        assertEquals(ca, cb);
        String text = "Ada Lovelace worked with Charles Babbage in London in 1843.";
        List<String> ents = List.of("person", "organization", "location", "date");
        List<String> rels = List.of("works for", "located in", "born in");
        ExtractionOptions o = ExtractionOptions.builder().threshold(0.3).build();
        try (RelexModel a = RelexModel.load(src, tok); RelexModel b = RelexModel.load(out)) {
            ExtractionResult ra = a.extract(text, ents, rels, o), rb = b.extract(text, ents, rels, o);
            assertEquals(ra, rb);
        }
    }
}
