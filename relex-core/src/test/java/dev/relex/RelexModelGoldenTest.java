package dev.relex;

import dev.relex.golden.RelexGolden;
import dev.relex.golden.RelexGolden.Example;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * End to end: {@link RelexModel#load(Path, Path)} of every {@code golden/relex-*} model (DeBERTa cases
 * without tokenizer.json use relex-span-gcn's, byte-identical per the README) reproduces expected.json
 * for every example, through single calls in both offset units and through one
 * {@link RelexModel#extractBatch} of all the example's texts (the 6-text batch includes empty ones).
 */
class RelexModelGoldenTest {

    @TestFactory
    List<DynamicNode> loadedModelsReproduceReference() {
        List<Path> cases = RelexGolden.cases();
        assumeFalse(cases.isEmpty(), "no golden data under " + RelexGolden.golden());
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path caseDir : cases) {
            nodes.add(DynamicContainer.dynamicContainer(caseDir.getFileName().toString(),
                    List.of(DynamicTest.dynamicTest("all examples", () -> checkCase(caseDir)))));
        }
        return nodes;
    }

    private static void checkCase(Path caseDir) {
        try (RelexModel model = RelexModel.load(caseDir.resolve("model"), RelexGolden.tokenizerFor(caseDir))) {
            List<String> failures = new ArrayList<>();
            for (Example ex : RelexGolden.examples(caseDir)) {
                try {
                    for (OffsetUnit unit : OffsetUnit.values()) {
                        ExtractionOptions options = ex.options(unit);
                        List<ExtractionRequest> requests = new ArrayList<>();
                        for (int i = 0; i < ex.texts().size(); i++) {
                            String text = ex.texts().get(i);
                            ExtractionResult r = model.extract(text, ex.entityLabels(), ex.relationLabels(), options);
                            RelexGolden.assertMatches(ex.perText().get(i), r, unit, ex + "[" + i + "] " + unit);
                            requests.add(new ExtractionRequest(text, ex.entityLabels(), ex.relationLabels(), options));
                        }
                        List<ExtractionResult> batch = model.extractBatch(requests);
                        assertEquals(requests.size(), batch.size());
                        for (int i = 0; i < batch.size(); i++) {
                            RelexGolden.assertMatches(ex.perText().get(i), batch.get(i), unit, ex + "[" + i + "] batch " + unit);
                        }
                    }
                } catch (AssertionError e) {
                    failures.add(e.getMessage());
                }
            }
            assertEquals(List.of(), failures, caseDir.getFileName() + ": examples that differ from the reference");
        }
    }
}
