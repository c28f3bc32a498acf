package dev.relex.eval.docred;

import dev.relex.RelexModel;
import dev.relex.data.LabelMapping;
import dev.relex.data.docred.ClusterRelation;
import dev.relex.data.docred.Document;
import dev.relex.data.docred.EntityCluster;
import dev.relex.data.docred.Mention;
import dev.relex.eval.metrics.DocumentRelationMetrics;
import dev.relex.eval.metrics.Prf;
import dev.relex.eval.run.EvaluationConfig;
import dev.relex.eval.run.ProgressListener;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The windowed gold-entity protocol on a hand-made document, at relation thresholds 0 and 1. */
class DocumentEvaluationTest {
    static Mention m(String name, int sentence, int start, int end, int docStart, String type) {
        return new Mention(name, sentence, start, end, docStart, docStart + end - start, type);
    }

    @Test
    void everyClusterPairSharingAWindowIsPredictedAtThresholdZero() throws Exception {
        Path dir = Path.of(System.getProperty("relex.shared", "../shared")).resolve("golden/relex-span-gcn/model");
        assumeTrue(Files.isDirectory(dir));
        // three sentences of 4, 4, 3 words; budget 8 → windows {0, 1} and {2}
        List<List<String>> sents = List.of(List.of("Ada", "Lovelace", "was", "English"),
                List.of("She", "met", "Charles", "Babbage"), List.of("London", "is", "big"));
        EntityCluster ada = new EntityCluster(List.of(m("Ada Lovelace", 0, 0, 1, 0, "PER"), m("She", 1, 0, 0, 4, "PER")));
        EntityCluster babbage = new EntityCluster(List.of(m("Charles Babbage", 1, 2, 3, 6, "PER")));
        EntityCluster london = new EntityCluster(List.of(m("London", 2, 0, 0, 8, "LOC")));
        Document doc = new Document("d#1", "t", sents, List.of(ada, babbage, london), List.of(
                new ClusterRelation(0, 1, "P1", List.of()), new ClusterRelation(0, 2, "P2", List.of())));
        LabelMapping mapping = LabelMapping.builder("test").entity("PER", "person").entity("LOC", "location")
                .relation("P1", "knows").relation("P2", "lives in").build();
        try (RelexModel model = RelexModel.load(dir)) {
            DocumentEvaluation.Result all = new DocumentEvaluation(EvaluationConfig.builder().relationThreshold(0).build(), 8, Set.of())
                    .run(model, List.of(doc), mapping, false, ProgressListener.NONE);
            assertEquals(2, all.windows());
            assertEquals(1, all.factsSplit());          // (Ada, London) never share a window
            // window {0,1}: clusters Ada and Babbage → 2 ordered pairs × 2 relations; London alone in window {2}
            assertEquals(new Prf(1, 4, 2), all.goldEntity().facts().micro());
            assertEquals(List.of("knows", "lives in"), all.relationLabels());
            assertEquals(List.of("location", "person"), all.entityLabels());
            DocumentEvaluation.Result none = new DocumentEvaluation(EvaluationConfig.builder().relationThreshold(1).build(), 8, Set.of())
                    .run(model, List.of(doc), mapping, true, ProgressListener.NONE);
            assertEquals(new Prf(0, 0, 2), none.goldEntity().facts().micro());
            // Ign F1 reference holding the correct fact by one of Ada's mention names
            DocumentEvaluation.Result ign = new DocumentEvaluation(EvaluationConfig.builder().relationThreshold(0).build(), 8,
                    Set.of(new DocumentRelationMetrics.NamedFact("She", "Charles Babbage", "knows")))
                    .run(model, List.of(doc), mapping, false, ProgressListener.NONE);
            assertEquals(1, ign.goldEntity().correctInTrain());
            assertEquals(0, ign.goldEntity().ignPrecision(), 1e-12);   // (1 - 1) / (4 - 1)
        }
    }
}
