package dev.relex;

import dev.relex.checkpoint.Checkpoint;
import dev.relex.golden.RelexGolden;
import dev.relex.text.InputBuilder;
import dev.relex.text.RelexTokenizer;
import dev.relex.text.WordSplitter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Invariants of the public API over random text (in the spirit of Lucene's BaseTokenStreamTestCase), on
 * the golden {@code relex-span-gcn} model with low thresholds so that entities and relations do appear:
 * offsets inside the text, {@code entity.text} equal to the offsets' substring in both offset units,
 * entities sorted and (flat mode) disjoint, labels from the request, relation endpoints that are returned
 * entities, scores in (threshold, 1], identical results with 1, 2 and 8 threads calling concurrently, and
 * batch results equal to single calls. Plus bad input, long texts and very many labels.
 */
class RelexModelInvariantsTest {

    private static final long SEED = Long.getLong("relex.test.seed", 20261125L);
    private static final List<String> ENTITY_POOL = List.of("person", "organization", "location", "date", "money",
            "city or country", "product", "event", "person", "Zeitangabe", "組織");
    private static final List<String> RELATION_POOL = List.of("founded by", "located in", "works for", "born in",
            "met with", "works for", "parent of");

    private static RelexModel model;
    private static Path caseDir;

    @BeforeAll
    static void load() {
        caseDir = RelexGolden.golden().resolve("relex-span-gcn");
        assumeTrue(Files.isDirectory(caseDir), "no golden model under " + caseDir);
        model = openModel(caseDir.resolve("model"));
    }

    static RelexModel openModel(Path dir) {
        return RelexModel.load(dir);
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    private static List<String> labels(Random r, List<String> pool, int min) {
        List<String> out = new ArrayList<>();
        int n = min + r.nextInt(pool.size());
        for (int i = 0; i < n; i++) out.add(pool.get(r.nextInt(pool.size())));
        return out;
    }

    private static ExtractionOptions options(Random r, OffsetUnit unit) {
        return ExtractionOptions.builder().threshold(0.4 + 0.4 * r.nextDouble()).adjacencyThreshold(0.2 + 0.7 * r.nextDouble())
                .relationThreshold(0.2 + 0.5 * r.nextDouble()).flatNer(r.nextBoolean()).multiLabel(r.nextInt(4) == 0)
                .offsetUnit(unit).build();
    }

    private static List<ExtractionRequest> randomRequests(Random r, int n) {
        List<ExtractionRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            OffsetUnit unit = r.nextBoolean() ? OffsetUnit.UTF16 : OffsetUnit.CODE_POINTS;
            out.add(new ExtractionRequest(RandomTexts.text(r), labels(r, ENTITY_POOL, 1),
                    r.nextInt(5) == 0 ? List.of() : labels(r, RELATION_POOL, 0), options(r, unit)));
        }
        return out;
    }

    @Test
    void randomTextsSatisfyInvariantsInBothOffsetUnits() {
        Random r = new Random(SEED);
        int withEntities = 0, withRelations = 0;
        int texts = Integer.getInteger("relex.invariants.texts", 2000);
        for (int i = 0; i < texts; i++) {
            ExtractionRequest req = randomRequests(r, 1).get(0);
            ExtractionOptions utf16 = req.options().toBuilder().offsetUnit(OffsetUnit.UTF16).build();
            ExtractionOptions cps = req.options().toBuilder().offsetUnit(OffsetUnit.CODE_POINTS).build();
            String where = "seed " + SEED + " text #" + i + " " + escape(req.text());
            ExtractionResult a = model.extract(req.text(), req.entityLabels(), req.relationLabels(), utf16);
            ExtractionResult b = model.extract(req.text(), req.entityLabels(), req.relationLabels(), cps);
            checkInvariants(req, a, utf16, where);
            checkInvariants(req, b, cps, where);
            // Same extraction, only the unit differs.
            assertEquals(a.entities().size(), b.entities().size(), where);
            for (int e = 0; e < a.entities().size(); e++) {
                Entity x = a.entities().get(e), y = b.entities().get(e);
                assertEquals(req.text().codePointCount(0, x.start()), y.start(), where);
                assertEquals(req.text().codePointCount(0, x.end()), y.end(), where);
                assertEquals(x.text(), y.text(), where);
                assertEquals(x.label(), y.label(), where);
                assertEquals(x.score(), y.score(), where);
            }
            assertEquals(a.relations().size(), b.relations().size(), where);
            if (!a.entities().isEmpty()) withEntities++;
            if (!a.relations().isEmpty()) withRelations++;
        }
        // Low thresholds: the test must actually see output, or it proves little.
        assertTrue(withEntities > texts / 3, "texts with entities: " + withEntities + " of " + texts);
        assertTrue(withRelations > texts / 12, "texts with relations: " + withRelations + " of " + texts);
        System.out.println("invariants: " + withEntities + " of " + texts + " texts with entities, " + withRelations
                + " with relations");
    }

    static void checkInvariants(ExtractionRequest req, ExtractionResult res, ExtractionOptions o, String where) {
        String text = req.text();
        boolean cp = o.offsetUnit() == OffsetUnit.CODE_POINTS;
        int length = cp ? text.codePointCount(0, text.length()) : text.length();
        Set<String> entityLabels = new LinkedHashSet<>(req.entityLabels());
        Set<String> relationLabels = new LinkedHashSet<>(req.relationLabels());
        assertEquals(text, res.text(), where);
        if (text.isBlank()) assertTrue(res.entities().isEmpty() && res.relations().isEmpty(), where + ": blank text");
        if (relationLabels.isEmpty()) assertTrue(res.relations().isEmpty(), where + ": no relation labels");
        assertNull(res.truncation(), where + ": short texts are not truncated");
        int previousStart = -1;
        Entity previous = null;
        for (Entity e : res.entities()) {
            assertTrue(0 <= e.start() && e.start() < e.end() && e.end() <= length, where + ": offsets " + e);
            String sub = cp ? text.substring(text.offsetByCodePoints(0, e.start()), text.offsetByCodePoints(0, e.end()))
                    : text.substring(e.start(), e.end());
            assertEquals(sub, e.text(), where + ": entity text is the substring at its offsets");
            assertFalse(WordSplitter.isWhitespace(sub.codePointAt(0)), where + ": entity starts on a word " + e);
            assertFalse(WordSplitter.isWhitespace(sub.codePointBefore(sub.length())), where + ": entity ends on a word " + e);
            int from = cp ? text.offsetByCodePoints(0, e.start()) : e.start();
            int to = cp ? text.offsetByCodePoints(0, e.end()) : e.end();
            assertFalse(splitsPair(text, from) || splitsPair(text, to), where + ": splits a surrogate pair " + e);
            assertTrue(entityLabels.contains(e.label()), where + ": label " + e.label());
            assertTrue(e.score() > (float) o.threshold() && e.score() <= 1.0, where + ": score " + e.score());
            assertTrue(e.start() >= previousStart, where + ": sorted by start");
            if (o.flatNer() && previous != null) {
                boolean sameSpan = previous.start() == e.start() && previous.end() == e.end();
                assertTrue(previous.end() <= e.start() || (o.multiLabel() && sameSpan),
                        where + ": flat entities do not overlap: " + previous + " / " + e);
            }
            if (!o.multiLabel() && previous != null) {
                assertFalse(previous.start() == e.start() && previous.end() == e.end(), where + ": one label per span");
            }
            previousStart = e.start();
            previous = e;
        }
        for (Relation rel : res.relations()) {
            assertTrue(rel.headIndex() >= 0 && rel.headIndex() < res.entities().size(), where);
            assertTrue(rel.tailIndex() >= 0 && rel.tailIndex() < res.entities().size(), where);
            assertSame(res.entities().get(rel.headIndex()), rel.head(), where + ": head is a returned entity");
            assertSame(res.entities().get(rel.tailIndex()), rel.tail(), where + ": tail is a returned entity");
            assertTrue(relationLabels.contains(rel.relation()), where + ": relation " + rel.relation());
            assertTrue(rel.score() > o.relationThreshold() && rel.score() <= 1.0, where + ": score " + rel.score());
        }
    }

    private static boolean splitsPair(String text, int i) {
        return i > 0 && i < text.length() && Character.isHighSurrogate(text.charAt(i - 1))
                && Character.isLowSurrogate(text.charAt(i));
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f) sb.append((char) c);
            else sb.append(String.format("\\u{%x}", c));
        });
        return sb.append('"').toString();
    }

    @Test
    void concurrentCallsAndBatchesGiveIdenticalResults() throws Exception {
        Random r = new Random(SEED + 1);
        List<ExtractionRequest> requests = randomRequests(r, 64);
        List<ExtractionResult> expected = new ArrayList<>();
        for (ExtractionRequest q : requests) expected.add(model.extract(q.text(), q.entityLabels(), q.relationLabels(), q.options()));
        assertEquals(expected, model.extractBatch(requests), "batch == single calls");
        for (int threads : new int[]{1, 2, 8}) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<ExtractionResult>>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long seed = SEED + 100 + t;
                    futures.add(pool.submit(() -> {
                        // Every thread runs all requests in its own order, some of them as batches.
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < requests.size(); i++) order.add(i);
                        Collections.shuffle(order, new Random(seed));
                        ExtractionResult[] got = new ExtractionResult[requests.size()];
                        for (int i = 0; i < order.size(); ) {
                            int chunk = Math.min(1 + new Random(seed + i).nextInt(6), order.size() - i);
                            List<ExtractionRequest> batch = new ArrayList<>();
                            for (int j = 0; j < chunk; j++) batch.add(requests.get(order.get(i + j)));
                            List<ExtractionResult> res = chunk == 1
                                    ? List.of(model.extract(batch.get(0).text(), batch.get(0).entityLabels(),
                                    batch.get(0).relationLabels(), batch.get(0).options()))
                                    : model.extractBatch(batch);
                            for (int j = 0; j < chunk; j++) got[order.get(i + j)] = res.get(j);
                            i += chunk;
                        }
                        return List.of(got);
                    }));
                }
                for (Future<List<ExtractionResult>> f : futures) assertEquals(expected, f.get(), threads + " threads");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void badInputIsRejectedClearly() {
        List<String> ents = List.of("person");
        assertMessage(IllegalArgumentException.class, "text", () -> model.extract(null, ents, List.of()));
        assertMessage(IllegalArgumentException.class, "entity label", () -> model.extract("Ada", List.of(), List.of()));
        assertMessage(IllegalArgumentException.class, "entity labels", () -> model.extract("Ada", null, List.of()));
        assertMessage(IllegalArgumentException.class, "relation labels", () -> model.extract("Ada", ents, null));
        assertMessage(IllegalArgumentException.class, "blank", () -> model.extract("Ada", List.of("person", " "), List.of()));
        assertMessage(IllegalArgumentException.class, "null", () -> model.extract("Ada", java.util.Arrays.asList("a", null), List.of()));
        assertMessage(IllegalArgumentException.class, "relation label 0",
                () -> model.extract("Ada", ents, List.of("")));
        assertMessage(IllegalArgumentException.class, "<<ENT>>", () -> model.extract("Ada", List.of("x<<ENT>>"), List.of()));
        assertMessage(IllegalArgumentException.class, "options", () -> model.extract("Ada", ents, List.of(), null));
        assertMessage(IllegalArgumentException.class, "threshold", () -> ExtractionOptions.builder().threshold(Double.NaN).build());
        assertMessage(IllegalArgumentException.class, "adjacency threshold",
                () -> ExtractionOptions.builder().adjacencyThreshold(Double.NaN).build());
        assertMessage(IllegalArgumentException.class, "relation threshold",
                () -> ExtractionOptions.builder().relationThreshold(1.5).build());
        assertMessage(IllegalArgumentException.class, "threshold", () -> ExtractionOptions.builder().threshold(-0.1).build());
        assertMessage(IllegalArgumentException.class, "requests", () -> model.extractBatch(null));
        List<ExtractionRequest> withBad = List.of(new ExtractionRequest("Ada", ents, List.of(), null),
                new ExtractionRequest("Ada", List.of(" "), List.of(), null));
        assertMessage(IllegalArgumentException.class, "request 1", () -> model.extractBatch(withBad));
        // Empty texts: no words, empty result, labels still validated.
        for (String empty : new String[]{"", " ", "\n\t\u3000"}) {
            ExtractionResult r = model.extract(empty, ents, List.of("works for"));
            assertEquals(new ExtractionResult(empty, List.of(), List.of(), null), r);
            assertThrows(IllegalArgumentException.class, () -> model.extract(empty, List.of(), List.of()));
        }
        assertEquals(List.of(), model.extractBatch(List.of()));
        assertMessage(IllegalArgumentException.class, "text", () -> new ExtractionRequest(null, ents, List.of(), null));
        assertMessage(IllegalArgumentException.class, "entity label 1",
                () -> new ExtractionRequest("Ada", java.util.Arrays.asList("a", null), List.of(), null));
        assertMessage(IllegalArgumentException.class, "relation labels", () -> new ExtractionRequest("Ada", ents, null, null));
    }

    @Test
    void labelsBeyondTheEncoderTokenLimitFailClearly() {
        Path bert = RelexGolden.golden().resolve("relex-bert-span-gcn");
        assumeTrue(Files.isDirectory(bert), "no BERT golden case");
        try (RelexModel m = openModel(bert.resolve("model"))) {
            assertEquals(512, m.maxTokens(), "BERT: absolute positions");
            List<String> many = new ArrayList<>();
            for (int i = 0; i < 2000; i++) many.add("type" + i);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.extract("Ada Lovelace met Babbage.", many, List.of("met with")));
            assertTrue(e.getMessage().contains("2000 entity") && e.getMessage().contains("512"), e.getMessage());
            // A long text with a prompt that fits is cut at the token limit, and says so.
            String text = "Ada Lovelace met Charles Babbage in London. ".repeat(60);
            ExtractionResult r = m.extract(text, List.of("person"), List.of(), ExtractionOptions.builder().threshold(0.95).build());
            assertNotNull(r.truncation(), "over 512 tokens");
            assertTrue(r.truncation().processedWords() < m.maxWords() && r.truncation().totalWords() == 480,
                    "cut by the token limit before max_len: " + r.truncation());
        }
    }

    private static void assertMessage(Class<? extends Throwable> type, String fragment, org.junit.jupiter.api.function.Executable call) {
        Throwable t = assertThrows(type, call);
        assertNotNull(t.getMessage(), "exception without message");
        assertTrue(t.getMessage().contains(fragment), "message '" + t.getMessage() + "' should mention '" + fragment + "'");
    }

    @Test
    void loneSurrogatesAreWordsLikeAnyOtherCharacter() {
        // Invalid UTF-16 (unpaired surrogates) must not break the tokenizer bridge or the offsets.
        String text = "Ada \uD800 Lovelace\uDC00 met \uDBFF\uDBFF Babbage \uDFFF";
        ExtractionOptions low = ExtractionOptions.builder().threshold(0.3).relationThreshold(0.3).build();
        ExtractionRequest req = new ExtractionRequest(text, List.of("person"), List.of("met with"), low);
        ExtractionResult r = model.extract(text, req.entityLabels(), req.relationLabels(), low);
        for (Entity e : r.entities()) {
            assertTrue(0 <= e.start() && e.start() < e.end() && e.end() <= text.length(), e.toString());
            assertEquals(text.substring(e.start(), e.end()), e.text());
        }
    }

    @Test
    void longTextsAreReportedAsTruncatedOrRejected() {
        int maxWords = model.maxWords();
        StringBuilder sb = new StringBuilder();
        int words = maxWords + 57;
        int stopUtf16 = -1;
        for (int i = 0; i < words; i++) {
            sb.append(i % 7 == 0 ? "🎉" : "Ada").append(' ');
            if (i == maxWords - 1) stopUtf16 = sb.length() - 1;
        }
        String text = sb.toString();
        // A high threshold: this test is about where processing stops, not about many candidates.
        ExtractionOptions low = ExtractionOptions.builder().threshold(0.95).build();
        ExtractionResult r = model.extract(text, List.of("person"), List.of("met with"), low);
        assertEquals(new Truncation(words, maxWords, stopUtf16), r.truncation());
        assertTrue(r.truncated());
        for (Entity e : r.entities()) assertTrue(e.end() <= stopUtf16, "entity inside the processed prefix: " + e);
        ExtractionResult cps = model.extract(text, List.of("person"), List.of("met with"),
                low.toBuilder().offsetUnit(OffsetUnit.CODE_POINTS).build());
        assertEquals(new Truncation(words, maxWords, text.codePointCount(0, stopUtf16)), cps.truncation());
        TextTooLongException e = assertThrows(TextTooLongException.class, () -> model.extract(text, List.of("person"),
                List.of(), low.toBuilder().failOnTruncation(true).build()));
        assertEquals(r.truncation(), e.truncation());
        assertTrue(e.getMessage().contains(String.valueOf(words)), e.getMessage());
        // Exactly max_len words: not truncated.
        String exact = "Ada ".repeat(maxWords);
        assertNull(model.extract(exact, List.of("person"), List.of(), low.toBuilder().failOnTruncation(true).build()).truncation());
    }

    @Test
    void thousandsOfLabelsWork() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) many.add("type" + i);
        many.add("type7"); // duplicate
        List<String> rels = new ArrayList<>();
        for (int i = 0; i < 100; i++) rels.add("rel" + i);
        ExtractionOptions low = ExtractionOptions.builder().threshold(0.3).relationThreshold(0.3).adjacencyThreshold(0.1).build();
        ExtractionRequest req = new ExtractionRequest("Ada Lovelace worked with Charles Babbage in London.", many, rels, low);
        ExtractionResult r = model.extract(req.text(), req.entityLabels(), req.relationLabels(), low);
        checkInvariants(req, r, low, "1000 labels");
        assertFalse(r.entities().isEmpty(), "low threshold, many labels: some entity");
    }
}
