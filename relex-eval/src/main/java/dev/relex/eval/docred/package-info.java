/**
 * Document-level evaluation (DocRED / Re-DocRED): documents longer than one model window are cut into windows of
 * whole consecutive sentences, scored with the gold-entity protocol (F1, Ign F1) and end to end at text level.
 */
package dev.relex.eval.docred;
