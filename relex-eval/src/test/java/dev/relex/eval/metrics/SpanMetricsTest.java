package dev.relex.eval.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hand-computed span-level scores, and a cross-check against a naive implementation written here. */
class SpanMetricsTest {
    static final double EPS = 1e-9;
    static final SpanEntity A = new SpanEntity(0, 1, "per");
    static final SpanEntity B = new SpanEntity(4, 4, "loc");
    static final SpanEntity C = new SpanEntity(6, 7, "org");
    static final SpanAnnotation GOLD = new SpanAnnotation(List.of(A, B, C),
            List.of(new SpanRelation(A, B, "live_in"), new SpanRelation(C, B, "located_in")));

    static SpanMetrics.Result score(SpanAnnotation gold, SpanAnnotation pred) {
        return new SpanMetrics().add(gold, pred).result();
    }

    static void assertPrf(double p, double r, double f, Prf actual) {
        assertEquals(p, actual.precision(), 1e-3, "precision");
        assertEquals(r, actual.recall(), 1e-3, "recall");
        assertEquals(f, actual.f1(), 1e-3, "f1");
    }

    @Test
    void perfectPredictionScores100Everywhere() {
        SpanMetrics.Result r = score(GOLD, GOLD);
        assertPrf(100, 100, 100, r.entitiesStrict().micro());
        assertPrf(100, 100, 100, r.relationsStrict().micro());
        assertPrf(100, 100, 100, r.relationsBoundaries().micro());
        assertEquals(100, r.relationsStrict().macroF1(), EPS);
        assertEquals(100, r.entitiesStrict().macroF1(), EPS);
        assertEquals(3, r.entitiesStrict().perType().size());
    }

    @Test
    void emptyPredictionScoresZero() {
        SpanMetrics.Result r = score(GOLD, SpanAnnotation.EMPTY);
        assertEquals(new Prf(0, 0, 3), r.entitiesStrict().micro());
        assertEquals(new Prf(0, 0, 2), r.relationsStrict().micro());
        assertPrf(0, 0, 0, r.relationsBoundaries().micro());
    }

    @Test
    void wrongEntityTypeFailsStrictButNotBoundaries() {
        SpanEntity aOrg = new SpanEntity(0, 1, "org");
        SpanAnnotation pred = new SpanAnnotation(List.of(aOrg, B, C),
                List.of(new SpanRelation(aOrg, B, "live_in"), new SpanRelation(C, B, "located_in")));
        SpanMetrics.Result r = score(GOLD, pred);
        assertPrf(200.0 / 3, 200.0 / 3, 200.0 / 3, r.entitiesStrict().micro());
        assertEquals(new Prf(0, 0, 1), r.entitiesStrict().perType().get("per"));
        assertEquals(new Prf(1, 2, 1), r.entitiesStrict().perType().get("org"));
        assertPrf(50, 50, 50, r.relationsStrict().micro());
        assertPrf(100, 100, 100, r.relationsBoundaries().micro());
    }

    @Test
    void wrongDirectionIsWrongUnderBothCriteria() {
        SpanAnnotation pred = new SpanAnnotation(List.of(A, B, C), List.of(new SpanRelation(B, A, "live_in")));
        SpanMetrics.Result r = score(GOLD, pred);
        assertEquals(new Prf(0, 1, 2), r.relationsStrict().micro());
        assertEquals(new Prf(0, 1, 2), r.relationsBoundaries().micro());
    }

    @Test
    void duplicatesCountOnce() {
        SpanEntity aOrg = new SpanEntity(0, 1, "org");
        // The same relation twice; and under boundaries, two labels of a multi-label head give the same key.
        SpanAnnotation pred = new SpanAnnotation(List.of(A, A, aOrg, B),
                List.of(new SpanRelation(A, B, "live_in"), new SpanRelation(A, B, "live_in"),
                        new SpanRelation(aOrg, B, "live_in")));
        SpanMetrics.Result r = score(GOLD, pred);
        assertEquals(new Prf(2, 3, 3), r.entitiesStrict().micro());    // A once, aOrg, B
        assertEquals(new Prf(1, 2, 2), r.relationsStrict().micro());   // (A,B) once, (aOrg,B) wrong
        assertEquals(new Prf(1, 1, 2), r.relationsBoundaries().micro()); // all three are one key
    }

    @Test
    void overlappingSpansAreDistinctPredictions() {
        SpanAnnotation pred = new SpanAnnotation(List.of(new SpanEntity(0, 1, "per"), new SpanEntity(1, 2, "per"),
                new SpanEntity(0, 2, "per")), List.of());
        assertEquals(new Prf(1, 3, 3), score(GOLD, pred).entitiesStrict().micro());
    }

    @Test
    void relationTypeAbsentFromGoldLowersMacroAndMicroPrecision() {
        SpanAnnotation pred = new SpanAnnotation(List.of(A, B, C),
                List.of(new SpanRelation(A, B, "live_in"), new SpanRelation(A, C, "kill")));
        TypedScores s = score(GOLD, pred).relationsStrict();
        assertPrf(50, 50, 50, s.micro());
        assertEquals(new Prf(0, 1, 0), s.perType().get("kill"));
        // live_in 100, located_in 0 (missed), kill 0 (P = 0) → (100 + 0 + 0) / 3
        assertEquals(100.0 / 3, s.macroF1(), EPS);
        // over gold types only: (100 + 0) / 2
        assertEquals(50, s.macroF1Over(s.goldTypes()), EPS);
    }

