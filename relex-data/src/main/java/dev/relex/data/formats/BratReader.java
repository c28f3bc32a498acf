package dev.relex.data.formats;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.text.WordSplitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * brat standoff documents ({@code name.txt} + {@code name.ann}), as in WLP and the materials-syntheses corpus.
 *
 * <p>Annotations used: {@code T} text-bound entities (type, character offsets in code points, text),
 * {@code R} binary relations ({@code Arg1} = head, {@code Arg2} = tail) and {@code E} events. An event
 * {@code Action:T1 Acts-on:T42 Site:T52} becomes one relation per role argument, from the trigger to the
 * argument, labelled with the role name without its brat repetition digits ({@code Acts-on2} → {@code Acts-on}):
 * in these corpora an event is an action word with its arguments, which is exactly a set of directed
 * trigger→argument relations, and the role names (acts on, site, using, solvent material, ...) are the relation
 * types worth learning. An event or relation used as an argument stands for its trigger entity. Attributes
 * ({@code A}), notes ({@code #}) and normalisations ({@code N}) carry no spans or relations and are ignored.
 *
 * <p>Words come from GLiNER's word splitter ({@link dev.relex.text.WordSplitter}). The unit of an example is a
 * line of the text (WLP: one protocol step per line) or the whole document. A unit is reported as
 * {@link Parsed.Bad} (naming the file, the line and each problem) when one of its annotations cannot be
 * represented: an entity whose offsets do not fall on word boundaries (after trimming whitespace at its ends),
 * a discontinuous entity ({@code start end;start end}), an entity whose text differs from the text at its
 * offsets, or a relation to an entity in another unit; with {@link OnBadAnnotation#DROP_ANNOTATION} only the
 * annotation is left out (and reported as a drop of the kept unit). Record numbers are the line of the
 * {@code .txt} (line units) or 1 (document units); {@code .ann} problems carry the {@code .ann} line. An {@code .ann} line that does not parse, or that names a missing annotation, is
 * reported as a record of its own. Entities with the same span and type under two ids are one entity; repeated
 * relations are kept once.
 */
public final class BratReader extends ParsedReader {
    /** What one example holds. */
    public enum Unit { LINE, DOCUMENT }

    /** What an annotation that cannot be represented costs (it is reported either way). */
    public enum OnBadAnnotation {
        /** The whole unit is reported as bad and left out. */
        REJECT_UNIT,
        /**
         * The annotation (and every relation touching a left-out entity) is reported, one {@link Parsed.Bad} each,
         * and left out; the unit is read without it. For long units (a whole synthesis paragraph) where one
         * glued "72h" should not cost ninety good entities; the left-out entity becomes a false negative.
         */
        DROP_ANNOTATION
    }

    private final Unit unit;
    private final OnBadAnnotation onBadAnnotation;

    public BratReader(Unit unit, OnBadAnnotation onBadAnnotation) {
        this.unit = Objects.requireNonNull(unit, "unit");
        this.onBadAnnotation = Objects.requireNonNull(onBadAnnotation, "onBadAnnotation");
    }

    /**
     * Streams the examples of {@code path}, document by document: a folder (every {@code .ann} in it, sorted by
     * name), one {@code .ann} file, or a list file with one document name per line (as the materials corpus's
     * {@code ner-train-fnames.txt}), the documents being in the folder {@code data} beside the list.
     */
    @Override
    public Stream<Parsed> parse(Path path) throws IOException {
        List<Path> anns;
        if (Files.isDirectory(path)) {
            anns = annFiles(path);
        } else if (path.getFileName().toString().endsWith(".ann")) {
            anns = List.of(path);
        } else {
            Path data = path.resolveSibling("data");
            anns = Files.readAllLines(path, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty()).map(l -> data.resolve(l + ".ann")).toList();
        }
        return anns.stream().flatMap(ann -> readDocument(ann).stream());
    }

    /** The {@code .ann} files of a folder, sorted by name. */
    public static List<Path> annFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".ann")).sorted().toList();
        }
    }

    private record Entity(String id, String type, int start, int end, boolean discontinuous, String text, int annLine) {}

    private record Arc(String head, String tail, String label, String source, int annLine) {}

    /** Reads one document: its examples and its bad records. */
    public List<Parsed> readDocument(Path ann) {
        String base = ann.getFileName().toString().replaceFirst("\\.ann$", "");
        Path txt = ann.resolveSibling(base + ".txt");
        String annName = ann.toString();
        String txtName = txt.toString();
        String text;
        List<String> annLines;
        try {
            text = Files.readString(txt, StandardCharsets.UTF_8);
            annLines = Files.readAllLines(ann, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of(new Parsed.Bad(annName, 1, "cannot read the document " + ann + " / " + txt + ": " + e));
        }
        List<Parsed> out = new ArrayList<>();
        int[] cpToUtf16 = TextWords.utf16Offsets(text);
        int cpLength = text.codePointCount(0, text.length());

        Map<String, Entity> entities = new LinkedHashMap<>();
        Map<String, String> eventTrigger = new HashMap<>();
        List<Arc> arcs = new ArrayList<>();
        for (int ln = 1; ln <= annLines.size(); ln++) {
            String line = annLines.get(ln - 1);
            if (line.isBlank()) continue;
            String[] cols = line.split("\t", -1);
            String id = cols[0];
            try {
                switch (id.isEmpty() ? ' ' : id.charAt(0)) {
                    case 'T' -> {
                        if (cols.length < 3) throw new MalformedRecordException("entity line needs 3 tab-separated fields");
                        int sp = cols[1].indexOf(' ');
                        if (sp <= 0) throw new MalformedRecordException("entity line has no offsets");
                        String type = cols[1].substring(0, sp);
                        String[] frags = cols[1].substring(sp + 1).split(";");
                        int start = Integer.MAX_VALUE, end = -1;
                        for (String f : frags) {
                            String[] se = f.trim().split(" ");
                            if (se.length != 2) throw new MalformedRecordException("bad offsets '" + f + "'");
                            int s = Integer.parseInt(se[0]), e = Integer.parseInt(se[1]);
                            if (s < 0 || e < s || e > cpLength) {
                                throw new MalformedRecordException("offsets " + s + " " + e + " outside the text (" + cpLength + " characters)");
                            }
                            start = Math.min(start, s);
                            end = Math.max(end, e);
                        }
                        if (cpToUtf16 != null) {
                            start = cpToUtf16[start];
                            end = cpToUtf16[end];
                        }
                        entities.put(id, new Entity(id, type, start, end, frags.length > 1, cols[2], ln));
                    }
                    case 'R' -> {
                        String[] p = cols.length > 1 ? cols[1].trim().split(" ") : new String[0];
                        if (p.length != 3 || !p[1].startsWith("Arg1:") || !p[2].startsWith("Arg2:")) {
                            throw new MalformedRecordException("relation line is not 'Type Arg1:X Arg2:Y'");
                        }
                        arcs.add(new Arc(p[1].substring(5), p[2].substring(5), p[0], id, ln));
                    }
                    case 'E' -> {
                        String[] p = cols.length > 1 ? cols[1].trim().split(" ") : new String[0];
                        if (p.length == 0 || p[0].indexOf(':') <= 0) throw new MalformedRecordException("event line has no trigger");
                        String trigger = p[0].substring(p[0].indexOf(':') + 1);
                        eventTrigger.put(id, trigger);
                        for (int k = 1; k < p.length; k++) {
                            int colon = p[k].indexOf(':');
                            if (colon <= 0) throw new MalformedRecordException("event argument '" + p[k] + "' is not Role:Id");
                            String role = p[k].substring(0, colon).replaceFirst("\\d+$", "");
                            arcs.add(new Arc(id, p[k].substring(colon + 1), role, id, ln));
                        }
                    }
                    case 'A', '#', 'N', 'M' -> { /* attributes, notes, normalisations: no spans or relations */ }
                    default -> throw new MalformedRecordException("not a brat annotation line");
                }
            } catch (MalformedRecordException | NumberFormatException e) {
                out.add(new Parsed.Bad(annName, ln, e.getMessage() + ": '" + line + "'"));
            }
        }

        // Units: lines or the whole text, as [start, end) UTF-16 ranges.
        List<int[]> units = new ArrayList<>();
        if (unit == Unit.DOCUMENT) {
            units.add(new int[]{0, text.length()});
        } else {
            int s = 0;
            for (int i = 0; i <= text.length(); i++) {
                if (i == text.length() || text.charAt(i) == '\n') {
                    units.add(new int[]{s, i});
                    s = i + 1;
                }
            }
        }
        List<List<Parsed.Note>> problems = new ArrayList<>();
        List<TextWords> unitWords = new ArrayList<>();
        for (int[] u : units) {
            problems.add(new ArrayList<>());
            unitWords.add(new TextWords(text.substring(u[0], u[1])));
        }
        // Entities into units; leading/trailing whitespace of a span is trimmed (brat selections often take a
        // trailing no-break space along; it is not part of any word).
        Map<String, Integer> entityUnit = new HashMap<>();
        Map<String, int[]> entityWords = new HashMap<>();
        for (Entity e : entities.values()) {
            int u = findUnit(units, e.start);
            entityUnit.put(e.id, u);
            int[] r = units.get(u);
            String at = text.substring(e.start, e.end);
            String label = "entity " + e.id + " " + e.type + " '" + e.text + "' (.ann line " + e.annLine + ")";
            int s = e.start, t = e.end;
            while (s < t && WordSplitter.isWhitespace(text.charAt(s))) s++;
            while (t > s && WordSplitter.isWhitespace(text.charAt(t - 1))) t--;
            String reason = null, detail = null;
            if (e.discontinuous) {
                reason = "discontinuous entity";
                detail = label + " is discontinuous";
            } else if (!at.equals(e.text)) {
                reason = "entity text differs from the text at its offsets";
                detail = label + " does not match the text at its offsets: '" + at + "'";
            } else if (s == t) {
                reason = "entity holds no word";
                detail = label + " holds no word";
            } else if (t > r[1]) {
                reason = "entity runs past the end of its line";
                detail = label + " runs past the end of its line";
            } else {
                int[] span = unitWords.get(u).span(s - r[0], t - r[0]);
                if (span == null) {
                    String context = text.substring(Math.max(r[0], s - 10), s) + "[" + text.substring(s, t) + "]"
                            + text.substring(t, Math.min(r[1], t + 10));
                    reason = "entity not on word boundaries";
                    detail = label + " at " + e.start + "-" + e.end + " does not fall on word boundaries: '"
                            + context.replace('\n', ' ') + "'";
                } else {
                    entityWords.put(e.id, span);
                }
            }
            if (reason != null) problems.get(u).add(new Parsed.Note(Parsed.NoteKind.ENTITY_DROPPED, reason, detail));
        }
        // Relations into units (by the head's unit).
        List<List<Arc>> unitArcs = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) unitArcs.add(new ArrayList<>());
        for (Arc a : arcs) {
            String h = resolve(a.head, eventTrigger), t = resolve(a.tail, eventTrigger);
            if (!entities.containsKey(h) || !entities.containsKey(t)) {
                out.add(new Parsed.Bad(annName, a.annLine, a.source + " " + a.label + " names a missing annotation ("
                        + a.head + " -> " + a.tail + ")"));
                continue;
            }
            int uh = entityUnit.get(h), ut = entityUnit.get(t);
            String label = a.source + " " + a.label + " (" + h + " -> " + t + ", .ann line " + a.annLine + ")";
            if (uh != ut) {
                problems.get(uh).add(new Parsed.Note(Parsed.NoteKind.RELATION_DROPPED, "relation across lines",
                        label + " crosses from " + unitName(uh) + " to " + unitName(ut)));
                continue;
            }
            if (!entityWords.containsKey(h) || !entityWords.containsKey(t)) {
                problems.get(uh).add(new Parsed.Note(Parsed.NoteKind.RELATION_DROPPED, "argument dropped",
                        label + " left out with its entity"));
                continue;
            }
            unitArcs.get(uh).add(new Arc(h, t, a.label, a.source, a.annLine));
        }
        // Examples.
        for (int u = 0; u < units.size(); u++) {
            TextWords tw = unitWords.get(u);
            long record = unit == Unit.LINE ? u + 1 : 1;
            List<Parsed.Note> notes = problems.get(u);
            if (!notes.isEmpty() && onBadAnnotation == OnBadAnnotation.REJECT_UNIT) {
                StringBuilder msg = new StringBuilder();
                for (Parsed.Note n : notes) {
                    if (n.reason().equals("argument dropped")) continue; // follows from its entity's problem
                    if (!msg.isEmpty()) msg.append("; ");
                    msg.append(n.detail());
                }
                out.add(new Parsed.Bad(txtName, record, msg.toString()));
                continue;
            }
            if (tw.words.isEmpty()) continue;
            List<Entity> mine = new ArrayList<>();
            for (Entity e : entities.values()) if (entityUnit.get(e.id) == u && entityWords.containsKey(e.id)) mine.add(e);
            mine.sort(Comparator.comparingInt((Entity e) -> entityWords.get(e.id)[0])
                    .thenComparingInt(e -> entityWords.get(e.id)[1]).thenComparing(Entity::type));
            List<EntityMention> mentions = new ArrayList<>();
            Map<String, Integer> index = new HashMap<>();
            Map<EntityMention, Integer> seen = new HashMap<>();
            for (Entity e : mine) {
                int[] w = entityWords.get(e.id);
                EntityMention m = new EntityMention(w[0], w[1], e.type);
                Integer known = seen.get(m);
                if (known == null) {
                    known = mentions.size();
                    mentions.add(m);
                    seen.put(m, known);
                }
                index.put(e.id, known);
            }
            Set<RelationMention> relations = new LinkedHashSet<>();
            for (Arc a : unitArcs.get(u)) relations.add(new RelationMention(index.get(a.head), index.get(a.tail), a.label));
            String id = txtName + (unit == Unit.LINE ? ":" + record : "");
            out.add(new Parsed.Ok(txtName, record, new Example(id, tw.texts(), mentions, new ArrayList<>(relations)), notes));
        }
        return out;
    }

    private String unitName(int u) {
        return unit == Unit.LINE ? "line " + (u + 1) : "the document";
    }

    private static String resolve(String id, Map<String, String> eventTrigger) {
        String t = eventTrigger.get(id);
        return t == null ? id : t;
    }

    private static int findUnit(List<int[]> units, int offset) {
        int lo = 0, hi = units.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (units.get(mid)[0] <= offset) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
