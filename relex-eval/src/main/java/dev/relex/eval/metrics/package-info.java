/**
 * Scoring functions, independent of the model: span-level entity and relation metrics (strict and
 * boundaries), text-level triples (normalised texts, greedy one-to-one matching, aliases), DocRED's
 * document-level gold-entity metric (F1 and Ign F1) and relation classification with given arguments
 * (FewRel zero-shot single-label macro scores, CrossRE multi-label macro-F1).
 *
 * <p>All scores are percentages in [0, 100]. Precision with nothing predicted, recall with nothing in gold
 * and F1 with precision + recall = 0 are 0 (the usual convention, as scikit-learn with zero_division=0).
 */
package dev.relex.eval.metrics;
