/**
 * Readers for the many-type training datasets in {@code shared/datasets} (README section 6), registered by
 * {@link dev.relex.data.formats.ManyTypeDatasets}. Each format parser streams {@link dev.relex.data.formats.Parsed}
 * records with the dataset's own labels; {@link dev.relex.data.formats.ParsedReader} maps them through the label
 * mapping and reports bad records, dropped annotations and adjustments to the {@link dev.relex.data.ReadReport}.
 *
 * <ul>
 *   <li>{@link dev.relex.data.formats.TagColumnReader} with {@link dev.relex.data.formats.TagScheme}: token-per-line
 *       IOB/IOB1, BIOES and IO files; {@link dev.relex.data.formats.TagColumnCorpus} lists the corpora.</li>
 *   <li>{@link dev.relex.data.formats.BratReader}: brat standoff (WLP, materials syntheses); events become
 *       trigger-to-argument role relations.</li>
 *   <li>{@link dev.relex.data.formats.MarkedPairReader}: SemEval-2010 Task 8 and KBP37.</li>
 *   <li>Character-offset documents: {@link dev.relex.data.formats.DrugProtReader},
 *       {@link dev.relex.data.formats.PubTatorReader} (BioRED), {@link dev.relex.data.formats.DdiReader},
 *       {@link dev.relex.data.formats.Re3dReader}, {@link dev.relex.data.formats.SemEval2018Reader}; argument
 *       strings: {@link dev.relex.data.formats.WebNlgReader}; one typed mention: {@link dev.relex.data.formats.UfetReader}.</li>
 * </ul>
 *
 * Words always come from GLiNER's word splitter ({@link dev.relex.text.WordSplitter}) where the text is not
 * pre-tokenised, so an annotation inside a splitter word ("anti-[CD42b]", "72[h]") cannot be represented: it is
 * reported, never silently moved.
 */
package dev.relex.data.formats;
