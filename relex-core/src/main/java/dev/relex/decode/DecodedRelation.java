package dev.relex.decode;

/**
 * A relation between two decoded entities.
 *
 * @param head       index of the head entity in the decoded (start-sorted) entity list
 * @param labelIndex 0-based index into the de-duplicated relation labels
 * @param tail       index of the tail entity
 * @param score      probability (float32)
 */
public record DecodedRelation(int head, int labelIndex, int tail, float score) {}
