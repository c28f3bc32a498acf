/**
 * From raw text to model input: the word splitter with Python regex semantics, the Hugging Face
 * tokenizer fed pre-split words, label de-duplication, prompt layout, words mask and span enumeration.
 */
package dev.relex.text;
