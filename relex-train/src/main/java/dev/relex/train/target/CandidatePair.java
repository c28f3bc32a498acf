package dev.relex.train.target;

/** An ordered pair of relation candidates (compact indices), compared lexicographically. */
public record CandidatePair(int head, int tail) implements Comparable<CandidatePair> {
    @Override
    public int compareTo(CandidatePair o) {
        return head != o.head ? Integer.compare(head, o.head) : Integer.compare(tail, o.tail);
    }

    public CandidatePair reversed() {
        return new CandidatePair(tail, head);
    }

    @Override
    public String toString() {
        return "(" + head + ", " + tail + ")";
    }
}
