package dev.relex.eval.metrics;

/**
 * Counts behind one precision/recall/F1 figure: {@code correct} matches among {@code predicted} predictions
 * and {@code gold} gold items. Scores are percentages; a zero denominator gives 0.
 */
public record Prf(long correct, long predicted, long gold) {
    public static final Prf ZERO = new Prf(0, 0, 0);

    public Prf {
        if (correct < 0 || predicted < correct || gold < correct) {
            throw new IllegalArgumentException("inconsistent counts: correct " + correct + ", predicted " + predicted
                    + ", gold " + gold);
        }
    }

    public double precision() {
        return predicted == 0 ? 0 : 100.0 * correct / predicted;
    }

    public double recall() {
        return gold == 0 ? 0 : 100.0 * correct / gold;
    }

    public double f1() {
        return f1(precision(), recall());
    }

    /** Harmonic mean of two percentages, 0 when both are 0. */
    public static double f1(double precision, double recall) {
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    public Prf plus(Prf o) {
        return new Prf(correct + o.correct, predicted + o.predicted, gold + o.gold);
    }

    public Prf plus(long correct, long predicted, long gold) {
        return new Prf(this.correct + correct, this.predicted + predicted, this.gold + gold);
    }
}
