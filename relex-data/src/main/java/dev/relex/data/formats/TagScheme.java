package dev.relex.data.formats;

import java.util.ArrayList;
import java.util.List;

/**
 * Token-tag schemes of the NER column files, each decoded leniently the way conlleval does: a tag that
 * continues a span of another type, or an inside tag with nothing open, starts a new span instead of
 * being an error (this is how IOB1 — used by wikigold and the SEC filings, where {@code B-} only separates
 * two adjacent spans of one type — is meant to be read, and it keeps slightly inconsistent IOB2/BIOES files
 * usable). A tag that fits no pattern of the scheme (unknown prefix, empty type) is an error of the record.
 * The outside tag is {@code O} in every scheme.
 */
public enum TagScheme {
    /** IOB1 or IOB2: {@code B-X} starts a span, {@code I-X} continues one of type X (or starts one). */
    IOB,
    /** BIOES (also called IOBES/BILOU with E/S): {@code B-}, {@code I-}, {@code E-} (ends), {@code S-} (single word). */
    BIOES,
    /**
     * IO: every non-{@code O} tag is a type, with or without an {@code I-} prefix; consecutive words of one
     * type form one span (so two adjacent same-type spans merge — the format cannot tell them apart).
     */
    IO;

    /** The outside tag. */
    public static final String OUTSIDE = "O";

    /**
     * Decodes one sentence's tags into spans, in order of their first word.
     *
     * @throws MalformedRecordException naming the word index of the first tag that fits no pattern
     */
    public List<TaggedSpan> decode(List<String> tags) throws MalformedRecordException {
        List<TaggedSpan> spans = new ArrayList<>();
        int openStart = -1;
        String openLabel = null;
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            if (tag.equals(OUTSIDE)) {
                if (openLabel != null) spans.add(new TaggedSpan(openStart, i - 1, openLabel));
                openLabel = null;
                continue;
            }
            char prefix;
            String type;
            if (this == IO) {
                prefix = 'I';
                type = tag.startsWith("I-") ? tag.substring(2) : tag;
            } else {
                if (tag.length() < 3 || tag.charAt(1) != '-') throw bad(tag, i);
                prefix = tag.charAt(0);
                type = tag.substring(2);
                boolean known = this == IOB ? (prefix == 'B' || prefix == 'I')
                        : (prefix == 'B' || prefix == 'I' || prefix == 'E' || prefix == 'S');
                if (!known) throw bad(tag, i);
            }
            if (type.isBlank()) throw bad(tag, i);
            boolean continues = openLabel != null && openLabel.equals(type) && (prefix == 'I' || prefix == 'E');
            if (!continues) {
                if (openLabel != null) spans.add(new TaggedSpan(openStart, i - 1, openLabel));
                openStart = i;
                openLabel = type;
            }
            if (prefix == 'E' || prefix == 'S') {
                spans.add(new TaggedSpan(openStart, i, openLabel));
                openLabel = null;
            }
        }
        if (openLabel != null) spans.add(new TaggedSpan(openStart, tags.size() - 1, openLabel));
        return spans;
    }

    private MalformedRecordException bad(String tag, int wordIndex) {
        return new MalformedRecordException("tag '" + tag + "' of word " + wordIndex + " is not a " + name() + " tag");
    }
}
