package dev.relex.decode;

import dev.relex.ExtractionOptions;
import dev.relex.ExtractionResult;
import dev.relex.OffsetUnit;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.golden.RelexGolden;
import dev.relex.golden.RelexGolden.Example;
import dev.relex.golden.RelexGolden.PerText;
import dev.relex.heads.HeadOutput;
import dev.relex.text.Offsets;
import dev.relex.text.Word;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Decoding only: for every text of every {@code golden/relex-*} example, the reference's own head outputs
 * (entity logits, candidate boundaries {@code entity_spans}, {@code rel_idx}, {@code rel_mask},
 * {@code rel_logits}, taken from the recorded padded batch) go through {@link ResultDecoder}; the result
 * must equal expected.json's entities and relations in both offset units.
 */
class DecodeGoldenTest {

    @TestFactory
    List<DynamicNode> decodedOutputsMatchReference() {
        List<Path> cases = RelexGolden.cases();
        assumeFalse(cases.isEmpty(), "no golden data under " + RelexGolden.golden());
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path caseDir : cases) {
            GlinerConfig config = GlinerConfig.read(caseDir.resolve("model/gliner_config.json"));
            boolean spanLevel = config.modelKind() == GlinerConfig.ModelKind.SPAN_RELEX;
            List<DynamicNode> examples = new ArrayList<>();
            for (Example ex : RelexGolden.examples(caseDir)) {
                examples.add(DynamicTest.dynamicTest(ex.id(), () -> checkExample(ex, spanLevel)));
            }
            nodes.add(DynamicContainer.dynamicContainer(caseDir.getFileName().toString(), examples));
        }
        return nodes;
    }

    private static void checkExample(Example ex, boolean spanLevel) {
        boolean anyRow = ex.perText().stream().anyMatch(p -> p.batchRow() != null);
        if (!anyRow) {
            assertFalse(Files.exists(ex.tensorFile()), ex + ": no forward pass expected");
            for (PerText p : ex.perText()) {
                assertTrue(p.entities().isEmpty() && p.relations().isEmpty(), ex + ": empty text has no output");
            }
            return;
        }
        try (SafeTensors t = SafeTensors.open(ex.tensorFile())) {
            for (int i = 0; i < ex.perText().size(); i++) {
                PerText p = ex.perText().get(i);
                String where = ex + "[" + i + "]";
                if (p.batchRow() == null) {
                    assertTrue(p.entities().isEmpty() && p.relations().isEmpty(), where + ": skipped text has no output");
                    continue;
                }
                HeadOutput out = RelexGolden.recordedHeadOutput(t, ex, p, spanLevel);
                List<Word> words = RelexGolden.utf16Words(p);
                for (OffsetUnit unit : OffsetUnit.values()) {
                    ExtractionOptions options = ex.options(unit);
                    ExtractionResult r = ResultDecoder.decode(p.text(), words, words.size(), ex.classLabels(),
                            ex.relationClassLabels(), out, options);
                    RelexGolden.assertMatches(p, r, unit, where + " " + unit);
                    assertNull(r.truncation(), where + ": nothing truncated");
                }
                // Pruning to the best class per span must not change the greedy result (single-label).
                List<DecodedEntity> full = GreedySearch.select(spanLevel ? SpanDecoder.candidates(out, ex.threshold())
                        : TokenDecoder.candidates(out, ex.threshold()), ex.flatNer(), false);
                List<DecodedEntity> pruned = GreedySearch.select(spanLevel
                        ? SpanDecoder.candidates(out, ex.threshold(), true)
                        : TokenDecoder.candidates(out, ex.threshold(), true), ex.flatNer(), false);
                assertEquals(full, pruned, where + ": best-class pruning changed the greedy result");
            }
        }
    }

}
