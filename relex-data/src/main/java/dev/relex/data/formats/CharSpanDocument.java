package dev.relex.data.formats;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.text.WordSplitter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One text with entities given by character offsets (UTF-16, end exclusive) and relations between them by key,
 * turned into a word-level {@link Example}: words by GLiNER's word splitter, each entity's span trimmed of
 * surrounding whitespace and mapped to the words it covers. An entity that cannot be represented (its offsets
 * fall inside a word or outside the text, or its text differs from the text at its offsets) is a problem; so is
 * a relation naming an unknown or unrepresentable entity. Under {@link BratReader.OnBadAnnotation#REJECT_UNIT}
 * any problem makes the record {@link Parsed.Bad}; under {@link BratReader.OnBadAnnotation#DROP_ANNOTATION} the
 * annotation is left out and noted on the good record. Entities with the same span and label are one entity;
 * repeated relations are kept once. Entities are ordered by span.
 */
final class CharSpanDocument {
    private final String text;
    private final TextWords words;
    private final Map<String, int[]> entityWords = new LinkedHashMap<>();
    private final Map<String, String> entityLabel = new HashMap<>();
    private final Set<String> badEntities = new java.util.HashSet<>();
    private final List<String[]> relations = new ArrayList<>();
    private final List<Parsed.Note> problems = new ArrayList<>();

    CharSpanDocument(String text) {
        this.text = Objects.requireNonNull(text, "text");
        this.words = new TextWords(text);
    }

    /**
     * Adds an entity over characters [start, end).
     *
     * @param expected the annotation's own copy of the entity text, checked against the text; null = not checked
     * @param what     names the annotation in messages
     * @return whether it could be placed on words
     */
    boolean entity(String key, int start, int end, String label, String expected, String what) {
        String reason = null, detail = null;
        if (start < 0 || end > text.length() || end <= start) {
            reason = "entity offsets outside the text";
            detail = what + " [" + start + ", " + end + ") is not a range of the " + text.length() + "-character text";
        } else if (expected != null && !text.substring(start, end).equals(expected)) {
            reason = "entity text differs from the text at its offsets";
            detail = what + " '" + expected + "' differs from the text at its offsets: '" + text.substring(start, end) + "'";
        } else {
            int s = start, t = end;
            while (s < t && WordSplitter.isWhitespace(text.charAt(s))) s++;
            while (t > s && WordSplitter.isWhitespace(text.charAt(t - 1))) t--;
            int[] span = s == t ? null : words.span(s, t);
            if (span == null) {
                reason = "entity not on word boundaries";
                String context = text.substring(Math.max(0, s - 10), s) + "[" + text.substring(s, t) + "]"
                        + text.substring(t, Math.min(text.length(), t + 10));
                detail = what + " at " + start + "-" + end + " does not fall on word boundaries: '"
                        + context.replace('\n', ' ') + "'";
            } else {
                entityWords.put(key, span);
                entityLabel.put(key, label);
                return true;
            }
        }
        badEntities.add(key);
        problems.add(new Parsed.Note(Parsed.NoteKind.ENTITY_DROPPED, reason, detail));
        return false;
    }

    /** An entity the caller cannot place (e.g. a discontinuous one): noted, and its relations dropped with it. */
    void badEntity(String key, String reason, String detail) {
        badEntities.add(key);
        problems.add(new Parsed.Note(Parsed.NoteKind.ENTITY_DROPPED, reason, detail));
    }

    /** Notes a problem found by the caller against this record. */
    void problem(Parsed.NoteKind kind, String reason, String detail) {
        problems.add(new Parsed.Note(kind, reason, detail));
    }

    /** Adds a relation between two entity keys. */
    void relation(String head, String tail, String label, String what) {
        relations.add(new String[]{head, tail, label, what});
    }

    Parsed toParsed(String file, long record, String id, BratReader.OnBadAnnotation policy) {
        List<Parsed.Note> notes = new ArrayList<>(problems);
        List<String[]> kept = new ArrayList<>();
        for (String[] r : relations) {
            boolean headOk = entityWords.containsKey(r[0]), tailOk = entityWords.containsKey(r[1]);
            if (headOk && tailOk) {
                kept.add(r);
            } else if ((!headOk && !badEntities.contains(r[0])) || (!tailOk && !badEntities.contains(r[1]))) {
                notes.add(new Parsed.Note(Parsed.NoteKind.RELATION_DROPPED, "relation names a missing entity",
                        r[3] + " names an entity that is not annotated (" + r[0] + " -> " + r[1] + ")"));
            } else {
                notes.add(new Parsed.Note(Parsed.NoteKind.RELATION_DROPPED, "argument dropped", r[3] + " left out with its entity"));
            }
        }
        if (!notes.isEmpty() && policy == BratReader.OnBadAnnotation.REJECT_UNIT) {
            StringBuilder msg = new StringBuilder();
            for (Parsed.Note n : notes) {
                if (n.reason().equals("argument dropped")) continue;
                if (!msg.isEmpty()) msg.append("; ");
                msg.append(n.detail());
            }
            return new Parsed.Bad(file, record, msg.toString());
        }
        if (words.words.isEmpty()) return new Parsed.Bad(file, record, "the text has no words");
        List<String> keys = new ArrayList<>(entityWords.keySet());
        keys.sort(Comparator.comparingInt((String k) -> entityWords.get(k)[0]).thenComparingInt(k -> entityWords.get(k)[1])
                .thenComparing(entityLabel::get));
        List<EntityMention> mentions = new ArrayList<>();
        Map<EntityMention, Integer> seen = new HashMap<>();
        Map<String, Integer> index = new HashMap<>();
        for (String k : keys) {
            int[] w = entityWords.get(k);
            EntityMention m = new EntityMention(w[0], w[1], entityLabel.get(k));
            Integer i = seen.get(m);
            if (i == null) {
                i = mentions.size();
                mentions.add(m);
                seen.put(m, i);
            }
            index.put(k, i);
        }
        Set<RelationMention> rels = new LinkedHashSet<>();
        for (String[] r : kept) rels.add(new RelationMention(index.get(r[0]), index.get(r[1]), r[2]));
        return new Parsed.Ok(file, record, new Example(id, words.texts(), mentions, new ArrayList<>(rels)), notes);
    }
}