    @Test
    void countsAddUpOverTexts() {
        SpanMetrics m = new SpanMetrics().add(GOLD, GOLD).add(GOLD, SpanAnnotation.EMPTY);
        assertEquals(new Prf(2, 2, 4), m.result().relationsStrict().micro());
        assertEquals(2, m.texts());
        SpanMetrics other = new SpanMetrics().add(GOLD, GOLD);
        assertEquals(new Prf(4, 4, 6), m.addAll(other).result().relationsStrict().micro());
    }

    /** Independent implementation: lists and string keys, quadratic search, no sets of records. */
    @Test
    void strictAndBoundariesAgreeWithNaiveImplementationOnRandomPredictions() {
        Random rnd = new Random(20261202);
        String[] etypes = {"per", "loc", "org"};
        String[] rtypes = {"r1", "r2", "r3"};
        SpanMetrics metrics = new SpanMetrics();
        Map<String, int[]> naiveStrict = new HashMap<>(), naiveBound = new HashMap<>(), naiveEnt = new HashMap<>();
        for (int doc = 0; doc < 300; doc++) {
            SpanAnnotation gold = randomAnnotation(rnd, etypes, rtypes);
            SpanAnnotation pred = rnd.nextInt(4) == 0 ? perturb(gold, rnd, etypes, rtypes) : randomAnnotation(rnd, etypes, rtypes);
            metrics.add(gold, pred);
            naive(gold, pred, naiveEnt, naiveStrict, naiveBound);
        }
        SpanMetrics.Result r = metrics.result();
        compare(naiveEnt, r.entitiesStrict());
        compare(naiveStrict, r.relationsStrict());
        compare(naiveBound, r.relationsBoundaries());
    }

    static void compare(Map<String, int[]> naive, TypedScores s) {
        long c = 0, p = 0, g = 0;
        for (Map.Entry<String, int[]> e : naive.entrySet()) {
            int[] n = e.getValue();
            assertEquals(new Prf(n[0], n[1], n[2]), s.perType().get(e.getKey()), e.getKey());
            c += n[0];
            p += n[1];
            g += n[2];
        }
        assertEquals(new Prf(c, p, g), s.micro());
    }

    static String ent(SpanEntity e, boolean typed) {
        return e.start() + ":" + e.end() + (typed ? ":" + e.type() : "");
    }

    static void naive(SpanAnnotation gold, SpanAnnotation pred, Map<String, int[]> ents, Map<String, int[]> strict,
                      Map<String, int[]> bound) {
        List<String> ge = new ArrayList<>(), pe = new ArrayList<>();
        for (SpanEntity e : gold.entities()) if (!ge.contains(ent(e, true))) ge.add(ent(e, true));
        for (SpanEntity e : pred.entities()) if (!pe.contains(ent(e, true))) pe.add(ent(e, true));
        tally(ge, pe, ents);
        for (boolean typed : new boolean[] {true, false}) {
            List<String> gr = new ArrayList<>(), pr = new ArrayList<>();
            for (SpanRelation x : gold.relations()) {
                String k = ent(x.head(), typed) + "|" + ent(x.tail(), typed) + "|" + x.type();
                if (!gr.contains(k)) gr.add(k);
            }
            for (SpanRelation x : pred.relations()) {
                String k = ent(x.head(), typed) + "|" + ent(x.tail(), typed) + "|" + x.type();
                if (!pr.contains(k)) pr.add(k);
            }
            tally(gr, pr, typed ? strict : bound);
        }
    }

    /** The type is the last ':'/'|' field of the key. */
    static void tally(List<String> gold, List<String> pred, Map<String, int[]> into) {
        for (String g : gold) into.computeIfAbsent(typeOf(g), k -> new int[3])[2]++;
        for (String p : pred) {
            int[] c = into.computeIfAbsent(typeOf(p), k -> new int[3]);
            c[1]++;
            for (String g : gold) if (g.equals(p)) c[0]++;
        }
    }

    static String typeOf(String key) {
        int i = Math.max(key.lastIndexOf(':'), key.lastIndexOf('|'));
        return key.substring(i + 1);
    }

    static SpanAnnotation randomAnnotation(Random rnd, String[] etypes, String[] rtypes) {
        List<SpanEntity> es = new ArrayList<>();
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            int s = rnd.nextInt(6);
            es.add(new SpanEntity(s, s + rnd.nextInt(2), etypes[rnd.nextInt(etypes.length)]));
        }
        List<SpanRelation> rs = new ArrayList<>();
        if (es.size() > 1) {
            int m = rnd.nextInt(5);
            for (int i = 0; i < m; i++) {
                rs.add(new SpanRelation(es.get(rnd.nextInt(es.size())), es.get(rnd.nextInt(es.size())),
                        rtypes[rnd.nextInt(rtypes.length)]));
            }
        }
        return new SpanAnnotation(es, rs);
    }

    /** Gold with some relations dropped, retyped, reversed or duplicated. */
    static SpanAnnotation perturb(SpanAnnotation gold, Random rnd, String[] etypes, String[] rtypes) {
        List<SpanRelation> rs = new ArrayList<>();
        Set<Integer> unused = new HashSet<>();
        for (SpanRelation r : gold.relations()) {
            switch (rnd.nextInt(5)) {
                case 0 -> unused.add(0);
                case 1 -> rs.add(new SpanRelation(r.tail(), r.head(), r.type()));
                case 2 -> rs.add(new SpanRelation(new SpanEntity(r.head().start(), r.head().end(),
                        etypes[rnd.nextInt(etypes.length)]), r.tail(), r.type()));
                case 3 -> {
                    rs.add(r);
                    rs.add(r);
                }
                default -> rs.add(new SpanRelation(r.head(), r.tail(), rtypes[rnd.nextInt(rtypes.length)]));
            }
        }
        return new SpanAnnotation(gold.entities(), rs);
    }
}
