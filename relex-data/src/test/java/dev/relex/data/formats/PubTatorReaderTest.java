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

class PubTatorReaderTest {

    @Test
    void bioRedEveryMentionKeptOrReported() {
        // SOURCES.md: 400 / 100 / 100 abstracts, 13,351 / 3,533 / 3,535 mentions. Mentions inside a hyphenated
        // word ("[HNF]-6") are not word spans: dropped and noted, with the relations through them.
        String[] splits = {"Train", "Dev", "Test"};
        int[] docs = {400, 100, 100};
        int[] mentions = {13351, 3533, 3535};
        for (int i = 0; i < 3; i++) {
            Tally t = Tally.of(new PubTatorReader(), SharedDatasets.root().resolve("biored/data/BioRED/" + splits[i] + ".PubTator"));
            assertEquals(docs[i], t.records);
            assertEquals(docs[i], t.ok);
            long dropped = t.notes.stream().filter(n -> n.kind() == Parsed.NoteKind.ENTITY_DROPPED).count();
            assertEquals(mentions[i], t.entities + dropped, splits[i]);
            assertEquals(0, t.notes("relation names a concept without a mention"));
            assertEquals(0, t.notes("entity text differs from the text at its offsets"));
        }
    }

    @Test
    void conceptRelationsBecomeMentionPairs(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.PubTator");
        // title "TP53 binds MDM2." (0-16), space, abstract from 17: "MDM2 and TP53 in cancer."
        Files.writeString(f, String.join("\n",
                "1|t|TP53 binds MDM2.",
                "1|a|MDM2 and TP53 in cancer.",
                "1\t0\t4\tTP53\tGeneOrGeneProduct\t7157",
                "1\t11\t15\tMDM2\tGeneOrGeneProduct\t4193",
                "1\t17\t21\tMDM2\tGeneOrGeneProduct\t4193",
                "1\t26\t30\tTP53\tGeneOrGeneProduct\t7157",
                "1\t34\t40\tcancer\tDiseaseOrPhenotypicFeature\tD009369",
                "1\tBind\t7157\t4193\tNovel",
                "1\tAssociation\t7157\tD000001\tNo",
                "",
                "2|t|Broken",
                ""));
        Tally t = Tally.of(new PubTatorReader(), f);
        Example e = t.examples.get(0);
        assertEquals(List.of("TP53", "binds", "MDM2", ".", "MDM2", "and", "TP53", "in", "cancer", "."), e.words());
        assertEquals(List.of(new EntityMention(0, 0, "GeneOrGeneProduct"), new EntityMention(2, 2, "GeneOrGeneProduct"),
                new EntityMention(4, 4, "GeneOrGeneProduct"), new EntityMention(6, 6, "GeneOrGeneProduct"),
                new EntityMention(8, 8, "DiseaseOrPhenotypicFeature")), e.entities());
        // 2 mentions of 7157 x 2 mentions of 4193
        assertEquals(List.of(new RelationMention(0, 1, "Bind"), new RelationMention(0, 2, "Bind"),
                new RelationMention(3, 1, "Bind"), new RelationMention(3, 2, "Bind")), e.relations());
        assertEquals(List.of("relation names a concept without a mention"), t.notes.stream().map(Parsed.Note::reason).toList());
        assertEquals(11, t.bad.get(0).record());
    }
}
