/**
 * The {@code relex} command-line tool: {@link dev.relex.cli.RelexCli} with the subcommands
 * {@code extract} (JSONL in, JSONL out), {@code info} (checkpoint summary and validation) and
 * {@code bench} (delegates to the benchmark module when it is on the classpath). The commands talk to
 * the model through {@link dev.relex.cli.Extractor} so that their parsing and I/O can be tested
 * without weights.
 */
package dev.relex.cli;
