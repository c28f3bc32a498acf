package dev.relex.data.formats;

import dev.relex.data.SharedDatasets;

import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads every tag-column corpus file in ../shared/datasets. Sentence counts are those of each folder's
 * SOURCES.md; entity counts are SOURCES.md's mention counts where it gives them, otherwise the number of
 * {@code B-} tags ({@code grep -c $'\tB-'}) or, for IO files, of type changes (awk), counted outside this code.
 */
class TagColumnCorporaTest {

    private static Tally read(String corpus, String split) {
        TagColumnCorpus c = TagColumnCorpus.named(corpus);
        return Tally.of(c.reader(), c.file(SharedDatasets.root(), split));
    }

    /** records, bad records, entities in the good ones. */
    private static void check(String corpus, String split, int records, int bad, int entities) {
        Tally t = read(corpus, split);
        assertEquals(records, t.records, corpus + "/" + split + " records: " + t);
        assertEquals(bad, t.bad.size(), corpus + "/" + split + " bad records: " + t.bad);
        assertEquals(entities, t.entities, corpus + "/" + split + " entities: " + t);
    }

    @Test
    void bioNerMtl2016() {
        Object[][] rows = {
                {"anatem", 5861, 6946, 2118, 2139, 3830, 4616},
                {"bc2gm", 12574, 15197, 2519, 3061, 5038, 6325},
                {"bc5cdr", 4560, 9385, 4581, 9593, 4797, 9809},
                {"bionlp09", 7462, 9296, 1448, 2078, 2446, 3589},
                {"bionlp11epi", 5698, 7586, 1955, 2495, 4122, 5730},
                {"bionlp11id", 2496, 5674, 721, 1598, 1961, 3810},
                {"bionlp13cg", 3033, 10826, 1003, 3616, 1906, 6881},
                {"bionlp13ge", 2449, 3566, 2737, 4132, 3391, 4359},
                {"bionlp13pc", 2499, 7853, 857, 2734, 1695, 5306},
                {"craft", 10875, 29026, 3730, 9727, 7425, 18881},
                {"ex-ptm", 1377, 1787, 437, 603, 1839, 2308},
                {"ncbi-disease", 5424, 5134, 923, 787, 940, 960},
                {"linnaeus", 11935, 2119, 4078, 711, 7142, 1433},
        };
        for (Object[] r : rows) {
            String name = (String) r[0];
            check(name, "train", (int) r[1], 0, (int) r[2]);
            check(name, "dev", (int) r[3], 0, (int) r[4]);
            check(name, "test", (int) r[5], 0, (int) r[6]);
        }
    }

    @Test
    void jnlpbaDocstartLinesAreNotSentences() {
        // SOURCES.md says 1,939 / 4,260: it counted blank-line blocks, and each of the 200 / 404 "-DOCSTART-"
        // lines (grep -c) stands in a block of its own. They are document separators, not sentences.
        check("jnlpba", "dev", 1939 - 200, 0, 4551);
        check("jnlpba", "test", 4260 - 404, 0, 8662);
    }

    @Test
    void bioNlp13CgFirstSentence() {
        // train.tsv lines 1-20: "The TGF - beta type II receptor in chronic myeloid leukemia : analysis ..."
        Example e = read("bionlp13cg", "train").examples.get(0);
        assertEquals(20, e.words().size());
        assertEquals(List.of(new EntityMention(1, 6, "Gene_or_gene_product"), new EntityMention(8, 10, "Cancer")), e.entities());
        assertTrue(e.id().endsWith("BioNLP13CG-IOB/train.tsv:1"), e.id());
    }

    @Test
    void fewTkIo() {
        check("few-tk", "train", 2585, 0, 4803);
        check("few-tk", "dev", 369, 0, 737);
        check("few-tk", "test", 739, 0, 1445);
    }

