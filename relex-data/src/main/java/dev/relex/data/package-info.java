/**
 * relex-data: the training example ({@link dev.relex.data.Example}, spec §5.1) and everything that produces it
 * from datasets (see docs/ARCHITECTURE.md §9).
 *
 * <ul>
 *   <li>{@link dev.relex.data.DatasetReader}: one streaming reader per file format; the
 *       {@link dev.relex.data.Datasets} registry names them ({@code "conll04"}, {@code "docred"}, ...), filled by
 *       {@link dev.relex.data.DatasetProvider}s.</li>
 *   <li>{@link dev.relex.data.LabelMapping} / {@link dev.relex.data.LabelMappings}: dataset labels to prompt labels,
 *       from the resource {@code label-mappings.json}, overridable by a user file.</li>
 *   <li>Errors: a bad record becomes a {@link dev.relex.data.RecordError} (file and record) in the
 *       {@link dev.relex.data.ReadReport}, or a {@link dev.relex.data.DatasetFormatException}, as the
 *       {@link dev.relex.data.ErrorPolicy} says; {@link dev.relex.data.ExampleBuilder} does the per-record
 *       checking, mapping and dropping that all readers share.</li>
 * </ul>
 */
package dev.relex.data;
