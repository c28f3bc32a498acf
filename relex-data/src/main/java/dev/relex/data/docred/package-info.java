/**
 * Document-level relation data in DocRED's JSON (DocRED, Re-DocRED, DWIE): the {@link dev.relex.data.docred.Document}
 * model (sentences, entity clusters of mentions, cluster-level relations), its streaming reader
 * {@link dev.relex.data.docred.DocRedReader}, and the conversions to {@link dev.relex.data.Example}s
 * ({@link dev.relex.data.docred.DocumentConversion}).
 */
package dev.relex.data.docred;