    @Test
    void aptnerMalformedLinesCostOnlyTheirSentences() {
        // SOURCES.md: 270 / 47 / 15 malformed lines (tags glued to tokens, "OilRig S-APT/APT34 S-APT", "DNS PROT",
        // words without a tag). They fall in 239 / 24 / 14 sentences, each reported; the others are read. Our test
        // file has 14 malformed lines, not 15: 'http://188.241.58.170/local/s3/filters.php  S-FILE' (two spaces)
        // is a well-formed line when columns are split at whitespace runs.
        // Entities of the good sentences were cross-checked with an independent script; they include 78 / 13 / 1
        // spans that open with an I- or E- tag (SOURCES counts only B-/S- starts: 21,766 / 3,362 / 3,367 over all
        // sentences, good and bad).
        Tally train = read("aptner", "train");
        assertEquals(6745, train.records);
        assertEquals(239, train.bad.size());
        assertEquals(21327, train.entities);
        assertTrue(train.bad.get(0).file().endsWith("APTNERtrain.txt"), train.bad.get(0).file());
        assertEquals(484, train.bad.get(0).record());
        assertTrue(train.bad.get(0).message().contains("line 515"), train.bad.get(0).message());
        check("aptner", "dev", 1752, 24, 3326);
        check("aptner", "test", 1545, 14, 3338);
    }

    @Test
    void dnrtiBlankTokensSkippedAndSplitLinesReported() {
        // 179 / 7 / 16 lines hold only "O" (the word was a space-like character): skipped, counted. 3 / 2 / 1
        // lines hold two words and a tag ("skills. In O"): their sentences are reported.
        Tally t = read("dnrti", "train");
        assertEquals(5251, t.records);
        assertEquals(3, t.bad.size());
        assertEquals(179 - 3, t.notes("whitespace-only token line left out")); // 3 are inside the 3 reported sentences
        check("dnrti", "dev", 662, 2, 2165);
        check("dnrti", "test", 664, 1, 2345);
    }

    @Test
    void wnut16() {
        check("wnut16", "train", 2394, 0, 1496);
        check("wnut16", "dev", 1000, 0, 661);
        check("wnut16", "dev_2015", 420, 0, 272);
        check("wnut16", "test", 3850, 0, 3473);
    }

    @Test
    void nerMiscJuandR() {
        check("wnut17", "train", 3394, 0, 1975);
        check("wnut17", "dev", 1009, 0, 836);
        check("wnut17", "test", 1287, 0, 1079);
        check("anem", "train", 2815, 0, 1879);
        check("anem", "test", 1882, 0, 1256);
        check("gum", "train", 2495, 0, 8285);
        check("gum", "test", 1000, 0, 3439);
        check("sec-filings", "train", 1164, 0, 1168);
        check("sec-filings", "test", 303, 0, 318);
        check("wikigold", "all", 1696, 0, 3558);
    }

    @Test
    void btcSectionsSumToSourcesCounts() {
        // SOURCES.md: 9,339 tweets / 14,885 mentions over a, b, e, f, g, h. Two records of h.conll are reported:
        // one block holds only blank-token lines (no words), one line has a token with a space in it ("ke s").
        // Neither holds a mention, so the mention total is unchanged.
        int records = 0, entities = 0, bad = 0;
        for (String s : List.of("a", "b", "e", "f", "g", "h")) {
            Tally t = read("btc", s);
            records += t.records;
            entities += t.entities;
            bad += t.bad.size();
        }
        assertEquals(9339, records);
        assertEquals(14885, entities);
        assertEquals(2, bad);
    }

    @Test
    void wikigoldIsIob1() {
        // wikigold.conll.txt lines 1-15: "010 I-MISC is O ... Japanese I-MISC Punk O Techno O band O The I-ORG Mad I-ORG
        // Capsule I-ORG Markets I-ORG . O"
        Example e = read("wikigold", "all").examples.get(0);
        assertEquals(List.of(new EntityMention(0, 0, "MISC"), new EntityMention(6, 6, "MISC"), new EntityMention(10, 13, "ORG")),
                e.entities());
    }
}
