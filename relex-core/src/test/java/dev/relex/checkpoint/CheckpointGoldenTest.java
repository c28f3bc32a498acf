package dev.relex.checkpoint;

import dev.relex.golden.RelexGolden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every golden relex checkpoint (written by the Python reference) must open with an exact key/shape match. */
class CheckpointGoldenTest {
    @TestFactory
    Stream<DynamicTest> goldenCheckpointsOpenAndValidate() throws IOException {
        List<Path> cases = RelexGolden.modelCases();
        assumeTrue(!cases.isEmpty(), "golden data not present");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> checkCase(c)));
    }

    private static void checkCase(Path caseDir) {
        String name = caseDir.getFileName().toString();
        Path model = caseDir.resolve("model");
        try (Checkpoint ckpt = Checkpoint.open(model)) {
            ValidationReport r = ckpt.validationReport();
            assertTrue(r.isValid(), r.toString());
            assertEquals(List.of(), r.unexpectedKeys(), "unexpected keys");
            assertEquals(List.of(), r.warnings(), "warnings");

            // Expected kind from the README's case table (folder names), not from the config under test.
            GlinerConfig.ModelKind kind = name.contains("token") ? GlinerConfig.ModelKind.TOKEN_RELEX
                    : GlinerConfig.ModelKind.SPAN_RELEX;
            assertEquals(kind, ckpt.config().modelKind());
            String layer = name.contains("gcn") ? "gcn" : name.contains("dot") ? "dot" : "none";
            assertEquals(layer, ckpt.config().relationsLayer());

            // Every key in the file is described by the spec, and every required spec key is in the file.
            ArchitectureSpec spec = ArchitectureSpec.forConfig(ckpt.config());
            Set<String> inFile = new TreeSet<>(ckpt.weights().names());
            Set<String> required = new TreeSet<>();
            spec.tensors().values().stream().filter(ArchitectureSpec.TensorSpec::required).forEach(t -> required.add(t.name()));
            assertTrue(spec.tensors().keySet().containsAll(inFile), "keys without spec: " + minus(inFile, spec.tensors().keySet()));
            assertTrue(inFile.containsAll(required), "missing: " + minus(required, inFile));

            boolean hasRnn = inFile.stream().anyMatch(k -> k.startsWith("rnn."));
            assertEquals(!name.contains("rnn0"), hasRnn);
            if (name.contains("rnn2")) assertTrue(inFile.contains("rnn.lstm.weight_hh_l1_reverse"));
            assertEquals(layer.equals("gcn"), inFile.contains("relations_rep_layer.relation_rep_layer.gcn.linear.weight"));
            assertEquals(kind == GlinerConfig.ModelKind.TOKEN_RELEX, inFile.contains("scorer.out_mlp.3.weight"));
            if (name.contains("bert")) {
                assertTrue(ckpt.config().encoder().isBert());
                assertTrue(inFile.contains(ArchitectureSpec.ENCODER_PREFIX + "embeddings.token_type_embeddings.weight"));
                assertTrue(inFile.contains(ArchitectureSpec.ENCODER_PREFIX + "embeddings.position_embeddings.weight"));
            } else {
                assertTrue(ckpt.config().encoder().isDebertaV2());
                assertArrayEquals(new long[] {512, ckpt.config().encoder().hiddenSize()},
                        ckpt.weights().info(ArchitectureSpec.ENCODER_PREFIX + "encoder.rel_embeddings.weight").shape());
            }

            Path tok = model.resolve("tokenizer.json");
            assertEquals(Files.exists(tok) ? tok : null, ckpt.tokenizerFile());
            assertEquals(model, ckpt.directory());
            float[] w = ckpt.weights().floats("pair_rep_layer.3.weight");
            assertEquals(ckpt.config().hiddenSize() * 4L * ckpt.config().hiddenSize(), w.length);
        }
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    @Test
    void debertaCasesWithoutTokenizerCanUseTheSharedOne() throws IOException {
        Path shared = RelexGolden.golden().resolve("relex-span-gcn/model/tokenizer.json");
        assumeTrue(Files.exists(shared), "golden data not present");
        for (Path c : RelexGolden.modelCases()) {
            Path model = c.resolve("model");
            if (Files.exists(model.resolve("tokenizer.json"))) continue;
            try (Checkpoint ckpt = Checkpoint.open(model)) {
                assertNull(ckpt.tokenizerFile());
                CheckpointException e = assertThrows(CheckpointException.class, ckpt::requireTokenizerFile);
                assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains(model.toString()), e.getMessage());
            }
            // marker ids (128001/128003) are checked against the shared tokenizer's added_tokens
            try (Checkpoint ckpt = Checkpoint.open(model, shared)) {
                assertEquals(shared, ckpt.requireTokenizerFile());
                assertEquals(List.of(), ckpt.validationReport().warnings());
            }
        }
    }

    @Test
    void goldenEncoderValidatesAsBareEncoder() {
        Path dir = RelexGolden.golden().resolve("deberta-v3-tiny-encoder");
        assumeTrue(Files.exists(dir.resolve("model.safetensors")), "golden data not present");
        EncoderConfig enc;
        try {
            enc = EncoderConfig.fromJson(TinyCheckpoints.JSON.readTree(dir.resolve("config.json").toFile()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (SafeTensors st = SafeTensors.open(dir.resolve("model.safetensors"))) {
            ValidationReport r = ArchitectureSpec.forEncoder(enc, "").validate(st);
            assertTrue(r.isValid(), r.toString());
            assertEquals(List.of(), r.unexpectedKeys());
        }
    }
}
