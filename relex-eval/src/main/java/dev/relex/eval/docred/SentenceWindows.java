package dev.relex.eval.docred;

import dev.relex.data.docred.ClusterRelation;
import dev.relex.data.docred.Document;
import dev.relex.data.docred.EntityCluster;
import dev.relex.data.docred.Mention;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a document into windows of whole consecutive sentences: starting at the first sentence, sentences are added
 * while the window holds at most {@code maxWords} words; the next window starts at the first sentence that did not
 * fit (no overlap). A sentence longer than {@code maxWords} is a window of its own (the model then reads only its
 * first words; the evaluation reports it). Mentions belong to the window of their sentence; a relation can be found
 * only if one window holds a mention of its head and a mention of its tail.
 */
public final class SentenceWindows {
    private SentenceWindows() {}

    /** Sentences [first, last] (inclusive), their words, and the document word offset of the first word. */
    public record Window(int firstSentence, int lastSentence, int wordOffset, List<String> words) {
        public boolean contains(Mention m) {
            return m.sentence() >= firstSentence && m.sentence() <= lastSentence;
        }
    }

    public static List<Window> cut(Document doc, int maxWords) {
        if (maxWords < 1) throw new IllegalArgumentException("maxWords must be >= 1");
        List<Window> out = new ArrayList<>();
        List<List<String>> sents = doc.sentences();
        int s = 0, offset = 0;
        while (s < sents.size()) {
            int first = s, n = sents.get(s).size();
            List<String> words = new ArrayList<>(sents.get(s));
            s++;
            while (s < sents.size() && n + sents.get(s).size() <= maxWords) {
                words.addAll(sents.get(s));
                n += sents.get(s).size();
                s++;
            }
            if (!words.isEmpty()) out.add(new Window(first, s - 1, offset, List.copyOf(words)));
            offset += n;
        }
        return out;
    }

    /** Number of the document's distinct gold facts whose head and tail have no mention in a common window. */
    public static int factsSplitAcrossWindows(Document doc, List<Window> windows) {
        int split = 0;
        java.util.Set<List<Object>> seen = new java.util.HashSet<>();
        for (ClusterRelation r : doc.relations()) {
            if (!seen.add(List.of(r.head(), r.tail(), r.relation()))) continue;
            if (!shareWindow(doc.entities().get(r.head()), doc.entities().get(r.tail()), windows)) split++;
        }
        return split;
    }

    static boolean shareWindow(EntityCluster h, EntityCluster t, List<Window> windows) {
        for (Window w : windows) {
            boolean hasH = false, hasT = false;
            for (Mention m : h.mentions()) hasH |= w.contains(m);
            for (Mention m : t.mentions()) hasT |= w.contains(m);
            if (hasH && hasT) return true;
        }
        return false;
    }
}
