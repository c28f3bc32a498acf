package dev.relex.eval.run;

import dev.relex.Entity;
import dev.relex.ExtractionResult;
import dev.relex.Relation;
import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.eval.metrics.SpanMetrics;
import dev.relex.eval.metrics.TextTripleMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Gold fed as a model result (entities at their character offsets in the joined text) scores 100 on every metric,
 * through the same offset-to-word conversion the evaluator uses; checked on every CoNLL04 test sentence.
 */
class GoldRoundTripTest {
    @Test
    void goldAsPredictionScores100() throws Exception {
        List<Example> examples = TestData.conll04("test", Integer.MAX_VALUE);
        assertEquals(288, examples.size());
        SpanMetrics span = new SpanMetrics();
        TextTripleMetrics text = new TextTripleMetrics();
        for (Example e : examples) {
            GoldView v = new GoldView(e);
            List<Entity> ents = new ArrayList<>();
            for (EntityMention m : e.entities()) {
                ClassificationRun.SpanOffsets o = v.offsets(m.start(), m.end());
                ents.add(new Entity(o.start(), o.end(), v.text.substring(o.start(), o.end()), m.label(), 1));
            }
            List<Relation> rels = new ArrayList<>();
            for (RelationMention r : e.relations()) {
                rels.add(new Relation(ents.get(r.head()), r.head(), r.label(), ents.get(r.tail()), r.tail(), 1));
            }
            GoldView.Scored s = v.toScored(new ExtractionResult(v.text, ents, rels, null));
            span.add(v.gold, s.annotation(0.5));
            text.add(v.goldTriples, s.triples(0.5));
        }
        SpanMetrics.Result r = span.result();
        assertEquals(100, r.entitiesStrict().micro().f1(), 1e-9);
        assertEquals(100, r.entitiesStrict().macroF1(), 1e-9);
        assertEquals(100, r.relationsStrict().micro().f1(), 1e-9);
        assertEquals(100, r.relationsStrict().macroF1(), 1e-9);
        assertEquals(100, r.relationsBoundaries().micro().f1(), 1e-9);
        assertEquals(100, text.result().micro().f1(), 1e-9);
        assertEquals(100, text.result().macroF1(), 1e-9);
        // the README's counts: 1,079 entities and 422 relations
        assertEquals(1079, r.entitiesStrict().micro().gold());
        assertEquals(422, r.relationsStrict().micro().gold());
    }
}
