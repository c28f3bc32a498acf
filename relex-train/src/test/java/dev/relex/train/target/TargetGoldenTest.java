package dev.relex.train.target;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.golden.RelexGolden;
import dev.relex.train.golden.TrainingGolden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds the targets of {@code batch.json["examples"]} (fixed label sets, augmentation off, settings from
 * the case's gliner_config.json) with the reference's recorded pairs injected, and compares them with the
 * collated batch the reference produced ({@code batch.safetensors}: labels, span_idx, span_mask,
 * adj_matrix, rel_matrix) and with its per-example record (sorted entities, remapped relations,
 * candidates, pair positivity and classes). In all-pairs mode nothing is injected: the pairs are ours.
 */
public class TargetGoldenTest {

    @TestFactory
    List<DynamicTest> targetsMatchReferenceBatch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : TrainingGolden.cases()) tests.add(DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
        assertFalse(tests.isEmpty(), "no golden training cases under " + TrainingGolden.root());
        return tests;
    }

    public static List<Example> examples(JsonNode batchJson) {
        List<Example> out = new ArrayList<>();
        for (JsonNode e : batchJson.get("examples")) {
            List<String> words = new ArrayList<>();
            e.get("tokenized_text").forEach(w -> words.add(w.asText()));
            List<EntityMention> ents = new ArrayList<>();
            e.get("ner").forEach(n -> ents.add(new EntityMention(n.get(0).asInt(), n.get(1).asInt(), n.get(2).asText())));
            List<RelationMention> rels = new ArrayList<>();
            e.get("relations").forEach(r -> rels.add(new RelationMention(r.get(0).asInt(), r.get(1).asInt(), r.get(2).asText())));
            out.add(new Example(e.get("id").asText(), words, ents, rels, strings(e.get("ner_labels")), null,
                    strings(e.get("rel_labels")), null));
        }
        return out;
    }

    static List<String> strings(JsonNode a) {
        if (a == null || a.isNull()) return null;
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }

    public static List<List<CandidatePair>> recordedPairs(JsonNode batchJson) {
        List<List<CandidatePair>> out = new ArrayList<>();
        for (JsonNode pe : batchJson.get("per_example")) {
            List<CandidatePair> ps = new ArrayList<>();
            pe.get("pairs").forEach(p -> ps.add(new CandidatePair(p.get(0).asInt(), p.get(1).asInt())));
            out.add(ps);
        }
        return out;
    }

    public static TargetSettings settings(Path dir) {
        String name = dir.getFileName().toString();
        GlinerConfig cfg = GlinerConfig.read(RelexGolden.golden().resolve(name).resolve("model/gliner_config.json"));
        return TargetSettings.fromConfig(cfg).toBuilder().augmentDataProb(0).build();
    }

    private static void check(Path dir) {
        JsonNode batchJson = TrainingGolden.json(dir.resolve("batch.json"));
        TargetSettings settings = settings(dir);
        PairSampler sampler = settings.allPairs() ? new ReferencePairSampler() : new FixedPairs(recordedPairs(batchJson));
        BatchTargets t = new TargetBuilder(settings, sampler).build(examples(batchJson), new SplittableRandom(1234));
        try (SafeTensors st = SafeTensors.open(dir.resolve("batch.safetensors"))) {
            compare(st, "labels", t.paddedEntityTargets());
            compare(st, "span_idx", t.paddedSpanIndex());
            compare(st, "span_mask", t.paddedSpanMask());
            compare(st, "rel_matrix", t.paddedRelationTargets());
            if (settings.allPairs()) {
                assertFalse(st.names().contains("adj_matrix"));
                assertNull(t.paddedAdjacency());
            } else {
                compare(st, "adj_matrix", t.paddedAdjacency());
            }
        }
        JsonNode per = batchJson.get("per_example");
        for (int i = 0; i < t.size(); i++) {
            ExampleTargets ex = t.get(i);
            JsonNode pe = per.get(i);
            String where = dir.getFileName() + " example " + i;
            assertTrue(ex.notes().isEmpty(), where + ": " + ex.notes());
            JsonNode sorted = pe.get("processor_entities_sorted");
            assertEquals(sorted.size(), ex.entities().size(), where);
            for (int e = 0; e < sorted.size(); e++) {
                assertEquals(new EntityMention(sorted.get(e).get(0).asInt(), sorted.get(e).get(1).asInt(), sorted.get(e).get(2).asText()),
                        ex.entities().get(e), where + " entity " + e);
            }
            JsonNode rels = pe.get("processor_relations_remapped");
            assertEquals(rels.size(), ex.relations().size(), where);
            for (int r = 0; r < rels.size(); r++) {
                assertEquals(new RelationMention(rels.get(r).get(0).asInt(), rels.get(r).get(1).asInt(), rels.get(r).get(2).asText()),
                        ex.relations().get(r), where + " relation " + r);
            }
            JsonNode cands = pe.get("candidates");
            assertEquals(cands.size(), ex.candidates(), where);
            for (int c = 0; c < cands.size(); c++) {
                assertEquals(cands.get(c).get(0).asInt(), ex.candidateStarts()[c], where);
                assertEquals(cands.get(c).get(1).asInt(), ex.candidateEnds()[c], where);
            }
            JsonNode pairs = pe.get("pairs");
            assertEquals(pairs.size(), ex.pairCount(), where + " pairs");
            for (int n = 0; n < pairs.size(); n++) {
                assertEquals(new CandidatePair(pairs.get(n).get(0).asInt(), pairs.get(n).get(1).asInt()), ex.pairs().get(n), where + " pair " + n);
                assertEquals(pe.get("pair_is_positive").get(n).asBoolean(), ex.pairPositive()[n], where + " pair " + n);
                List<Integer> classes = new ArrayList<>();
                for (int r = 0; r < ex.relationClasses(); r++) if (ex.relationTargets()[n * ex.relationClasses() + r] == 1f) classes.add(r + 1);
                List<Integer> expected = new ArrayList<>();
                pe.get("pair_relation_class_ids").get(n).forEach(x -> expected.add(x.asInt()));
                assertEquals(expected, classes, where + " pair " + n + " classes");
            }
            List<String> ids = new ArrayList<>();
            pe.get("classes_to_id").fieldNames().forEachRemaining(ids::add);
            assertEquals(ids, ex.entityLabels(), where + " entity label order");
        }
    }

    private static void compare(SafeTensors st, String name, BatchTargets.Tensor ours) {
        assertArrayEquals(st.info(name).intShape(), ours.shape(), name + " shape");
        if (ours.floats() != null) {
            float[] exp = st.floats(name);
            for (int i = 0; i < exp.length; i++) {
                if (exp[i] != ours.floats()[i]) {
                    throw new AssertionError(name + ": first difference at flat index " + i + ": expected " + exp[i] + ", got " + ours.floats()[i]);
                }
            }
        } else {
            assertArrayEquals(st.longs(name), ours.longs(), name);
        }
    }
}
