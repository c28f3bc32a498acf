package dev.relex.data.formats;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.text.WordSplitter;

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
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Token-per-line NER files ("CoNLL columns"): one word per line, its tag in the last column, a blank line
 * between sentences; {@code -DOCSTART-} lines also end a sentence and are skipped. Columns are separated by
 * runs of whitespace in Python's {@code str.isspace} sense (so a no-break space separates, as in the
 * dataset authors' own counts). One sentence = one record = one {@link Example} (entities only).
 *
 * <p>A line with the wrong number of columns or a tag the scheme does not know makes its sentence a
 * {@link Parsed.Bad} naming the file and line; reading goes on with the next sentence. A line holding only
 * the tag {@code O} is a whitespace token (the word itself was a space-like character that the columns
 * cannot hold, as in DNRTI and BTC): GLiNER's word splitter would never produce it as a word, so it is left
 * out and reported as an adjustment of its sentence; a one-column line with any other content is an error.
 * Example ids are {@code file:line} of the sentence's first line; the record number is that line.
 *
 * <p>Streams: holds one sentence at a time. The stream must be closed (it closes the file).
 */
public final class TagColumnReader extends ParsedReader {
    private final TagScheme scheme;
    private final int columns;

    /**
     * @param scheme  the tag scheme of the file
     * @param columns the number of columns of a well-formed line (2 for {@code token tag}; 4 for AnEM's
     *                {@code token start end tag} and the SEC filings' {@code token POS chunk tag})
     */
    public TagColumnReader(TagScheme scheme, int columns) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        if (columns < 2) throw new IllegalArgumentException("a tag column file needs at least 2 columns, not " + columns);
        this.columns = columns;
    }

    public TagScheme scheme() {
        return scheme;
    }

    /** Streams the sentences of {@code file}. */
    @Override
    public Stream<Parsed> parse(Path file) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        Iterator<Parsed> it = new Sentences(in, file);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        in.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Splits a line at runs of Python whitespace. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>(4);
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && WordSplitter.isWhitespace(line.codePointAt(i))) i += Character.charCount(line.codePointAt(i));
            if (i >= n) break;
            int start = i;
            while (i < n && !WordSplitter.isWhitespace(line.codePointAt(i))) i += Character.charCount(line.codePointAt(i));
            out.add(line.substring(start, i));
        }
        return out;
    }

    private final class Sentences implements Iterator<Parsed> {
        private final BufferedReader in;
        private final Path file;
        private final String name;
        private int lineNumber;
        private Parsed next;
        private boolean eof;

        Sentences(BufferedReader in, Path file) {
            this.in = in;
            this.file = file;
            this.name = file.toString();
        }

        @Override
        public boolean hasNext() {
            if (next == null && !eof) next = readSentence();
            return next != null;
        }

        @Override
        public Parsed next() {
            if (!hasNext()) throw new NoSuchElementException();
            Parsed p = next;
            next = null;
            return p;
        }

        private Parsed readSentence() {
            List<String> words = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            int firstLine = -1;
            String problem = null;
            List<Parsed.Note> notes = new ArrayList<>();
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    lineNumber++;
                    List<String> f = fields(line);
                    boolean separator = f.isEmpty() || f.get(0).equals("-DOCSTART-");
                    if (separator) {
                        if (firstLine >= 0) break;
                        continue;
                    }
                    if (firstLine < 0) firstLine = lineNumber;
                    if (problem != null) continue;
                    if (f.size() == 1 && f.get(0).equals(TagScheme.OUTSIDE)) {
                        notes.add(new Parsed.Note(Parsed.NoteKind.ADJUSTED, "whitespace-only token line left out",
                                "line " + lineNumber + " holds only the tag O"));
                    } else if (f.size() != columns) {
                        problem = "line " + lineNumber + " has " + f.size() + " columns, expected " + columns + ": '" + line + "'";
                    } else {
                        words.add(f.get(0));
                        tags.add(f.get(columns - 1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file + " at line " + lineNumber, e);
            }
            if (firstLine < 0) {
                eof = true;
                return null;
            }
            String id = name + ":" + firstLine;
            if (problem != null) return new Parsed.Bad(name, firstLine, problem);
            if (words.isEmpty()) return new Parsed.Bad(name, firstLine, "sentence has no words");
            try {
                List<EntityMention> entities = new ArrayList<>();
                for (TaggedSpan s : scheme.decode(tags)) entities.add(new EntityMention(s.start(), s.end(), s.label()));
                return new Parsed.Ok(name, firstLine, new Example(id, words, entities, List.of()), notes);
            } catch (MalformedRecordException e) {
                return new Parsed.Bad(name, firstLine, e.getMessage());
            }
        }
    }
}
