/**
 * Readers for the many-type training datasets in {@code shared/datasets} (README section 6): tag-column NER
 * files (IOB, BIOES, IO), brat standoff, relation-classification sets with marked arguments, and document
 * sets with character offsets. Parsing produces {@link dev.relex.data.Example}s with the dataset's own labels;
 * the label mapping turns them into natural-language prompt labels.
 */
package dev.relex.data.formats;
