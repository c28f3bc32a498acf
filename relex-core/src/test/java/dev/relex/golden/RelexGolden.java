package dev.relex.golden;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.relex.Entity;
import dev.relex.ExtractionOptions;
import dev.relex.ExtractionResult;
import dev.relex.OffsetUnit;
import dev.relex.Relation;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.heads.HeadOutput;
import dev.relex.text.Word;
import dev.relex.text.Offsets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads the {@code golden/relex-*} cases (inputs.json + expected.json, see golden/README.md) and compares
 * public-API results with the reference's decoded outputs: labels, offsets, texts and entity indices
 * exactly, scores within 1e-5 (the README's tolerance for decoded outputs).
 */
public final class RelexGolden {
    private RelexGolden() {}

    public static final double SCORE_TOLERANCE = 1e-5;

    /** expected.json stores some margins as Infinity (Python's json default). */
    public static final ObjectMapper JSON =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** The shared data folder: system property {@code relex.shared}, default {@code ../shared}. */
    public static Path shared() {
        return Path.of(System.getProperty("relex.shared", "../shared"));
    }

    public static Path golden() {
        return shared().resolve("golden");
    }

    /** The {@link #cases()} that hold a checkpoint ({@code model/}). */
    public static List<Path> modelCases() {
        return cases().stream().filter(p -> Files.isDirectory(p.resolve("model"))).toList();
    }

    /** Every {@code relex-*} case folder, sorted; empty if the shared data is absent. */
    public static List<Path> cases() {
        Path g = golden();
        if (!Files.isDirectory(g)) return List.of();
        try (Stream<Path> s = Files.list(g)) {
            return s.filter(p -> p.getFileName().toString().startsWith("relex-") && Files.isDirectory(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The case's own tokenizer.json, else the byte-identical DeBERTa one of relex-span-gcn (README). */
    public static Path tokenizerFor(Path caseDir) {
        Path own = caseDir.resolve("model/tokenizer.json");
        return Files.isRegularFile(own) ? own : caseDir.resolveSibling("relex-span-gcn").resolve("model/tokenizer.json");
    }

    public record ExpectedEntity(int start, int end, String text, String label, double score) {}

    public record ExpectedEndpoint(int start, int end, String text, String type, int entityIdx) {}

    public record ExpectedRelation(ExpectedEndpoint head, ExpectedEndpoint tail, String relation, double score) {}

    /** One text of an example; offsets are Python code points. */
    public record PerText(String text, List<String> words, int[] wordStarts, int[] wordEnds, Integer batchRow,
                          int textLength, int numCandidates, List<ExpectedEntity> entities,
                          List<ExpectedRelation> relations, int[] inputIds) {}

    /** One example of a case: inputs as passed (duplicates included) and the expected per-text outputs. */
    public record Example(Path caseDir, String id, List<String> texts, List<String> entityLabels,
                          List<String> relationLabels, double threshold, double adjacencyThreshold,
                          double relationThreshold, boolean flatNer, boolean multiLabel, List<PerText> perText,
                          Map<Integer, String> idToClasses, Map<Integer, String> relIdToClasses, JsonNode expected) {

        public Path tensorFile() {
            return caseDir.resolve("tensors").resolve(id + ".safetensors");
        }

        public ExtractionOptions options(OffsetUnit unit) {
            return ExtractionOptions.builder().threshold(threshold).adjacencyThreshold(adjacencyThreshold)
                    .relationThreshold(relationThreshold).flatNer(flatNer).multiLabel(multiLabel).offsetUnit(unit)
                    .build();
        }

        /** De-duplicated labels in class order (id_to_classes of the reference). */
        public List<String> classLabels() {
            return ordered(idToClasses);
        }

        public List<String> relationClassLabels() {
            return ordered(relIdToClasses);
        }

        @Override
        public String toString() {
            return caseDir.getFileName() + "/" + id;
        }
    }

    private static List<String> ordered(Map<Integer, String> byId) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= byId.size(); i++) {
            String s = byId.get(i);
            if (s == null) throw new IllegalStateException("class ids are not 1.." + byId.size() + ": " + byId);
            out.add(s);
        }
        return out;
    }

    public static List<Example> examples(Path caseDir) {
        try {
            JsonNode inputs = JSON.readTree(caseDir.resolve("inputs.json").toFile());
            JsonNode expected = JSON.readTree(caseDir.resolve("expected.json").toFile());
            Map<String, JsonNode> expById = new HashMap<>();
            for (JsonNode e : expected.get("examples")) expById.put(e.get("id").asText(), e);
            List<Example> out = new ArrayList<>();
            for (JsonNode in : inputs.get("examples")) {
                String id = in.get("id").asText();
                JsonNode exp = expById.get(id);
                if (exp == null) throw new IllegalStateException(caseDir + ": no expected output for " + id);
                List<PerText> per = new ArrayList<>();
                for (JsonNode pt : exp.get("per_text")) per.add(perText(pt));
                out.add(new Example(caseDir, id, strings(in.get("texts")), strings(in.get("entity_labels")),
                        strings(in.get("relation_labels")), in.get("threshold").asDouble(),
                        in.get("adjacency_threshold").asDouble(), in.get("relation_threshold").asDouble(),
                        in.get("flat_ner").asBoolean(), in.get("multi_label").asBoolean(), per,
                        idMap(exp.get("id_to_classes")), idMap(exp.get("rel_id_to_classes")), exp));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<Integer, String> idMap(JsonNode n) {
        Map<Integer, String> m = new HashMap<>();
        if (n != null && !n.isNull()) n.fields().forEachRemaining(f -> m.put(Integer.parseInt(f.getKey()), f.getValue().asText()));
        return m;
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : arr) out.add(n.asText());
        return out;
    }

    private static PerText perText(JsonNode pt) {
        JsonNode words = pt.get("words");
        List<String> w = new ArrayList<>();
        int[] starts = new int[words.size()];
        int[] ends = new int[words.size()];
        for (int i = 0; i < words.size(); i++) {
            w.add(words.get(i).get(0).asText());
            starts[i] = words.get(i).get(1).asInt();
            ends[i] = words.get(i).get(2).asInt();
        }
        List<ExpectedEntity> ents = new ArrayList<>();
        for (JsonNode e : pt.get("entities")) {
            ents.add(new ExpectedEntity(e.get("start").asInt(), e.get("end").asInt(), e.get("text").asText(),
                    e.get("label").asText(), e.get("score").asDouble()));
        }
        List<ExpectedRelation> rels = new ArrayList<>();
        for (JsonNode r : pt.get("relations")) {
            rels.add(new ExpectedRelation(endpoint(r.get("head")), endpoint(r.get("tail")), r.get("relation").asText(),
                    r.get("score").asDouble()));
        }
        JsonNode row = pt.get("batch_row");
        int[] ids = new int[pt.has("input_ids") ? pt.get("input_ids").size() : 0];
        for (int i = 0; i < ids.length; i++) ids[i] = pt.get("input_ids").get(i).asInt();
        return new PerText(pt.get("text").asText(), w, starts, ends, row == null || row.isNull() ? null : row.asInt(),
                pt.has("text_length") ? pt.get("text_length").asInt() : 0,
                pt.has("num_candidates") ? pt.get("num_candidates").asInt() : 0, ents, rels, ids);
    }

    private static ExpectedEndpoint endpoint(JsonNode n) {
        return new ExpectedEndpoint(n.get("start").asInt(), n.get("end").asInt(), n.get("text").asText(),
                n.get("type").asText(), n.get("entity_idx").asInt());
    }

    /**
     * Asserts that {@code actual} equals the reference's output for {@code expected}. Expected offsets are
     * code points; with {@link OffsetUnit#UTF16} they are converted to Java string indices first.
     */
    public static void assertMatches(PerText expected, ExtractionResult actual, OffsetUnit unit, String where) {
        String text = expected.text();
        Offsets offsets = Offsets.of(text);
        assertEquals(text, actual.text(), where + ": text");
        List<Entity> ents = actual.entities();
        assertEquals(describe(expected.entities()), describeActual(ents, text, unit),
                where + ": entities (start, end, text, label)");
        for (int i = 0; i < ents.size(); i++) {
            ExpectedEntity e = expected.entities().get(i);
            Entity a = ents.get(i);
            assertEquals(convert(e.start(), offsets, unit), a.start(), where + ": entity " + i + " start");
            assertEquals(convert(e.end(), offsets, unit), a.end(), where + ": entity " + i + " end");
            assertEquals(e.score(), a.score(), SCORE_TOLERANCE, where + ": entity " + i + " score");
        }
        List<Relation> rels = actual.relations();
        List<String> exp = new ArrayList<>();
        for (ExpectedRelation r : expected.relations()) {
            exp.add(r.head().entityIdx() + ":" + r.head().text() + "/" + r.head().type() + " -" + r.relation() + "-> "
                    + r.tail().entityIdx() + ":" + r.tail().text() + "/" + r.tail().type());
        }
        List<String> act = new ArrayList<>();
        for (Relation r : rels) {
            act.add(r.headIndex() + ":" + r.head().text() + "/" + r.head().label() + " -" + r.relation() + "-> "
                    + r.tailIndex() + ":" + r.tail().text() + "/" + r.tail().label());
        }
        assertEquals(exp, act, where + ": relations");
        for (int i = 0; i < rels.size(); i++) {
            ExpectedRelation e = expected.relations().get(i);
            Relation a = rels.get(i);
            assertEquals(e.score(), a.score(), SCORE_TOLERANCE, where + ": relation " + i + " score");
            assertEquals(convert(e.head().start(), offsets, unit), a.head().start(), where + ": relation " + i + " head start");
            assertEquals(convert(e.head().end(), offsets, unit), a.head().end(), where + ": relation " + i + " head end");
            assertEquals(convert(e.tail().start(), offsets, unit), a.tail().start(), where + ": relation " + i + " tail start");
            assertEquals(convert(e.tail().end(), offsets, unit), a.tail().end(), where + ": relation " + i + " tail end");
            assertTrue(a.head() == ents.get(a.headIndex()) || a.head().equals(ents.get(a.headIndex())),
                    where + ": relation head is the entity at headIndex");
            assertTrue(a.tail().equals(ents.get(a.tailIndex())), where + ": relation tail is the entity at tailIndex");
        }
    }

    private static int convert(int codePoints, Offsets offsets, OffsetUnit unit) {
        return unit == OffsetUnit.CODE_POINTS ? codePoints : offsets.toUtf16(codePoints);
    }

    private static List<String> describe(List<ExpectedEntity> es) {
        List<String> out = new ArrayList<>();
        for (ExpectedEntity e : es) out.add("[" + e.start() + "," + e.end() + ") " + e.text() + " / " + e.label());
        return out;
    }

    /** Same format as {@link #describe}, offsets in code points whatever the unit, for readable diffs. */
    private static List<String> describeActual(List<Entity> es, String text, OffsetUnit unit) {
        Offsets offsets = Offsets.of(text);
        List<String> out = new ArrayList<>();
        for (Entity e : es) {
            int s = unit == OffsetUnit.CODE_POINTS ? e.start() : offsets.toCodePoint(e.start());
            int en = unit == OffsetUnit.CODE_POINTS ? e.end() : offsets.toCodePoint(e.end());
            out.add("[" + s + "," + en + ") " + e.text() + " / " + e.label());
        }
        return out;
    }

    /** The reference's head outputs for one text of an example (its row of the recorded padded batch). */
    public static HeadOutput recordedHeadOutput(SafeTensors t, Example ex, PerText p, boolean spanLevel) {
        int candidates = p.numCandidates() >= 0 ? p.numCandidates()
                : countSpanCandidates(t, p.batchRow(), p.textLength(), ex.threshold());
        return headOutput(t, p.batchRow(), p.textLength(), candidates, spanLevel);
    }

    /** The recorded batch tensors of one row, cut to the text's words, candidates and valid pairs. */
    public static HeadOutput headOutput(SafeTensors t, int row, int words, int candidates, boolean spanLevel) {
        int[] ls = t.info("logits").intShape();
        float[] logits = t.floats("logits");
        int perWord = ls[2] * ls[3];
        int rowStart = row * ls[1] * perWord;
        float[] entityLogits = Arrays.copyOfRange(logits, rowStart, rowStart + words * perWord);

        int[] es = t.info("entity_spans").intShape();
        long[] spans = t.longs("entity_spans");
        if (t.contains("candidate_mask")) {
            long[] mask = t.longs("candidate_mask");
            int valid = 0;
            for (int e = 0; e < es[1]; e++) valid += (int) mask[row * es[1] + e];
            assertEquals(candidates, valid, "candidate_mask of row " + row + " vs num_candidates");
        }
        int[] candidateSpans = new int[2 * candidates];
        for (int e = 0; e < candidates; e++) {
            candidateSpans[2 * e] = Math.toIntExact(spans[(row * es[1] + e) * 2]);
            candidateSpans[2 * e + 1] = Math.toIntExact(spans[(row * es[1] + e) * 2 + 1]);
        }

        int[] rs = t.info("rel_idx").intShape();
        long[] relIdx = t.longs("rel_idx");
        long[] relMask = t.longs("rel_mask");
        int[] lg = t.info("rel_logits").intShape();
        int classes = lg[2];
        float[] relLogits = t.floats("rel_logits");
        List<Integer> kept = new ArrayList<>();
        for (int n = 0; n < rs[1]; n++) if (relMask[row * rs[1] + n] != 0) kept.add(n);
        int[] pairs = new int[2 * kept.size()];
        float[] keptLogits = new float[kept.size() * classes];
        for (int j = 0; j < kept.size(); j++) {
            int n = kept.get(j);
            pairs[2 * j] = Math.toIntExact(relIdx[(row * rs[1] + n) * 2]);
            pairs[2 * j + 1] = Math.toIntExact(relIdx[(row * rs[1] + n) * 2 + 1]);
            System.arraycopy(relLogits, (row * rs[1] + n) * classes, keptLogits, j * classes, classes);
        }
        int entityClasses = spanLevel ? ls[3] : ls[2];
        return new HeadOutput(spanLevel, words, spanLevel ? ls[2] : 0, entityClasses, classes, entityLogits,
                candidateSpans, pairs, keptLogits);
    }

    /**
     * The "none" case records no candidate count: recount it as spec §3.6 defines the span model's
     * candidates (spans inside the text whose best class probability exceeds the threshold); with no
     * adjacency layer every ordered pair of them is a pair, which the caller's pair count confirms.
     */
    public static int countSpanCandidates(SafeTensors t, int row, int words, double threshold) {
        int[] ls = t.info("logits").intShape();
        float[] logits = t.floats("logits");
        int k = ls[2], c = ls[3];
        float tau = (float) threshold;
        int count = 0;
        for (int s = 0; s < words; s++) {
            for (int w = 0; w < k && s + w < words; w++) {
                float best = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) {
                    best = Math.max(best, dev.relex.decode.Probabilities.sigmoid(logits[((row * ls[1] + s) * k + w) * c + j]));
                }
                if (best > tau) count++;
            }
        }
        int[] rs = t.info("rel_idx").intShape();
        long[] relMask = t.longs("rel_mask");
        int pairs = 0;
        for (int n = 0; n < rs[1]; n++) pairs += (int) relMask[row * rs[1] + n];
        assertEquals(count * (count - 1), pairs, "all ordered pairs of " + count + " candidates");
        return count;
    }

    /** expected.json's words (code points) as UTF-16 words of the text. */
    public static List<Word> utf16Words(PerText p) {
        Offsets o = Offsets.of(p.text());
        List<Word> words = new ArrayList<>();
        for (int i = 0; i < p.words().size(); i++) {
            words.add(new Word(p.words().get(i), o.toUtf16(p.wordStarts()[i]), o.toUtf16(p.wordEnds()[i])));
        }
        assertEquals(p.textLength(), words.size(), "text_length vs words");
        return words;
    }
}
