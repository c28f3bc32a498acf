package dev.relex.decode;

import dev.relex.Entity;
import dev.relex.ExtractionOptions;
import dev.relex.ExtractionResult;
import dev.relex.OffsetUnit;
import dev.relex.Relation;
import dev.relex.Truncation;
import dev.relex.heads.HeadOutput;
import dev.relex.text.EncodedInput;
import dev.relex.text.Word;

import java.util.ArrayList;
import java.util.List;

/**
 * From head output to the public result (spec §4): entity candidates (span or token model), greedy
 * search, relation decoding, then word spans to character offsets with {@code text} = the exact
 * substring of the input, and a {@link Truncation} report when only a prefix of the words was processed
 * ({@code max_len} or the encoder's token limit).
 */
public final class ResultDecoder {
    private ResultDecoder() {}

    /** Decodes one text whose input was built by the input builder. */
    public static ExtractionResult decode(String text, EncodedInput input, HeadOutput out, ExtractionOptions options) {
        return decode(text, input.words(), input.totalWords(), input.entityLabels(), input.relationLabels(), out,
                options);
    }

    /**
     * @param text           the original text
     * @param words          the words that went through the model (UTF-16 offsets)
     * @param totalWords     words in the whole text, before truncation
     * @param entityLabels   de-duplicated entity labels (class index order)
     * @param relationLabels de-duplicated relation labels
     */
    public static ExtractionResult decode(String text, List<Word> words, int totalWords, List<String> entityLabels,
                                          List<String> relationLabels, HeadOutput out, ExtractionOptions options) {
        if (out.numWords() != words.size()) {
            throw new IllegalArgumentException("head output covers " + out.numWords() + " words but the text has "
                    + words.size() + " processed words");
        }
        if (out.numEntityLabels() != entityLabels.size() || out.numRelationLabels() != relationLabels.size()) {
            throw new IllegalArgumentException("head output has " + out.numEntityLabels() + " entity and "
                    + out.numRelationLabels() + " relation classes but " + entityLabels.size() + " entity and "
                    + relationLabels.size() + " relation labels were given");
        }
        boolean bestClassOnly = !options.multiLabel(); // same greedy result, far fewer candidates
        List<DecodedEntity> candidates = out.spanLevel()
                ? SpanDecoder.candidates(out, options.threshold(), bestClassOnly)
                : TokenDecoder.candidates(out, options.threshold(), bestClassOnly);
        List<DecodedEntity> entities = GreedySearch.select(candidates, options.flatNer(), options.multiLabel());
        List<DecodedRelation> relations = RelationDecoder.decode(out, entities, options.relationThreshold(),
                relationLabels.size());
        return assemble(text, words, totalWords, entityLabels, relationLabels, entities, relations, options);
    }

    /**
     * The truncation report of a text of which only {@code words} (a prefix of {@code totalWords}) were
     * processed, or {@code null} if nothing was cut.
     */
    public static Truncation truncation(String text, List<Word> words, int totalWords, OffsetUnit unit) {
        return truncation(words, totalWords, new OffsetMapper(text, unit));
    }

    private static Truncation truncation(List<Word> words, int totalWords, OffsetMapper offsets) {
        if (totalWords <= words.size()) return null;
        int stop = words.isEmpty() ? 0 : offsets.map(words.get(words.size() - 1).end());
        return new Truncation(totalWords, words.size(), stop);
    }

    /** Maps decoded word spans to character offsets and labels. */
    public static ExtractionResult assemble(String text, List<Word> words, int totalWords, List<String> entityLabels,
                                            List<String> relationLabels, List<DecodedEntity> entities,
                                            List<DecodedRelation> relations, ExtractionOptions options) {
        OffsetMapper offsets = new OffsetMapper(text, options.offsetUnit());
        List<Entity> outEntities = new ArrayList<>(entities.size());
        for (DecodedEntity e : entities) {
            // Offsets from the first word's start and the last word's end, so the text keeps inner whitespace.
            int from = words.get(e.startWord()).start();
            int to = words.get(e.endWord()).end();
            outEntities.add(new Entity(offsets.map(from), offsets.map(to), text.substring(from, to),
                    entityLabels.get(e.labelIndex()), e.score()));
        }
        List<Relation> outRelations = new ArrayList<>(relations.size());
        for (DecodedRelation r : relations) {
            outRelations.add(new Relation(outEntities.get(r.head()), r.head(), relationLabels.get(r.labelIndex()),
                    outEntities.get(r.tail()), r.tail(), r.score()));
        }
        Truncation truncation = truncation(words, totalWords, offsets);
        return new ExtractionResult(text, outEntities, outRelations, truncation);
    }
}
