package dev.relex;

/**
 * One extracted relation (head, relation, tail). Head and tail are entities of the same result;
 * {@code headIndex}/{@code tailIndex} are their positions in {@link ExtractionResult#entities()}.
 */
public record Relation(Entity head, int headIndex, String relation, Entity tail, int tailIndex, double score) {}
