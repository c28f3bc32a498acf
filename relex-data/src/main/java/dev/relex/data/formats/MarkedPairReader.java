package dev.relex.data.formats;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Relation classification in the SemEval-2010 Task 8 text format, also used by KBP37:
 * <pre>
 * 1	"The ... arrayed &lt;e1&gt;configuration&lt;/e1&gt; of antenna &lt;e2&gt;elements&lt;/e2&gt;."
 * Component-Whole(e2,e1)
 * Comment: ...
 * </pre>
 * One example per sentence: the markers are removed, the text is split into words by GLiNER's word splitter,
 * the two marked arguments become the two entities (in text order) and the label one relation, directed as the
 * label says: {@code Component-Whole(e2,e1)} has head e2 and tail e1. {@code Other} / {@code no_relation} give
 * the two entities and no relation (a negative for relation training).
 *
 * <p>Entity labels (dataset terms, mapped by the label mapping): SemEval's arguments are untyped nominals,
 * labelled {@code entity}. KBP37's subject type is the label's prefix ({@code per} / {@code org}, the subject
 * being the relation's head) and its object is labelled {@code <relation>:object} (e.g.
 * {@code per:city_of_birth:object}), which the mapping names (city, organization, date, ...); arguments of
 * {@code no_relation} are {@code entity}.
 *
 * <p>A record whose markers are missing, repeated or do not fall on word boundaries, or whose label line is
 * malformed, is reported with the line of its id. KBP37 sentences that also occur in held-out evaluation sets
 * (the datasets README's overlap note: one FewRel val sentence and one CrossRE test sentence in train, one
 * DocRED dev sentence in test) are left out as {@link Parsed.Excluded}. Streams.
 */
public final class MarkedPairReader extends ParsedReader {

    /** The two datasets of this format. */
    public enum Dialect { SEMEVAL2010, KBP37 }

    /**
     * The KBP37 sentences that overlap held-out evaluation sets, normalised as in the datasets README (lower
     * case, letters and digits only): train ids 602 and 1322, test id 21000.
     */
    static final Set<String> KBP37_HELD_OUT_OVERLAP = Set.of(
            "in1991abnandamrobankagreedtomergetocreateabnamro",
            "theleftwingfatherlandforallspanishpatriaparatodosorpptmovementforsocialismspanishmovimientoalsocialismo"
                    + "ormasradicalcausespanishcausarandforsocialdemocracyspanishporlademocraciasocialinitiallysupported"
                    + "chavismobuttheyhavesincedistancedthemselvesfromitandnowopposeit",
            "squareenixisajapanesevideogamedevelopmentandpublishingcompanyformedfromthemergeronapril12003ofvideogame"
                    + "developersquareandpublisherenix");

    private static final Pattern ID_LINE = Pattern.compile("^(\\d+)\\t\\s*\"(.*)\"\\s*$");
    private static final Pattern LABEL = Pattern.compile("^(.+)\\((e[12]),(e[12])\\)$");

    private final Dialect dialect;

    public MarkedPairReader(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    @Override
    public Stream<Parsed> parse(Path file) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        Iterator<Parsed> it = new Records(in, file.toString());
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        in.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Lower case, letters and digits only (the README's overlap check). */
    static String normalise(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().filter(Character::isLetterOrDigit)
                .forEach(cp -> sb.appendCodePoint(Character.toLowerCase(cp)));
        return sb.toString();
    }

    private final class Records implements Iterator<Parsed> {
        private final BufferedReader in;
        private final String file;
        private int lineNumber;
        private Parsed next;
        private boolean eof;

        Records(BufferedReader in, String file) {
            this.in = in;
            this.file = file;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !eof) next = readRecord();
            return next != null;
        }

        @Override
        public Parsed next() {
            if (!hasNext()) throw new NoSuchElementException();
            Parsed p = next;
            next = null;
            return p;
        }

        private String nextContentLine() throws IOException {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (!line.isBlank() && !line.startsWith("Comment:")) return line;
            }
            return null;
        }

        private Parsed readRecord() {
            try {
                String idLine = nextContentLine();
                if (idLine == null) {
                    eof = true;
                    return null;
                }
                int recordLine = lineNumber;
                Matcher m = ID_LINE.matcher(idLine);
                if (!m.matches()) {
                    return new Parsed.Bad(file, recordLine, "expected 'id<TAB>\"sentence\"', found '" + idLine + "'");
                }
                String labelLine = nextContentLine();
                if (labelLine == null) return new Parsed.Bad(file, recordLine, "the file ends before the record's label");
                if (ID_LINE.matcher(labelLine).matches()) {
                    return new Parsed.Bad(file, recordLine, "record has no label line (line " + lineNumber + " starts the next record)");
                }
                return convert(m.group(1), m.group(2), labelLine.strip(), recordLine);
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file + " at line " + lineNumber, e);
            }
        }

