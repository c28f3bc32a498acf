package dev.relex;

import dev.relex.golden.RelexGolden;
import dev.relex.golden.RelexGolden.Example;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@link RelexModel#scoreRelations}: fed the entities and pairs that {@link RelexModel#extract} found (on
 * every golden case and example, at the reference's thresholds), it gives back the extracted relations'
 * scores, so relation classification with given arguments runs the same computation as extraction.
 */
class ScoreRelationsTest {

    @Test
    void givenPairsReproduceExtractedRelationScores() {
        List<Path> cases = RelexGolden.cases();
        assumeFalse(cases.isEmpty(), "no golden data under " + RelexGolden.golden());
        int checked = 0;
        for (Path caseDir : cases) {
            try (RelexModel model = RelexModel.load(caseDir.resolve("model"), RelexGolden.tokenizerFor(caseDir))) {
                for (Example ex : RelexGolden.examples(caseDir)) {
                    ExtractionOptions options = ex.options(OffsetUnit.UTF16);
                    for (String text : ex.texts()) {
                        ExtractionResult r = model.extract(text, ex.entityLabels(), ex.relationLabels(), options);
                        if (r.relations().isEmpty()) continue;
                        List<GivenEntity> given = new ArrayList<>();
                        for (Entity e : r.entities()) given.add(new GivenEntity(e.start(), e.end(), e.label()));
                        List<int[]> pairs = new ArrayList<>();
                        for (Relation rel : r.relations()) pairs.add(new int[] {rel.headIndex(), rel.tailIndex()});
                        RelationScores scores = model.scoreRelations(text, given, ex.entityLabels(), ex.relationLabels(), pairs);
                        assertEquals(pairs.size(), scores.pairs().size());
                        for (int i = 0; i < pairs.size(); i++) {
                            Relation rel = r.relations().get(i);
                            RelationScores.PairScore ps = scores.pairs().get(i);
                            assertEquals(rel.headIndex(), ps.head());
                            assertEquals(rel.tailIndex(), ps.tail());
                            int k = scores.relationLabels().indexOf(rel.relation());
                            assertTrue(k >= 0, rel.relation());
                            // Candidates differ from extraction's (decoded entities only), but pair scoring is per
                            // pair, so the probability must be the same up to float rounding of the GCN-free path.
                            assertEquals(rel.score(), ps.probabilities()[k], 1e-5, caseDir.getFileName() + " " + ex + ": " + rel);
                            checked++;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 0, "no relation was extracted in any golden example");
        System.out.println("scoreRelations: " + checked + " relation scores reproduced");
    }

    @Test
    void misalignedEntityIsRefusedWithItsIndex() {
        List<Path> cases = RelexGolden.cases();
        assumeFalse(cases.isEmpty(), "no golden data under " + RelexGolden.golden());
        Path caseDir = cases.get(0);
        try (RelexModel model = RelexModel.load(caseDir.resolve("model"), RelexGolden.tokenizerFor(caseDir))) {
            String text = "Marie Curie was born in Warsaw.";
            List<GivenEntity> given = List.of(new GivenEntity(0, 11, "person"), new GivenEntity(25, 29, "city"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.scoreRelations(text, given, null, List.of("born in"), null));
            assertTrue(e.getMessage().contains("entity 1"), e.getMessage());
            RelationScores ok = model.scoreRelations(text, List.of(given.get(0), new GivenEntity(24, 30, "city")), null,
                    List.of("born in", "lives in"), null);
            assertEquals(2, ok.pairs().size(), "all ordered pairs of two entities");
            assertEquals(List.of("born in", "lives in"), ok.relationLabels());
            assertEquals(2, ok.pairs().get(0).probabilities().length);
        }
    }
}
