/**
 * Readers for the benchmark datasets in {@code shared/datasets} (SpERT JSON, CrossRE, DocRED/DWIE, FewRel, REBEL,
 * NuNER) and their registration ({@link dev.relex.data.readers.BenchmarkDatasets}).
 */
package dev.relex.data.readers;