        private Parsed convert(String id, String marked, String label, int recordLine) {
            // Remove the four markers, remembering where each argument starts and ends in the clean text.
            StringBuilder clean = new StringBuilder(marked.length());
            int[] start = {-1, -1}, end = {-1, -1};
            int i = 0;
            while (i < marked.length()) {
                if (marked.startsWith("<e1>", i) || marked.startsWith("<e2>", i)) {
                    int k = marked.charAt(i + 2) - '1';
                    if (start[k] >= 0) return new Parsed.Bad(file, recordLine, "marker <e" + (k + 1) + "> appears twice");
                    start[k] = clean.length();
                    i += 4;
                } else if (marked.startsWith("</e1>", i) || marked.startsWith("</e2>", i)) {
                    int k = marked.charAt(i + 3) - '1';
                    if (end[k] >= 0 || start[k] < 0) return new Parsed.Bad(file, recordLine, "marker </e" + (k + 1) + "> out of place");
                    end[k] = clean.length();
                    i += 5;
                } else {
                    clean.append(marked.charAt(i++));
                }
            }
            for (int k = 0; k < 2; k++) {
                if (start[k] < 0 || end[k] < 0) return new Parsed.Bad(file, recordLine, "argument e" + (k + 1) + " is not marked");
            }
            String text = clean.toString();
            if (dialect == Dialect.KBP37 && KBP37_HELD_OUT_OVERLAP.contains(normalise(text))) {
                return new Parsed.Excluded(file, recordLine, "sentence also in a held-out evaluation set (datasets README overlap note)");
            }
            // Relation and argument labels.
            String relation = null;
            int head = -1, tail = -1;
            if (!label.equals("Other") && !label.equals("no_relation")) {
                Matcher lm = LABEL.matcher(label);
                if (!lm.matches() || lm.group(2).equals(lm.group(3))) {
                    return new Parsed.Bad(file, recordLine, "label '" + label + "' is not Relation(e1,e2), Relation(e2,e1), Other or no_relation");
                }
                relation = lm.group(1);
                head = lm.group(2).charAt(1) - '1';
                tail = lm.group(3).charAt(1) - '1';
            }
            String[] argLabel = {"entity", "entity"};
            if (dialect == Dialect.KBP37 && relation != null) {
                int colon = relation.indexOf(':');
                if (colon <= 0) return new Parsed.Bad(file, recordLine, "KBP37 relation '" + relation + "' has no per:/org: prefix");
                argLabel[head] = relation.substring(0, colon);
                argLabel[tail] = relation + ":object";
            }
            // Words and argument spans.
            TextWords words = new TextWords(text);
            int[][] spans = new int[2][];
            for (int k = 0; k < 2; k++) {
                int s = start[k], t = end[k];
                while (s < t && dev.relex.text.WordSplitter.isWhitespace(text.charAt(s))) s++;
                while (t > s && dev.relex.text.WordSplitter.isWhitespace(text.charAt(t - 1))) t--;
                if (s == t) return new Parsed.Bad(file, recordLine, "argument e" + (k + 1) + " is empty");
                spans[k] = words.span(s, t);
                if (spans[k] == null) {
                    return new Parsed.Bad(file, recordLine, "argument e" + (k + 1) + " '" + text.substring(start[k], end[k])
                            + "' does not fall on word boundaries");
                }
            }
            boolean e1First = spans[0][0] <= spans[1][0];
            int idx1 = e1First ? 0 : 1, idx2 = e1First ? 1 : 0;
            List<EntityMention> entities = new ArrayList<>(2);
            entities.add(null);
            entities.add(null);
            entities.set(idx1, new EntityMention(spans[0][0], spans[0][1], argLabel[0]));
            entities.set(idx2, new EntityMention(spans[1][0], spans[1][1], argLabel[1]));
            List<RelationMention> relations = relation == null ? List.of()
                    : List.of(new RelationMention(head == 0 ? idx1 : idx2, tail == 0 ? idx1 : idx2, relation));
            String exampleId = file + ":" + recordLine + " (id " + id + ")";
            return new Parsed.Ok(file, recordLine, new Example(exampleId, words.texts(), entities, relations));
        }
    }

}
