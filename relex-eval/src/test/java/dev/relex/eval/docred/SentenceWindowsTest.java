package dev.relex.eval.docred;

import dev.relex.data.ErrorPolicy;
import dev.relex.data.ReadReport;
import dev.relex.data.docred.ClusterRelation;
import dev.relex.data.docred.DocRedReader;
import dev.relex.data.docred.Document;
import dev.relex.data.docred.EntityCluster;
import dev.relex.data.docred.Mention;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SentenceWindowsTest {
    static List<String> words(int n) {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < n; i++) w.add("w" + i);
        return w;
    }

    static Mention m(int sentence, int start, int docStart) {
        return new Mention("m" + sentence + "." + start, sentence, start, start, docStart, docStart, "PER");
    }

    /** Sentences of 4, 3, 5, 9 and 2 words with a budget of 8: windows {0,1}, {2}, {3} (too long alone), {4}. */
    @Test
    void greedyWholeSentencesAndCoverage() {
        List<List<String>> sents = List.of(words(4), words(3), words(5), words(9), words(2));
        // document offsets: 0, 4, 7, 12, 21
        EntityCluster a = new EntityCluster(List.of(m(0, 0, 0)));
        EntityCluster b = new EntityCluster(List.of(m(1, 2, 6)));
        EntityCluster c = new EntityCluster(List.of(m(2, 0, 7), m(4, 1, 22)));
        EntityCluster d = new EntityCluster(List.of(m(4, 0, 21)));
        Document doc = new Document("t#1", "t", sents, List.of(a, b, c, d), List.of(
                new ClusterRelation(0, 1, "P1", List.of()),     // same window {0,1}
                new ClusterRelation(0, 2, "P1", List.of()),     // a only in window 0, c in windows 1 and 3: split
                new ClusterRelation(3, 2, "P2", List.of()),     // share window {4} through c's second mention
                new ClusterRelation(3, 2, "P2", List.of())));   // duplicate fact, counted once
        List<SentenceWindows.Window> w = SentenceWindows.cut(doc, 8);
        assertEquals(4, w.size());
        assertEquals(List.of(0, 1, 0), List.of(w.get(0).firstSentence(), w.get(0).lastSentence(), w.get(0).wordOffset()));
        assertEquals(7, w.get(0).words().size());
        assertEquals(List.of(2, 2, 7), List.of(w.get(1).firstSentence(), w.get(1).lastSentence(), w.get(1).wordOffset()));
        assertEquals(List.of(3, 3, 12), List.of(w.get(2).firstSentence(), w.get(2).lastSentence(), w.get(2).wordOffset()));
        assertEquals(9, w.get(2).words().size());
        assertEquals(List.of(4, 4, 21), List.of(w.get(3).firstSentence(), w.get(3).lastSentence(), w.get(3).wordOffset()));
        assertEquals(1, SentenceWindows.factsSplitAcrossWindows(doc, w));
        // one window for everything: nothing split
        assertEquals(0, SentenceWindows.factsSplitAcrossWindows(doc, SentenceWindows.cut(doc, 100)));
    }

    /**
     * The cost in recall of sentence windows on Re-DocRED dev: the fraction of gold facts whose head and tail never
     * share a window, per budget. Printed for docs/RESULTS.md; pinned loosely (a window of one sentence must lose
     * more than one of 384 words).
     */
    @Test
    void reachOnRedocredDev() throws Exception {
        Path file = Path.of(System.getProperty("relex.shared", "../shared")).resolve("datasets/docred/dev_revised.json");
        assumeTrue(Files.isRegularFile(file));
        List<Document> docs = new ArrayList<>();
        DocRedReader.readDocuments(file, ErrorPolicy.FAIL, new ReadReport(), docs::add);
        assertEquals(500, docs.size());
        double[] lost = new double[4];
        int[] budgets = {1, 128, 256, 384};
        for (int b = 0; b < budgets.length; b++) {
            long facts = 0, split = 0, windows = 0, longest = 0;
            for (Document d : docs) {
                List<SentenceWindows.Window> w = SentenceWindows.cut(d, budgets[b]);
                windows += w.size();
                split += SentenceWindows.factsSplitAcrossWindows(d, w);
                facts += d.relations().stream().map(r -> List.of(r.head(), r.tail(), r.relation())).distinct().count();
                longest = Math.max(longest, d.words().size());
            }
            lost[b] = (double) split / facts;
            System.out.printf("Re-DocRED dev, window budget %d words: %d windows, %d of %d facts (%.2f%%) never have head "
                    + "and tail in one window; longest document %d words%n", budgets[b], windows, split, facts, 100 * lost[b], longest);
        }
        org.junit.jupiter.api.Assertions.assertTrue(lost[0] > lost[3], "one-sentence windows must lose more");
    }
}
