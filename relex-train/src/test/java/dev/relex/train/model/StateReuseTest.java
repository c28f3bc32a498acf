package dev.relex.train.model;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.engine.Parameter;
import dev.relex.golden.RelexGolden;
import dev.relex.train.loss.LossSettings;
import dev.relex.train.target.BatchTargets;
import dev.relex.train.target.TargetBuilder;
import dev.relex.train.target.TargetGoldenTest;
import dev.relex.train.target.TargetSettings;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Activation states and buffers are reused across steps and only grow: a batch must give bit for bit the
 * same gradients after batches of other shapes (more or fewer words, labels, candidates, pairs) as in a
 * fresh model. Checked for every golden model kind.
 */
class StateReuseTest {

    static Example ex(String id, String text, List<String> ents, List<String> rels, List<EntityMention> em,
                      List<RelationMention> rm) {
        return new Example(id, List.of(text.split(" ")), em, rm, ents, null, rels, null);
    }

    static List<Example> big() {
        return List.of(
                ex("b1", "Marie Curie was born in Warsaw and later moved to Paris with Pierre Curie in 1891 .",
                        List.of("person", "city", "date", "organization", "country", "award"),
                        List.of("born in", "lives in", "spouse of", "works for", "located in"),
                        List.of(new EntityMention(0, 1, "person"), new EntityMention(5, 5, "city"),
                                new EntityMention(10, 10, "city"), new EntityMention(12, 13, "person"),
                                new EntityMention(15, 15, "date")),
                        List.of(new RelationMention(0, 1, "born in"), new RelationMention(0, 2, "lives in"),
                                new RelationMention(0, 3, "spouse of"), new RelationMention(3, 2, "lives in"))),
                ex("b2", "Acme Corp hired Bob in Berlin .", List.of("person", "organization", "city"),
                        List.of("works for", "located in", "founded by"),
                        List.of(new EntityMention(0, 1, "organization"), new EntityMention(3, 3, "person"),
                                new EntityMention(5, 5, "city")),
                        List.of(new RelationMention(1, 0, "works for"), new RelationMention(0, 2, "located in"))),
                ex("b3", "Nothing to see here today .", List.of("person", "city"), List.of("born in"), List.of(), List.of()));
    }

    static List<Example> small() {
        return List.of(
                ex("s1", "Bob lives in Oslo .", List.of("person", "city"), List.of("lives in"),
                        List.of(new EntityMention(0, 0, "person"), new EntityMention(3, 3, "city")),
                        List.of(new RelationMention(0, 1, "lives in"))),
                ex("s2", "Ann met Tom .", List.of("person"), List.of("knows", "spouse of"),
                        List.of(new EntityMention(0, 0, "person"), new EntityMention(2, 2, "person")),
                        List.of(new RelationMention(0, 1, "knows"))));
    }

    @TestFactory
    List<DynamicTest> gradientsDoNotDependOnEarlierBatches() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String c : List.of("relex-span-gcn", "relex-span-dot-rnn0", "relex-span-none-rnn2", "relex-token-gcn",
                "relex-bert-span-gcn")) {
            tests.add(DynamicTest.dynamicTest(c, () -> check(c)));
        }
        return tests;
    }

    private static float[][] grads(TrainableRelexModel m) {
        List<Parameter> ps = m.parameters();
        float[][] out = new float[ps.size()][];
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            out[i] = java.util.Arrays.copyOfRange(p.grad(), p.offset(), p.offset() + p.size());
        }
        return out;
    }

    private static void step(TrainableRelexModel m, TargetBuilder tb, List<Example> batch, long seed) {
        BatchTargets t = tb.build(batch, new SplittableRandom(seed));
        m.forwardBackward(batch, t, LossSettings.defaults(), new SplittableRandom(seed + 1), seed + 2, 1.0);
    }

    private static void check(String name) {
        Path modelCase = RelexGolden.golden().resolve(name);
        Path dir = modelCase.resolve("model");
        Path tok = RelexGolden.tokenizerFor(modelCase);
        TargetSettings ts = TargetGoldenTest.settings(RelexGolden.golden().resolve("training").resolve(name));
        TargetBuilder tb = new TargetBuilder(ts);
        try (TrainableRelexModel fresh = TrainableRelexModel.load(dir, tok);
             TrainableRelexModel used = TrainableRelexModel.load(dir, tok)) {
            fresh.headDropout(0.3);
            used.headDropout(0.3);
            step(fresh, tb, small(), 11);
            float[][] expected = grads(fresh);
            step(used, tb, big(), 5);
            used.zeroGrad();
            step(used, tb, small(), 11);
            float[][] actual = grads(used);
            List<String> differ = new ArrayList<>();
            for (int i = 0; i < expected.length; i++) {
                if (!java.util.Arrays.equals(expected[i], actual[i])) differ.add(fresh.parameters().get(i).name());
            }
            assertTrue(differ.isEmpty(), "gradients after a bigger batch differ from a fresh model's in " + differ);
        }
    }
}
