package dev.relex.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.CheckpointException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer files of a GLiNER checkpoint with a BERT WordPiece backbone, as the reference's
 * {@code save_pretrained} writes them: {@code tokenizer.json} (Hugging Face tokenizers format),
 * {@code tokenizer_config.json}, {@code special_tokens_map.json}, {@code added_tokens.json} and
 * {@code vocab.txt}, with GLiNER's marker tokens {@code <<ENT>>}, {@code <<SEP>>}, {@code <<REL>>} added
 * as special tokens with the next free ids (as {@code tokenizer.add_tokens(..., special_tokens=True)}).
 *
 * <p>From a bare vocabulary ({@code vocab.txt}) the {@code tokenizer.json} is what transformers'
 * {@code BertConverter} produces: normalizer {@code BertNormalizer} (clean_text, handle_chinese_chars,
 * strip_accents null = follow lowercase, lowercase as the model), pre-tokenizer {@code BertPreTokenizer},
 * model {@code WordPiece} ({@code [UNK]}, prefix {@code ##}, max_input_chars_per_word 100),
 * post-processor {@code TemplateProcessing} {@code [CLS] $A [SEP]} / {@code [CLS] $A [SEP] $B:1 [SEP]:1},
 * decoder {@code WordPiece}.
 */
public final class BertTokenizerFiles {
    /** GLiNER's prompt markers, in the order the reference adds them. */
    public static final List<String> MARKERS = List.of("<<ENT>>", "<<SEP>>", "<<REL>>");
    static final List<String> BERT_SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode tokenizerJson;
    private final List<String> vocab;
    private final boolean lowercase;
    private final Map<String, Integer> markerIds;
    private final int modelMaxLength;

    private BertTokenizerFiles(ObjectNode tokenizerJson, List<String> vocab, boolean lowercase,
                               Map<String, Integer> markerIds, int modelMaxLength) {
        this.tokenizerJson = tokenizerJson;
        this.vocab = vocab;
        this.lowercase = lowercase;
        this.markerIds = markerIds;
        this.modelMaxLength = modelMaxLength;
    }

    /** From a WordPiece vocabulary (token of id i on line i) and the model's lower-casing flag. */
    public static BertTokenizerFiles fromVocabulary(List<String> vocab, boolean lowercase, int modelMaxLength) {
        Map<String, Integer> ids = idsOf(vocab);
        for (String s : BERT_SPECIALS) {
            if (!ids.containsKey(s)) throw new CheckpointException("the vocabulary has no " + s + " token");
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : BERT_SPECIALS) added.add(addedToken(ids.get(s), s));
        ObjectNode norm = root.putObject("normalizer");
        norm.put("type", "BertNormalizer");
        norm.put("clean_text", true);
        norm.put("handle_chinese_chars", true);
        norm.putNull("strip_accents");
        norm.put("lowercase", lowercase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.add(special("[CLS]", 0));
        single.add(sequence("A", 0));
        single.add(special("[SEP]", 0));
        ArrayNode pair = post.putArray("pair");
        pair.add(special("[CLS]", 0));
        pair.add(sequence("A", 0));
        pair.add(special("[SEP]", 0));
        pair.add(sequence("B", 1));
        pair.add(special("[SEP]", 1));
        ObjectNode specials = post.putObject("special_tokens");
        for (String s : List.of("[CLS]", "[SEP]")) {
            ObjectNode t = specials.putObject(s);
            t.put("id", s);
            t.putArray("ids").add(ids.get(s));
            t.putArray("tokens").add(s);
        }
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "WordPiece");
        dec.put("prefix", "##");
        dec.put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece");
        model.put("unk_token", "[UNK]");
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        ObjectNode v = model.putObject("vocab");
        for (Map.Entry<String, Integer> e : ids.entrySet()) v.put(e.getKey(), e.getValue());
        return withMarkers(root, vocab, lowercase, modelMaxLength);
    }

    /** From a shipped {@code tokenizer.json} (kept as is apart from the added markers). */
    public static BertTokenizerFiles fromTokenizerJson(Path tokenizerJson, int modelMaxLength) {
        JsonNode n;
        try {
            n = JSON.readTree(tokenizerJson.toFile());
        } catch (IOException e) {
            throw new CheckpointException(tokenizerJson + ": invalid JSON: " + e.getMessage(), e);
        }
        if (!(n instanceof ObjectNode root) || !"WordPiece".equals(root.path("model").path("type").asText())) {
            throw new CheckpointException(tokenizerJson + " is not a WordPiece tokenizer.json");
        }
        JsonNode normalizer = root.path("normalizer");
        boolean lowercase = normalizer.path("lowercase").asBoolean(false);
        return withMarkers(root, vocabOf(root, tokenizerJson), lowercase, modelMaxLength);
    }

    private static BertTokenizerFiles withMarkers(ObjectNode root, List<String> vocab, boolean lowercase, int modelMaxLength) {
        ArrayNode added = (ArrayNode) root.get("added_tokens");
        if (added == null) added = root.putArray("added_tokens");
        int next = vocab.size();
        for (JsonNode t : added) {
            if (MARKERS.contains(t.path("content").asText())) {
                throw new CheckpointException("the tokenizer already has GLiNER marker " + t.path("content").asText());
            }
            next = Math.max(next, t.path("id").asInt() + 1);
        }
        Map<String, Integer> markerIds = new LinkedHashMap<>();
        for (String m : MARKERS) {
            markerIds.put(m, next);
            added.add(addedToken(next, m));
            next++;
        }
        return new BertTokenizerFiles(root, List.copyOf(vocab), lowercase, markerIds, modelMaxLength);
    }

    private static ObjectNode addedToken(int id, String content) {
        ObjectNode t = JSON.createObjectNode();
        t.put("id", id);
        t.put("content", content);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", false);
        t.put("special", true);
        return t;
    }

    private static ObjectNode special(String id, int typeId) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode s = o.putObject("SpecialToken");
        s.put("id", id);
        s.put("type_id", typeId);
        return o;
    }

    private static ObjectNode sequence(String id, int typeId) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode s = o.putObject("Sequence");
        s.put("id", id);
        s.put("type_id", typeId);
        return o;
    }

    /**
     * Token → id as transformers' {@code load_vocab} builds it: line i (without its newline) has id i;
     * a token listed twice keeps its last id.
     */
    private static Map<String, Integer> idsOf(List<String> vocab) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < vocab.size(); i++) ids.put(vocab.get(i), i);
        return ids;
    }

    /** Reads {@code vocab.txt}: one token per line, UTF-8, id = line number. */
    public static List<String> readVocabTxt(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
            if (lines.isEmpty()) throw new CheckpointException(file + ": empty vocabulary");
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vocabulary " + file, e);
        }
    }

    /** The vocabulary of a WordPiece {@code tokenizer.json} in id order; ids must be 0..n-1 without gaps. */
    static List<String> vocabOf(JsonNode root, Path file) {
        JsonNode v = root.path("model").path("vocab");
        if (!v.isObject() || v.isEmpty()) throw new CheckpointException(file + ": no model.vocab");
        String[] byId = new String[v.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = e.getValue().asInt(-1);
            if (id < 0 || id >= byId.length || byId[id] != null) {
                throw new CheckpointException(file + ": model.vocab ids are not 0.." + (byId.length - 1)
                        + " without gaps (token '" + e.getKey() + "' has id " + e.getValue() + ")");
            }
            byId[id] = e.getKey();
        }
        return List.of(byId);
    }

    /** Id of each marker token. */
    public Map<String, Integer> markerIds() {
        return markerIds;
    }

    /** Vocabulary size including the added markers (rows of the resized word embedding). */
    public int totalSize() {
        int max = 0;
        for (JsonNode t : tokenizerJson.get("added_tokens")) max = Math.max(max, t.path("id").asInt());
        return Math.max(vocab.size(), max + 1);
    }

    public boolean lowercase() {
        return lowercase;
    }

    public List<String> vocabulary() {
        return vocab;
    }

    /** The {@code tokenizer.json} tree (not a copy). */
    public ObjectNode tokenizerJson() {
        return tokenizerJson;
    }

    /** Writes {@code tokenizer.json}, {@code tokenizer_config.json}, {@code special_tokens_map.json}, {@code added_tokens.json}, {@code vocab.txt}. */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer.json").toFile(), tokenizerJson);

        ObjectNode cfg = JSON.createObjectNode();
        ObjectNode decoder = cfg.putObject("added_tokens_decoder");
        for (JsonNode t : tokenizerJson.get("added_tokens")) {
            ObjectNode d = decoder.putObject(Integer.toString(t.path("id").asInt()));
            d.put("content", t.path("content").asText());
            d.put("lstrip", false);
            d.put("normalized", false);
            d.put("rstrip", false);
            d.put("single_word", false);
            d.put("special", true);
        }
        cfg.put("clean_up_tokenization_spaces", true);
        cfg.put("cls_token", "[CLS]");
        cfg.put("do_basic_tokenize", true);
        cfg.put("do_lower_case", lowercase);
        cfg.putObject("extra_special_tokens");
        cfg.put("mask_token", "[MASK]");
        cfg.put("model_max_length", modelMaxLength);
        cfg.putNull("never_split");
        cfg.put("pad_token", "[PAD]");
        cfg.put("sep_token", "[SEP]");
        cfg.putNull("strip_accents");
        cfg.put("tokenize_chinese_chars", true);
        cfg.put("tokenizer_class", "BertTokenizer");
        cfg.put("unk_token", "[UNK]");
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(), cfg);

        ObjectNode map = JSON.createObjectNode();
        for (String[] kv : new String[][] {{"cls_token", "[CLS]"}, {"mask_token", "[MASK]"}, {"pad_token", "[PAD]"},
                {"sep_token", "[SEP]"}, {"unk_token", "[UNK]"}}) {
            ObjectNode t = map.putObject(kv[0]);
            t.put("content", kv[1]);
            t.put("lstrip", false);
            t.put("normalized", false);
            t.put("rstrip", false);
            t.put("single_word", false);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("special_tokens_map.json").toFile(), map);

        ObjectNode addedJson = JSON.createObjectNode();
        markerIds.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> addedJson.put(e.getKey(), e.getValue()));
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("added_tokens.json").toFile(), addedJson);

        Files.writeString(dir.resolve("vocab.txt"), String.join("\n", vocab) + "\n", StandardCharsets.UTF_8);
    }
}
