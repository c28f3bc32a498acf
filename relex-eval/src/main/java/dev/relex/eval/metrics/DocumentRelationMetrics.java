package dev.relex.eval.metrics;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * DocRED's document-level metric with gold entities (the official {@code evaluation.py}): a fact is
 * (head entity, tail entity, relation) with entities being the document's gold clusters ({@code vertexSet}
 * indices); a predicted fact is correct iff the document's gold labels hold it. Duplicates count once.
 *
 * <p><b>Ign F1</b> follows the official script: a correct prediction is "in train" if, for some mention
 * name n1 of the head cluster and n2 of the tail cluster, (n1, n2, relation) is a fact of the reference
 * training set; such predictions are removed from the correct and the predicted counts for Ign precision;
 * recall is unchanged; Ign F1 = harmonic mean of Ign precision and recall. The reference fact set is given
 * by the caller ({@link #DocumentRelationMetrics(Set)}); with an empty set Ign F1 equals F1.
 */
public final class DocumentRelationMetrics {
    /** A fact over cluster indices. */
    public record Fact(int head, int tail, String relation) {}

    /** A fact over mention names, as the training set's facts are compared. */
    public record NamedFact(String head, String tail, String relation) {}

    private final Set<NamedFact> trainFacts;
    private final TypedScores.Builder scores = new TypedScores.Builder();
    private long correctInTrain;

    public DocumentRelationMetrics(Set<NamedFact> trainFacts) {
        this.trainFacts = Set.copyOf(trainFacts);
    }

    /**
     * Adds one document.
     *
     * @param mentionNames per cluster, the names of its mentions (for Ign F1)
     */
    public DocumentRelationMetrics add(List<List<String>> mentionNames, List<Fact> gold, List<Fact> predicted) {
        Set<Fact> g = new LinkedHashSet<>(gold);
        Set<Fact> p = new LinkedHashSet<>(predicted);
        for (Fact f : g) scores.add(f.relation(), 0, 0, 1);
        for (Fact f : p) {
            boolean correct = g.contains(f);
            scores.add(f.relation(), correct ? 1 : 0, 1, 0);
            if (correct && inTrain(mentionNames, f)) correctInTrain++;
        }
        return this;
    }

    private boolean inTrain(List<List<String>> names, Fact f) {
        if (trainFacts.isEmpty()) return false;
        for (String h : names.get(f.head())) {
            for (String t : names.get(f.tail())) {
                if (trainFacts.contains(new NamedFact(h, t, f.relation()))) return true;
            }
        }
        return false;
    }

    public Result result() {
        TypedScores s = scores.build();
        Prf m = s.micro();
        long predicted = m.predicted() - correctInTrain;
        double ignPrecision = predicted == 0 ? 0 : 100.0 * (m.correct() - correctInTrain) / predicted;
        return new Result(s, correctInTrain, ignPrecision, Prf.f1(ignPrecision, m.recall()));
    }

    /** F1 is {@code facts.micro().f1()}. */
    public record Result(TypedScores facts, long correctInTrain, double ignPrecision, double ignF1) {}
}
