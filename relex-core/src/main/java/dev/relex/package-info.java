/**
 * Public API: {@link dev.relex.RelexModel} loads a GLiNER-Relex checkpoint directory and extracts
 * entities and relations for labels named at call time; results are immutable records.
 */
package dev.relex;
