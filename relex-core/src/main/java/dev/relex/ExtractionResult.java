package dev.relex;

import java.util.List;

/**
 * Entities and relations found in one text.
 *
 * @param text       the input text
 * @param entities   sorted by start offset (stable: equal starts keep the greedy search's order)
 * @param relations  in the reference's order (pair order, then relation label order)
 * @param truncation non-null iff only a prefix of the text's words was processed ({@code max_len} words or
 *                   the encoder's token limit); see {@link Truncation}
 */
public record ExtractionResult(String text, List<Entity> entities, List<Relation> relations, Truncation truncation) {
    public ExtractionResult {
        entities = List.copyOf(entities);
        relations = List.copyOf(relations);
    }

    public boolean truncated() {
        return truncation != null;
    }
}
