package dev.relex.data.formats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * PubTator documents with relations, as BioRED: {@code PMID|t|title}, {@code PMID|a|abstract}, mention lines
 * {@code PMID<TAB>start<TAB>end<TAB>text<TAB>type<TAB>ids} (character offsets over title + " " + abstract; ids
 * comma-separated concept ids) and relation lines {@code PMID<TAB>type<TAB>id1<TAB>id2<TAB>novelty}, a blank line
 * between documents. One example per document (title and abstract); the record number is the line of its
 * {@code |t|} line.
 *
 * <p>BioRED's relations hold between concepts, not mentions. A concept relation becomes a relation from every
 * mention of id1 to every mention of id2 (as the DocRED reader does with entity clusters), so the model sees the
 * relation wherever both concepts are named; id1 is the head (BioRED relations are mostly symmetric). A
 * relation naming a concept without a mention, and mentions off GLiNER's word boundaries with their relations,
 * are dropped and noted. Streams document by document.
 */
public final class PubTatorReader extends ParsedReader {

    @Override
    public Stream<Parsed> parse(Path file) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        String name = file.toString();
        Iterator<Parsed> it = new Iterator<>() {
            int line;
            Parsed next;
            boolean eof;
            String pending;

            private String read() throws IOException {
                if (pending != null) {
                    String p = pending;
                    pending = null;
                    return p;
                }
                String l = in.readLine();
                if (l != null) line++;
                return l;
            }

            @Override
            public boolean hasNext() {
                if (next != null || eof) return next != null;
                try {
                    List<String> block = new ArrayList<>();
                    int first = -1;
                    String l;
                    while ((l = read()) != null) {
                        if (l.isBlank()) {
                            if (!block.isEmpty()) break;
                            continue;
                        }
                        if (block.isEmpty()) first = line;
                        block.add(l);
                    }
                    if (block.isEmpty()) {
                        eof = true;
                        return false;
                    }
                    next = convert(name, first, block);
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Parsed next() {
                if (!hasNext()) throw new NoSuchElementException();
                Parsed p = next;
                next = null;
                return p;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        in.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    static Parsed convert(String file, int firstLine, List<String> block) {
        if (block.size() < 2 || !block.get(0).contains("|t|") || !block.get(1).contains("|a|")) {
            return new Parsed.Bad(file, firstLine, "a document must start with PMID|t|title and PMID|a|abstract lines");
        }
        String pmid = block.get(0).substring(0, block.get(0).indexOf("|t|"));
        String title = block.get(0).substring(block.get(0).indexOf("|t|") + 3);
        String abstractText = block.get(1).substring(block.get(1).indexOf("|a|") + 3);
        CharSpanDocument doc = new CharSpanDocument(title + " " + abstractText);
        Map<String, List<String>> mentionsOf = new LinkedHashMap<>();
        List<String[]> relations = new ArrayList<>();
        for (int i = 2; i < block.size(); i++) {
            String[] f = block.get(i).split("\t", -1);
            int ln = firstLine + i;
            if (!f[0].equals(pmid)) return new Parsed.Bad(file, firstLine, "line " + ln + " belongs to PMID " + f[0] + ", not " + pmid);
            if (f.length == 6) {
                String key = "m" + ln;
                try {
                    doc.entity(key, Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[4], f[3],
                            "mention '" + f[3] + "' " + f[4] + " (line " + ln + ")");
                } catch (NumberFormatException e) {
                    return new Parsed.Bad(file, firstLine, "line " + ln + ": offsets '" + f[1] + "', '" + f[2] + "' are not numbers");
                }
                for (String id : f[5].split(",")) {
                    if (!id.isBlank()) mentionsOf.computeIfAbsent(id.strip(), k -> new ArrayList<>()).add(key);
                }
            } else if (f.length == 5) {
                relations.add(new String[]{f[1], f[2], f[3], String.valueOf(ln)});
            } else {
                return new Parsed.Bad(file, firstLine, "line " + ln + " has " + f.length + " fields (expected 6 for a mention, 5 for a relation)");
            }
        }
        for (String[] r : relations) {
            List<String> heads = mentionsOf.get(r[1]), tails = mentionsOf.get(r[2]);
            String what = "relation " + r[0] + " " + r[1] + " -> " + r[2] + " (line " + r[3] + ")";
            if (heads == null || tails == null) {
                doc.problem(Parsed.NoteKind.RELATION_DROPPED, "relation names a concept without a mention",
                        what + ": " + (heads == null ? r[1] : r[2]) + " has no mention");
                continue;
            }
            for (String h : heads) for (String t : tails) if (!h.equals(t)) doc.relation(h, t, r[0], what);
        }
        return doc.toParsed(file, firstLine, file + ":" + firstLine + " (PMID " + pmid + ")", BratReader.OnBadAnnotation.DROP_ANNOTATION);
    }
}
