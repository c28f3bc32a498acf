package dev.relex.data.formats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The official DrugProt TSVs: {@code *_abstracs.tsv} ({@code PMID<TAB>title<TAB>abstract}; the file given to
 * the reader), with {@code *_entities.tsv} ({@code PMID<TAB>Tn<TAB>CHEMICAL|GENE<TAB>start<TAB>end<TAB>text},
 * offsets over title + TAB + abstract) and {@code *_relations.tsv} ({@code PMID<TAB>TYPE<TAB>Arg1:Tn<TAB>Arg2:Tm})
 * found beside it (same name with {@code entities} / {@code relations} instead of {@code abstracs}). One example
 * per abstract (title and abstract, about 250 words); Arg1 (the chemical) is the head. Annotations off the word
 * boundaries are dropped and noted. The companion files are read into memory (a few MB); abstracts stream.
 */
public final class DrugProtReader extends ParsedReader {

    @Override
    public Stream<Parsed> parse(Path abstracts) throws IOException {
        String name = abstracts.getFileName().toString();
        if (!name.contains("abstracs")) {
            throw new IOException(abstracts + ": expected the DrugProt abstracts file (*_abstracs.tsv)");
        }
        Path entitiesFile = abstracts.resolveSibling(name.replace("abstracs", "entities"));
        Path relationsFile = abstracts.resolveSibling(name.replace("abstracs", "relations"));
        Map<String, List<String[]>> entities = byPmid(entitiesFile, 6);
        Map<String, List<String[]>> relations = byPmid(relationsFile, 4);
        List<Parsed> problems = new ArrayList<>();
        collectShortLines(entitiesFile, 6, problems);
        collectShortLines(relationsFile, 4, problems);
        String file = abstracts.toString();
        int[] line = {0};
        Stream<String> lines = Files.lines(abstracts, StandardCharsets.UTF_8);
        return Stream.concat(problems.stream(), lines.map(l -> {
            line[0]++;
            String[] f = l.split("\t", -1);
            if (f.length != 3) return new Parsed.Bad(file, line[0], "expected PMID<TAB>title<TAB>abstract, found " + f.length + " fields");
            String pmid = f[0];
            CharSpanDocument doc = new CharSpanDocument(f[1] + "\t" + f[2]);
            for (String[] e : entities.getOrDefault(pmid, List.of())) {
                try {
                    doc.entity(e[1], Integer.parseInt(e[3]), Integer.parseInt(e[4]), e[2], e[5],
                            "entity " + e[1] + " " + e[2] + " (" + entitiesFile.getFileName() + ")");
                } catch (NumberFormatException ex) {
                    doc.problem(Parsed.NoteKind.ENTITY_DROPPED, "entity offsets not numbers", "entity " + e[1] + " offsets '"
                            + e[3] + "', '" + e[4] + "'");
                }
            }
            for (String[] r : relations.getOrDefault(pmid, List.of())) {
                String a1 = r[2].startsWith("Arg1:") ? r[2].substring(5) : r[2];
                String a2 = r[3].startsWith("Arg2:") ? r[3].substring(5) : r[3];
                doc.relation(a1, a2, r[1], "relation " + r[1] + " " + r[2] + " " + r[3]);
            }
            return doc.toParsed(file, line[0], file + ":" + line[0] + " (PMID " + pmid + ")", BratReader.OnBadAnnotation.DROP_ANNOTATION);
        })).onClose(lines::close);
    }

    private static Map<String, List<String[]>> byPmid(Path file, int fields) throws IOException {
        Map<String, List<String[]>> m = new LinkedHashMap<>();
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            lines.forEach(l -> {
                String[] f = l.split("\t", -1);
                if (f.length == fields) m.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
            });
        }
        return m;
    }

    private static void collectShortLines(Path file, int fields, List<Parsed> out) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            int n = lines.get(i).split("\t", -1).length;
            if (n != fields) out.add(new Parsed.Bad(file.toString(), i + 1, "expected " + fields + " tab-separated fields, found " + n));
        }
    }
}
