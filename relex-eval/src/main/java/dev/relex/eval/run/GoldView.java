package dev.relex.eval.run;

import dev.relex.Entity;
import dev.relex.ExtractionResult;
import dev.relex.Relation;
import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.eval.metrics.SpanAnnotation;
import dev.relex.eval.metrics.SpanEntity;
import dev.relex.eval.metrics.SpanRelation;
import dev.relex.eval.metrics.TextTripleMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One example as the evaluator sees it: the text the model reads ({@code String.join(" ", words)}, read
 * pre-tokenized so each word is one model word), the word offsets in that text, the gold annotation in word
 * coordinates and the gold text-level triples. Converts model results (UTF-16 offsets into the joined text)
 * back to word spans.
 */
final class GoldView {
    final Example example;
    final String text;
    /** Why the model cannot read this example's words (a word containing whitespace), or null. */
    final String problem;
    private final int[] wordStart;
    private final int[] wordEnd;
    final SpanAnnotation gold;
    final List<TextTripleMetrics.Gold> goldTriples;

    GoldView(Example example) {
        this.example = example;
        List<String> words = example.words();
        this.text = String.join(" ", words);
        String why = null;
        try {
            dev.relex.text.InputBuilder.joinWords(words);   // each word must stay one word when read pre-tokenized
        } catch (IllegalArgumentException e) {
            why = e.getMessage();
        }
        this.problem = why;
        wordStart = new int[words.size()];
        wordEnd = new int[words.size()];
        int pos = 0;
        for (int i = 0; i < words.size(); i++) {
            wordStart[i] = pos;
            pos += words.get(i).length();
            wordEnd[i] = pos;
            pos++;
        }
        List<SpanEntity> ents = new ArrayList<>();
        for (EntityMention m : example.entities()) ents.add(new SpanEntity(m.start(), m.end(), m.label()));
        List<SpanRelation> rels = new ArrayList<>();
        List<TextTripleMetrics.Gold> triples = new ArrayList<>();
        for (RelationMention r : example.relations()) {
            rels.add(new SpanRelation(ents.get(r.head()), ents.get(r.tail()), r.label()));
            triples.add(TextTripleMetrics.Gold.of(spanText(ents.get(r.head())), r.label(), spanText(ents.get(r.tail()))));
        }
        gold = new SpanAnnotation(ents, rels);
        goldTriples = triples;
    }

    String spanText(SpanEntity e) {
        return text.substring(wordStart[e.start()], wordEnd[e.end()]);
    }

    /** UTF-16 offsets in {@link #text} of words [first, last]. */
    ClassificationRun.SpanOffsets offsets(int first, int last) {
        return new ClassificationRun.SpanOffsets(wordStart[first], wordEnd[last]);
    }

    int wordCount() {
        return wordStart.length;
    }

    /** The word whose first character is at {@code start} (UTF-16 offset into {@link #text}). */
    int wordStartingAt(int start) {
        int i = Arrays.binarySearch(wordStart, start);
        if (i < 0) throw new IllegalStateException(example.id() + ": no word starts at offset " + start);
        return i;
    }

    int wordEndingAt(int end) {
        int i = Arrays.binarySearch(wordEnd, end);
        if (i < 0) throw new IllegalStateException(example.id() + ": no word ends at offset " + end);
        return i;
    }

    SpanEntity toSpan(Entity e) {
        return new SpanEntity(wordStartingAt(e.start()), wordEndingAt(e.end()), e.label());
    }

    /** The result's entities and relations with scores, in word coordinates. */
    Scored toScored(ExtractionResult r) {
        List<ScoredEntity> es = new ArrayList<>(r.entities().size());
        for (Entity e : r.entities()) es.add(new ScoredEntity(toSpan(e), e.score()));
        List<ScoredRelation> rs = new ArrayList<>(r.relations().size());
        for (Relation x : r.relations()) {
            rs.add(new ScoredRelation(new SpanRelation(es.get(x.headIndex()).span(), es.get(x.tailIndex()).span(), x.relation()),
                    x.head().text(), x.tail().text(), x.score()));
        }
        return new Scored(es, rs);
    }

    record ScoredEntity(SpanEntity span, double score) {}

    record ScoredRelation(SpanRelation relation, String headText, String tailText, double score) {}

    /** A prediction in word coordinates, with scores so that higher thresholds can be applied afterwards. */
    record Scored(List<ScoredEntity> entities, List<ScoredRelation> relations) {
        static final Scored EMPTY = new Scored(List.of(), List.of());

        SpanAnnotation annotation(double relationThreshold) {
            List<SpanEntity> es = new ArrayList<>(entities.size());
            for (ScoredEntity e : entities) es.add(e.span());
            List<SpanRelation> rs = new ArrayList<>(relations.size());
            for (ScoredRelation r : relations) if (r.score() > relationThreshold) rs.add(r.relation());
            return new SpanAnnotation(es, rs);
        }

        List<TextTripleMetrics.Predicted> triples(double relationThreshold) {
            List<TextTripleMetrics.Predicted> out = new ArrayList<>(relations.size());
            for (ScoredRelation r : relations) {
                if (r.score() > relationThreshold) {
                    out.add(new TextTripleMetrics.Predicted(r.headText(), r.relation().type(), r.tailText(), r.score()));
                }
            }
            return out;
        }
    }
}
