package dev.relex.cli;

import dev.relex.Entity;
import dev.relex.ExtractionRequest;
import dev.relex.ExtractionResult;
import dev.relex.OffsetUnit;
import dev.relex.Relation;
import dev.relex.Truncation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Test double for the model. Rule (easy to predict by hand): every whitespace-separated word that
 * starts with an upper-case letter is an entity with the first entity label, score 0.9; if there is a
 * relation label, consecutive entities (i, i+1) are related by the first relation label, score 0.8.
 * Offsets honour the requested unit. A text containing "BOOM" throws IllegalArgumentException; a text
 * longer than {@link #MAX_WORDS} words reports a truncation. Records every request it receives.
 */
final class FakeExtractor implements Extractor {
    static final int MAX_WORDS = 8;

    final List<ExtractionRequest> received = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    volatile boolean closed;

    @Override
    public List<ExtractionResult> extractBatch(List<ExtractionRequest> requests) {
        batchSizes.add(requests.size());
        List<ExtractionResult> out = new ArrayList<>();
        for (ExtractionRequest r : requests) {
            if (r.text().contains("BOOM")) throw new IllegalArgumentException("fake model cannot handle BOOM");
            out.add(compute(r));
        }
        received.addAll(requests);
        return out;
    }

    static ExtractionResult compute(ExtractionRequest r) {
        String text = r.text();
        boolean cp = r.options().offsetUnit() == OffsetUnit.CODE_POINTS;
        List<Entity> entities = new ArrayList<>();
        int words = 0;
        int processedEnd = 0;
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
            if (i >= text.length()) break;
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) i++;
            words++;
            if (words > MAX_WORDS) continue;
            processedEnd = i;
            if (Character.isUpperCase(text.codePointAt(start))) {
                int s = cp ? text.codePointCount(0, start) : start;
                int e = cp ? text.codePointCount(0, i) : i;
                entities.add(new Entity(s, e, text.substring(start, i), r.entityLabels().get(0), 0.9));
            }
        }
        List<Relation> relations = new ArrayList<>();
        if (!r.relationLabels().isEmpty()) {
            for (int k = 0; k + 1 < entities.size(); k++) {
                relations.add(new Relation(entities.get(k), k, r.relationLabels().get(0), entities.get(k + 1), k + 1, 0.8));
            }
        }
        Truncation t = null;
        if (words > MAX_WORDS) {
            t = new Truncation(words, MAX_WORDS, cp ? text.codePointCount(0, processedEnd) : processedEnd);
        }
        return new ExtractionResult(text, entities, relations, t);
    }

    @Override
    public void close() {
        closed = true;
    }
}
