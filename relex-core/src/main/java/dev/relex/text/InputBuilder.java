package dev.relex.text;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.checkpoint.GlinerConfig;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the model input of one text (spec §2.2–2.6): validated, de-duplicated labels; the prompt
 * {@code <<ENT>> e1 … <<SEP>> <<REL>> r1 … <<SEP>>} (each label one word, even with spaces) followed by
 * the text's words; sub-word ids from the checkpoint's tokenizer; the words mask.
 *
 * <p>Two length limits, both recorded in {@link EncodedInput#totalWords()} versus
 * {@link EncodedInput#textLength()} rather than applied silently:
 * <ul>
 *   <li>{@code max_len} from the config: text words beyond it are dropped, as in the reference;</li>
 *   <li>the encoder's token limit ({@link #maxTokens()}): trailing text words are dropped until the
 *       token sequence fits. The reference would instead let the tokenizer cut tokens (BERT at 512) and
 *       keep the cut words with zero embeddings; dropping whole words gives the same entities for the
 *       words that remain visible and says where processing stopped.</li>
 * </ul>
 * Immutable and thread-safe (the tokenizer is).
 */
public final class InputBuilder {

    /** No token limit. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private final RelexTokenizer tokenizer;
    private final GlinerConfig config;
    private final RelexTokenizer.MarkerIds markers;
    private final List<String> markerTokens;
    private final WordSplitter splitter = new WordSplitter();
    private final int maxLen;
    private final int maxTokens;

    /** Uses {@link #defaultTokenLimit} as the token limit. */
    public InputBuilder(RelexTokenizer tokenizer, GlinerConfig config) {
        this(tokenizer, config, defaultTokenLimit(config, tokenizer));
    }

    /**
     * @param maxTokens most tokens (special tokens included) one sequence may have, or {@link #UNLIMITED}
     * @throws CheckpointException if the tokenizer's marker tokens do not match the config
     */
    public InputBuilder(RelexTokenizer tokenizer, GlinerConfig config, int maxTokens) {
        if (tokenizer == null || config == null) throw new IllegalArgumentException("tokenizer and config are required");
        if (config.maxLen() <= 0) {
            throw new CheckpointException("gliner_config.json max_len must be positive, got " + config.maxLen());
        }
        if (maxTokens < 3) throw new IllegalArgumentException("maxTokens must be at least 3, got " + maxTokens);
        this.tokenizer = tokenizer;
        this.config = config;
        this.markers = tokenizer.markerIds(config);
        this.markerTokens = List.of(config.entToken(), config.sepToken(), config.relToken());
        this.maxLen = config.maxLen();
        this.maxTokens = maxTokens;
    }

    /**
     * The number of tokens the encoder can take: with absolute position embeddings (BERT, or DeBERTa
     * with {@code position_biased_input}) {@code max_position_embeddings}; DeBERTa with relative
     * attention only has no hard limit. A real {@code model_max_length} of the tokenizer (below 10^6)
     * lowers it further, as the reference tokenizer would truncate there.
     */
    public static int defaultTokenLimit(GlinerConfig config, RelexTokenizer tokenizer) {
        EncoderConfig enc = config.encoder();
        int limit = UNLIMITED;
        boolean absolutePositions = enc.isBert() || !enc.relativeAttention() || enc.positionBiasedInput();
        if (absolutePositions && enc.maxPositionEmbeddings() > 0) limit = enc.maxPositionEmbeddings();
        if (tokenizer.modelMaxLength().isPresent()) limit = Math.min(limit, tokenizer.modelMaxLength().getAsInt());
        return limit;
    }

    /**
     * Encodes one text with the given labels. An empty or whitespace-only text gives an input with zero
     * words and no tokens (the caller skips the model, as the reference does).
     *
     * @throws IllegalArgumentException for invalid labels, or if the prompt alone exceeds the token limit
     */
    public EncodedInput build(String text, List<String> entityLabels, List<String> relationLabels) {
        return build(text, entityLabels, relationLabels, false);
    }

    /**
     * As {@link #build(String, List, List)}; with {@code preTokenized} the text is split on whitespace
     * only, so already tokenized text (dataset tokens joined by spaces) keeps exactly its tokens as words,
     * as the reference's training and evaluation use {@code tokenized_text}.
     */
    public EncodedInput build(String text, List<String> entityLabels, List<String> relationLabels, boolean preTokenized) {
        if (text == null) throw new IllegalArgumentException("text must not be null");
        List<String> ents = labels(entityLabels, "entity");
        List<String> rels = labels(relationLabels, "relation");
        if (ents.isEmpty()) throw new IllegalArgumentException("at least one entity label is required");
        int promptLength = 2 * ents.size() + 1 + 2 * rels.size() + 1;

        List<Word> all = preTokenized ? splitter.splitOnWhitespace(text) : splitter.split(text);
        if (all.isEmpty()) {
            return new EncodedInput(new int[0], new int[0], List.of(), 0, ents, rels, promptLength);
        }
        List<String> prompt = promptWords(ents, rels);
        int keep = Math.min(all.size(), maxLen);
        RelexTokenizer.WordEncoding enc = tokenizer.encodeWords(withText(prompt, all, keep));
        while (enc.size() > maxTokens) {
            int fitting = wordsWithinLimit(enc, promptLength, ents.size(), rels.size());
            // Sub-word tokenization is per word, so the prefix fits; the loop only guards that assumption.
            keep = Math.min(fitting, keep - 1);
            enc = tokenizer.encodeWords(withText(prompt, all, keep));
        }
        int[] mask = wordsMask(enc.wordIds(), promptLength);
        return new EncodedInput(enc.ids(), mask, List.copyOf(all.subList(0, keep)), all.size(), ents, rels, promptLength);
    }

    /**
     * Encodes pre-split words (the reference's {@code tokenized_text}) joined by single spaces; word k of
     * the result is {@code words.get(k)} with offsets into that joined text.
     *
     * @throws IllegalArgumentException if a word is empty or contains whitespace (it would not stay one word)
     */
    public EncodedInput buildWords(List<String> words, List<String> entityLabels, List<String> relationLabels) {
        return build(joinWords(words), entityLabels, relationLabels, true);
    }

    /** The words joined by single spaces, after checking that each stays one word when split on whitespace. */
    public static String joinWords(List<String> words) {
        if (words == null) throw new IllegalArgumentException("words must not be null");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w == null || w.isEmpty()) throw new IllegalArgumentException("word " + i + " is empty");
            for (int k = 0; k < w.length(); ) {
                int cp = w.codePointAt(k);
                if (WordSplitter.isWhitespace(cp)) {
                    throw new IllegalArgumentException("word " + i + " '" + w + "' contains whitespace (U+"
                            + String.format("%04X", cp) + ")");
                }
                k += Character.charCount(cp);
            }
            if (i > 0) sb.append(' ');
            sb.append(w);
        }
        return sb.toString();
    }

    /** Number of leading text words whose tokens fit in {@link #maxTokens} together with the trailing specials. */
    private int wordsWithinLimit(RelexTokenizer.WordEncoding enc, int promptLength, int entityCount, int relationCount) {
        int[] wordIds = enc.wordIds();
        int n = wordIds.length;
        int tail = 0;
        while (tail < n && wordIds[n - 1 - tail] < 0) tail++;
        int firstText = n - tail;
        for (int t = 0; t < n - tail; t++) {
            if (wordIds[t] >= promptLength) {
                firstText = t;
                break;
            }
        }
        if (firstText + tail > maxTokens) {
            throw new IllegalArgumentException("the prompt of " + entityCount + " entity and " + relationCount
                    + " relation labels takes " + (firstText + tail) + " tokens with special tokens, but the encoder"
                    + " accepts at most " + maxTokens + " tokens; use fewer or shorter labels");
        }
        int budget = maxTokens - tail; // tokens [0, budget) may hold prompt and text
        for (int t = budget; t < n - tail; t++) {
            if (wordIds[t] >= promptLength) return wordIds[t] - promptLength;
        }
        return Integer.MAX_VALUE;
    }

    private static List<String> withText(List<String> prompt, List<Word> words, int keep) {
        List<String> all = new ArrayList<>(prompt.size() + keep);
        all.addAll(prompt);
        for (int i = 0; i < keep; i++) all.add(words.get(i).text());
        return all;
    }

    /** The prompt word list {@code <<ENT>> e1 … <<ENT>> eC <<SEP>> <<REL>> r1 … <<REL>> rR <<SEP>>}. */
    public List<String> promptWords(List<String> entityLabels, List<String> relationLabels) {
        List<String> words = new ArrayList<>(2 * entityLabels.size() + 2 * relationLabels.size() + 2);
        for (String e : entityLabels) {
            words.add(config.entToken());
            words.add(e);
        }
        words.add(config.sepToken());
        for (String r : relationLabels) {
            words.add(config.relToken());
            words.add(r);
        }
        words.add(config.sepToken());
        return words;
    }

    /**
     * Validates labels and removes duplicates keeping the first occurrence (Python
     * {@code dict.fromkeys}). Labels are used as given (no trimming or case folding).
     *
     * @param kind "entity" or "relation", for messages
     */
    public List<String> labels(List<String> labels, String kind) {
        if (labels == null) throw new IllegalArgumentException(kind + " labels must not be null (use an empty list)");
        Set<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label == null) throw new IllegalArgumentException(kind + " label " + i + " is null");
            if (label.isBlank()) {
                throw new IllegalArgumentException(kind + " label " + i + " is empty or blank: \"" + label + "\"");
            }
            for (String marker : markerTokens) {
                if (label.contains(marker)) {
                    throw new IllegalArgumentException(kind + " label " + i + " \"" + label + "\" contains the prompt marker "
                            + marker + ", which would corrupt the prompt");
                }
            }
            unique.add(label);
        }
        return List.copyOf(unique);
    }

    /**
     * The words mask of spec §2.5: walking the tokens, a change of word id advances a counter; the first
     * token of the counter's {@code k}-th text word (after {@code promptLength} prompt words) gets k,
     * every other token 0. Counting changes instead of reading the id reproduces the reference also when
     * a word produced no token.
     */
    public static int[] wordsMask(int[] wordIds, int promptLength) {
        int[] mask = new int[wordIds.length];
        int seen = 0;
        int previous = -1;
        for (int t = 0; t < wordIds.length; t++) {
            int w = wordIds[t];
            if (w >= 0 && w != previous) {
                seen++;
                if (seen > promptLength) mask[t] = seen - promptLength;
            }
            previous = w;
        }
        return mask;
    }

    public RelexTokenizer.MarkerIds markerIds() {
        return markers;
    }

    /** Most text words per sequence ({@code max_len}). */
    public int maxLen() {
        return maxLen;
    }

    /** Most tokens per sequence, or {@link #UNLIMITED}. */
    public int maxTokens() {
        return maxTokens;
    }

    public RelexTokenizer tokenizer() {
        return tokenizer;
    }

    public WordSplitter splitter() {
        return splitter;
    }
}
