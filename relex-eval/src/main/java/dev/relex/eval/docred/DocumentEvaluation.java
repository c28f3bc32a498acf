package dev.relex.eval.docred;

import dev.relex.ExtractionOptions;
import dev.relex.ExtractionRequest;
import dev.relex.ExtractionResult;
import dev.relex.GivenEntity;
import dev.relex.Relation;
import dev.relex.RelationScores;
import dev.relex.RelexModel;
import dev.relex.data.LabelMapping;
import dev.relex.data.docred.ClusterRelation;
import dev.relex.data.docred.Document;
import dev.relex.data.docred.EntityCluster;
import dev.relex.data.docred.Mention;
import dev.relex.eval.metrics.DocumentRelationMetrics;
import dev.relex.eval.metrics.TextTripleMetrics;
import dev.relex.eval.metrics.TypedScores;
import dev.relex.eval.run.EvaluationConfig;
import dev.relex.eval.run.ProgressListener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * DocRED / Re-DocRED evaluation on {@link SentenceWindows}:
 * <ul>
 *   <li><b>gold-entity protocol</b> (the standard one): in every window, the gold mentions that lie in it are given
 *       to {@link RelexModel#scoreRelations} (their mapped types in the prompt) with every ordered pair of mentions of
 *       two different entities; the probability of (head entity, tail entity, relation) is the maximum over all its
 *       mention pairs in all windows; a fact is predicted when it exceeds the relation threshold. Scored by
 *       {@link DocumentRelationMetrics} (F1 and Ign F1; the reference training facts for Ign F1 are the caller's).</li>
 *   <li><b>end to end, text level</b>: every window is extracted with all entity types and all relation labels; the
 *       triples of all windows of a document are pooled and scored by {@link TextTripleMetrics} against the gold
 *       facts, each entity matching any of its mentions' texts (the dataset's name and the mention's words).</li>
 * </ul>
 * Relation labels: the mapped names of every relation in the evaluated documents' gold, sorted; entity labels: the
 * mapped types of every mention, sorted.
 */
public final class DocumentEvaluation {
    /**
     * @param documents          documents evaluated
     * @param windows            windows over all documents
     * @param truncatedWindows   windows longer than the word budget (a sentence longer than the budget alone)
     * @param truncatedByModel   end-to-end windows the model reported truncated (word or token limit, prompt included)
     * @param goldFacts          distinct gold facts
     * @param factsSplit         gold facts whose head and tail never share a window (out of reach: a recall ceiling of
     *                           1 − factsSplit / goldFacts)
     * @param goldEntity         gold-entity protocol scores
     * @param textLevel          end-to-end text-level scores
     * @param failedWindows      windows the model rejected, with the reason (their pairs predict nothing)
     */
    public record Result(int documents, int windows, int truncatedWindows, int truncatedByModel, int goldFacts, int factsSplit,
                         DocumentRelationMetrics.Result goldEntity, TypedScores textLevel, List<String> entityLabels,
                         List<String> relationLabels, List<String> failedWindows, long wallNanos) {
        public double reachableFraction() {
            return goldFacts == 0 ? 1 : 1 - (double) factsSplit / goldFacts;
        }
    }

    private final EvaluationConfig config;
    private final int maxWords;
    private final Set<DocumentRelationMetrics.NamedFact> trainFacts;

    /**
     * @param maxWords   window budget in words (0 = the model's {@code max_len})
     * @param trainFacts reference facts for Ign F1 (named by mention names and mapped relation names); empty = none
     */
    public DocumentEvaluation(EvaluationConfig config, int maxWords, Set<DocumentRelationMetrics.NamedFact> trainFacts) {
        this.config = config;
        this.maxWords = maxWords;
        this.trainFacts = Set.copyOf(trainFacts);
    }

    public Result run(RelexModel model, List<Document> documents, LabelMapping mapping, boolean endToEnd, ProgressListener progress) {
        long start = System.nanoTime();
        int budget = maxWords > 0 ? maxWords : model.maxWords();
        TreeSet<String> entLabels = new TreeSet<>(), relLabels = new TreeSet<>();
        for (Document d : documents) {
            for (EntityCluster c : d.entities()) for (Mention m : c.mentions()) entLabels.add(mapping.entity(m.type()));
            for (ClusterRelation r : d.relations()) relLabels.add(mapping.relation(r.relation()));
        }
        List<String> ents = List.copyOf(entLabels), rels = List.copyOf(relLabels);
        DocumentRelationMetrics goldEntity = new DocumentRelationMetrics(trainFacts);
        TextTripleMetrics text = new TextTripleMetrics(config.textMaxLabelsPerPair());
        ExtractionOptions options = config.options();
        int windows = 0, truncated = 0, truncatedByModel = 0, goldFacts = 0, split = 0, done = 0;
        List<String> failed = new ArrayList<>();
        for (Document d : documents) {
            List<SentenceWindows.Window> ws = SentenceWindows.cut(d, budget);
            windows += ws.size();
            Set<DocumentRelationMetrics.Fact> gold = new LinkedHashSet<>();
            for (ClusterRelation r : d.relations()) gold.add(new DocumentRelationMetrics.Fact(r.head(), r.tail(), mapping.relation(r.relation())));
            goldFacts += gold.size();
            split += SentenceWindows.factsSplitAcrossWindows(d, ws);
            List<List<String>> names = new ArrayList<>();
            for (EntityCluster c : d.entities()) names.add(c.mentions().stream().map(Mention::name).toList());

            // gold-entity protocol
            Map<DocumentRelationMetrics.Fact, Float> best = new HashMap<>();
            for (int wi = 0; wi < ws.size(); wi++) {
                SentenceWindows.Window w = ws.get(wi);
                boolean cut = w.words().size() > budget;
                List<GivenEntity> given = new ArrayList<>();
                List<Integer> clusterOf = new ArrayList<>();
                int[] wordStart = wordStarts(w.words());
                for (int c = 0; c < d.entities().size(); c++) {
                    for (Mention m : d.entities().get(c).mentions()) {
                        if (!w.contains(m)) continue;
                        int s = m.docStart() - w.wordOffset(), e = m.docEnd() - w.wordOffset();
                        given.add(new GivenEntity(wordStart[s], wordStart[e] + w.words().get(e).length(), mapping.entity(m.type())));
                        clusterOf.add(c);
                    }
                }
                List<int[]> pairs = new ArrayList<>();
                for (int i = 0; i < given.size(); i++) {
                    for (int j = 0; j < given.size(); j++) {
                        if (!clusterOf.get(i).equals(clusterOf.get(j))) pairs.add(new int[] {i, j});
                    }
                }
                if (cut) truncated++;
                if (pairs.isEmpty() || rels.isEmpty()) continue;
                try {
                    RelationScores s = model.scoreRelations(String.join(" ", w.words()), given, null, rels, pairs, true);
                    for (RelationScores.PairScore p : s.pairs()) {
                        int h = clusterOf.get(p.head()), t = clusterOf.get(p.tail());
                        float[] prob = p.probabilities();
                        for (int r = 0; r < prob.length; r++) {
                            best.merge(new DocumentRelationMetrics.Fact(h, t, s.relationLabels().get(r)), prob[r], Math::max);
                        }
                    }
                } catch (IllegalArgumentException ex) {
                    failed.add(d.id() + " window " + wi + " (sentences " + w.firstSentence() + "-" + w.lastSentence() + "): " + ex.getMessage());
                }
            }
            List<DocumentRelationMetrics.Fact> predicted = new ArrayList<>();
            best.forEach((f, p) -> {
                if ((double) p > config.relationThreshold()) predicted.add(f);
            });
            predicted.sort(java.util.Comparator.comparingInt(DocumentRelationMetrics.Fact::head)
                    .thenComparingInt(DocumentRelationMetrics.Fact::tail).thenComparing(DocumentRelationMetrics.Fact::relation));
            goldEntity.add(names, List.copyOf(gold), predicted);

            // end to end, text level
            if (endToEnd) {
                List<TextTripleMetrics.Gold> goldTriples = new ArrayList<>();
                List<String> docWords = d.words();
                for (DocumentRelationMetrics.Fact f : gold) {
                    goldTriples.add(new TextTripleMetrics.Gold(aliases(d.entities().get(f.head()), docWords), f.relation(),
                            aliases(d.entities().get(f.tail()), docWords)));
                }
                List<ExtractionRequest> requests = new ArrayList<>();
                for (SentenceWindows.Window w : ws) requests.add(new ExtractionRequest(String.join(" ", w.words()), ents, rels, options));
                List<TextTripleMetrics.Predicted> preds = new ArrayList<>();
                for (int from = 0; from < requests.size(); from += config.batchSize()) {
                    List<ExtractionResult> out = model.extractBatch(requests.subList(from, Math.min(requests.size(), from + config.batchSize())));
                    for (ExtractionResult r : out) {
                        if (r.truncated()) truncatedByModel++;
                        for (Relation x : r.relations()) preds.add(new TextTripleMetrics.Predicted(x.head().text(), x.relation(), x.tail().text(), x.score()));
                    }
                }
                text.add(goldTriples, preds);
            }
            progress.progress(++done, documents.size());
        }
        return new Result(documents.size(), windows, truncated, truncatedByModel, goldFacts, split, goldEntity.result(), text.result(), ents, rels,
                failed, System.nanoTime() - start);
    }

    private static List<String> aliases(EntityCluster c, List<String> docWords) {
        Set<String> out = new LinkedHashSet<>();
        for (Mention m : c.mentions()) {
            out.add(m.name());
            out.add(String.join(" ", docWords.subList(m.docStart(), m.docEnd() + 1)));
        }
        return List.copyOf(out);
    }

    private static int[] wordStarts(List<String> words) {
        int[] s = new int[words.size()];
        int pos = 0;
        for (int i = 0; i < words.size(); i++) {
            s[i] = pos;
            pos += words.get(i).length() + 1;
        }
        return s;
    }
}
