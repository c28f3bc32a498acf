package dev.relex;

import dev.relex.golden.RelexGolden;
import dev.relex.golden.RelexGolden.Example;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@link RelexModel#extractAtThresholds} gives exactly the results of separate {@link RelexModel#extract}
 * calls at each threshold triple, on every golden case (a grid around each example's own thresholds, so
 * that entities, pairs and relations appear and disappear across it).
 */
class ThresholdGridTest {

    @Test
    void gridEqualsSeparateExtractions() {
        List<Path> cases = RelexGolden.cases();
        assumeFalse(cases.isEmpty(), "no golden data under " + RelexGolden.golden());
        int compared = 0, withRelations = 0;
        for (Path caseDir : cases) {
            try (RelexModel model = RelexModel.load(caseDir.resolve("model"), RelexGolden.tokenizerFor(caseDir))) {
                for (Example ex : RelexGolden.examples(caseDir)) {
                    ExtractionOptions base = ex.options(OffsetUnit.UTF16);
                    double[] ent = clamp(base.threshold() - 0.05, base.threshold(), base.threshold() + 0.02);
                    double[] adj = clamp(base.adjacencyThreshold() + 0.01, base.adjacencyThreshold() - 0.02, base.adjacencyThreshold());
                    double[] rel = clamp(base.relationThreshold() - 0.1, base.relationThreshold(), 0.95);
                    for (String text : ex.texts()) {
                        ExtractionResult[][][] grid = model.extractAtThresholds(text, ex.entityLabels(), ex.relationLabels(),
                                base, ent, adj, rel);
                        for (int i = 0; i < ent.length; i++) {
                            for (int j = 0; j < adj.length; j++) {
                                for (int k = 0; k < rel.length; k++) {
                                    ExtractionOptions o = base.toBuilder().threshold(ent[i]).adjacencyThreshold(adj[j])
                                            .relationThreshold(rel[k]).build();
                                    ExtractionResult single = model.extract(text, ex.entityLabels(), ex.relationLabels(), o);
                                    assertEquals(single, grid[i][j][k], caseDir.getFileName() + " " + ex + " at " + o);
                                    compared++;
                                    if (!single.relations().isEmpty()) withRelations++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(withRelations > 0, "no grid point had relations");
        System.out.println("threshold grid: " + compared + " results compared, " + withRelations + " with relations");
    }

    private static double[] clamp(double... values) {
        for (int i = 0; i < values.length; i++) values[i] = Math.max(0, Math.min(1, values[i]));
        return values;
    }
}
