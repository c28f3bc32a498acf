package dev.relex.data.formats;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.data.SharedDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The readers of document and sentence sets with offsets or argument strings (README section 6). */
class DocumentReadersTest {

    private static Path root() {
        return SharedDatasets.root();
    }

    private static long notes(Tally t, Parsed.NoteKind kind) {
        return t.notes.stream().filter(n -> n.kind() == kind).count();
    }

    @Test
    void drugProtEveryRelationKeptOrReported() {
        // SOURCES.md: 750 abstracts, 18,858 mentions, 3,765 relations, 0 offset mismatches. GLiNER's splitter keeps
        // hyphenated compounds whole, so a mention inside "beta2-adrenoceptor-mediated" is not a word span: such
        // mentions are dropped and noted, with their relations.
        Tally t = Tally.of(new DrugProtReader(), root().resolve("drugprot-dev/corpora/development/drugprot_development_abstracs.tsv"));
        assertEquals(750, t.records);
        assertEquals(750, t.ok);
        // 4 relations repeat another one's type and argument spans (under other mention ids; counted with a script):
        // kept relations are merged, reported ones are not, and one repeat is among the reported.
        assertEquals(3765 - 3, t.relations + notes(t, Parsed.NoteKind.RELATION_DROPPED));
        assertEquals(0, t.notes("entity text differs from the text at its offsets"));
        assertEquals(0, t.notes("relation names a missing entity"));
        assertTrue(t.notes("entity not on word boundaries") > 0);
        assertTrue(t.examples.stream().allMatch(e -> e.relations().stream().allMatch(r ->
                e.entities().get(r.head()).label().equals("CHEMICAL") && e.entities().get(r.tail()).label().equals("GENE"))));
    }

    @Test
    void drugProtSmall(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("x_abstracs.tsv"), "1\tAspirin blocks COX-1.\tIt is an anti-COX drug.\n");
        // title+TAB+abstract: "Aspirin" 0-7, "COX-1" 15-20, TAB at 21, "It" 22-24, "anti-COX" 31-39, "COX" 36-39
        Files.writeString(dir.resolve("x_entities.tsv"), "1\tT1\tCHEMICAL\t0\t7\tAspirin\n1\tT2\tGENE\t15\t20\tCOX-1\n"
                + "1\tT3\tGENE\t36\t39\tCOX\n");
        Files.writeString(dir.resolve("x_relations.tsv"), "1\tINHIBITOR\tArg1:T1\tArg2:T2\n1\tINHIBITOR\tArg1:T1\tArg2:T3\n");
        Tally t = Tally.of(new DrugProtReader(), dir.resolve("x_abstracs.tsv"));
        Example e = t.examples.get(0);
        assertEquals(List.of("Aspirin", "blocks", "COX-1", ".", "It", "is", "an", "anti-COX", "drug", "."), e.words());
        assertEquals(List.of(new EntityMention(0, 0, "CHEMICAL"), new EntityMention(2, 2, "GENE")), e.entities());
        assertEquals(List.of(new RelationMention(0, 1, "INHIBITOR")), e.relations());
        assertEquals(List.of("entity not on word boundaries", "argument dropped"), t.notes.stream().map(Parsed.Note::reason).toList());
    }

    @Test
    void webNlg() {
        // SOURCES.md: 5,019 / 500 / 703 sentences, 11,313 / 1,224 / 1,607 triples, every argument found in the
        // text. One train and one val record list the same triple twice: kept once (11,312 / 1,223).
        int[] records = {5019, 500, 703};
        int[] relations = {11312, 1223, 1607};
        String[] splits = {"train", "val", "test"};
        for (int i = 0; i < 3; i++) {
            Tally t = Tally.of(new WebNlgReader(), root().resolve("webnlg/data/WebNLG/" + splits[i] + "_triples.json"));
            assertEquals(records[i], t.records);
            assertEquals(records[i], t.ok);
            assertEquals(relations[i], t.relations);
            assertEquals(0, t.notes.size(), t.notes.toString());
        }
    }

    @Test
    void webNlgFirstRecordAndMissingArgument(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("w.json");
        Files.writeString(f, "[{\"text\": \"Peter Stöger is manager of 1 . FC Köln which has 50000 members .\", \"triple_list\": "
                + "[[\"1 . FC Köln\", \"manager\", \"Peter Stöger\"], [\"1 . FC Köln\", \"numberOfMembers\", \"50000\"], "
                + "[\"1 . FC Köln\", \"ground\", \"RheinEnergieStadion\"]]}]");
        Tally t = Tally.of(new WebNlgReader(), f);
        Example e = t.examples.get(0);
        assertEquals(List.of(new EntityMention(5, 8, "entity"), new EntityMention(0, 1, "entity"), new EntityMention(11, 11, "entity")),
                e.entities());
        assertEquals(List.of(new RelationMention(0, 1, "manager"), new RelationMention(0, 2, "numberOfMembers")), e.relations());
        assertEquals(List.of("argument not found in the text"), t.notes.stream().map(Parsed.Note::reason).toList());
    }

    @Test
    void ufetCrowd() {
        // SOURCES.md: 1,998 mentions per split. 29 train lines have an empty type list: reported. Entities = one
        // per distinct type of each mention (counted with a script over y_str).
        int[] entities = {10904, 10801, 10733};
        int[] bad = {29, 0, 0};
        String[] splits = {"train", "dev", "test"};
        for (int i = 0; i < 3; i++) {
            Tally t = Tally.of(new UfetReader(), root().resolve("ufet-crowd/data/crowd/" + splits[i] + ".json"));
            assertEquals(1998, t.records);
            assertEquals(bad[i], t.bad.size());
            assertEquals(entities[i], t.entities);
        }
    }

    @Test
    void ufetLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("u.json");
        Files.writeString(f, "{\"annot_id\": \"A:1\", \"mention_span\": \"Web users\", \"right_context_token\": [\"to\", \"look\"], "
                + "\"y_str\": [\"person\", \"computer_user\"], \"left_context_token\": [\"The\", \"Office\", \"invites\"]}\n\n"
                + "{\"annot_id\": \"A:2\", \"mention_span\": \"x\", \"y_str\": []}\n");
        Tally t = Tally.of(new UfetReader(), f);
        Example e = t.examples.get(0);
        assertEquals(List.of("The", "Office", "invites", "Web", "users", "to", "look"), e.words());
        assertEquals(List.of(new EntityMention(3, 4, "person"), new EntityMention(3, 4, "computer user")), e.entities());
        assertEquals(3, t.bad.get(0).record()); // the blank line 2 is counted
    }
}
