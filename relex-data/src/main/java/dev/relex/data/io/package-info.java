/**
 * File-level building blocks shared by the readers: the per-record error handling loop ({@link
 * dev.relex.data.io.Records}), streaming over JSON arrays and JSON Lines ({@link dev.relex.data.io.JsonRecords}),
 * checked field access with clear messages ({@link dev.relex.data.io.JsonFields}), and the reference's training
 * JSON format ({@link dev.relex.data.io.TrainingJson}).
 */
package dev.relex.data.io;
