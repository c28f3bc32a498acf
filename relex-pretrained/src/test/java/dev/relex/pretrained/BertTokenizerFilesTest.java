package dev.relex.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.text.RelexTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The written {@code tokenizer.json} loaded by relex-core's {@link RelexTokenizer} (the Hugging Face
 * tokenizers library through DJL) must tokenize as the reference: hand-written ids on small vocabularies,
 * and the reference's own input ids of every golden relex-bert-span-gcn example (bge-small vocabulary).
 */
class BertTokenizerFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Path goldenBert() {
        return Pretrained.shared().resolve("golden/relex-bert-span-gcn");
    }

    private static int[] ids(RelexTokenizer t, String... words) {
        return t.encodeWords(List.of(words)).ids();
    }

    @Test
    void uncasedVocabularyTokenizesHelloWorldWithVocabTxtIds() throws IOException {
        Path vocab = goldenBert().resolve("model/vocab.txt");
        assumeTrue(Files.isRegularFile(vocab), "shared golden data not found");
        BertTokenizerFiles files = BertTokenizerFiles.fromVocabulary(BertTokenizerFiles.readVocabTxt(vocab), true, 512);
        files.writeTo(dir);
        assertEquals(Map.of("<<ENT>>", 30522, "<<SEP>>", 30523, "<<REL>>", 30524), files.markerIds());
        assertEquals(30525, files.totalSize());
        try (RelexTokenizer t = RelexTokenizer.load(dir.resolve("tokenizer.json"))) {
            // Line numbers (0-based) of vocab.txt: [CLS] 101, hello 7592, "," 1010, world 2088, "!" 999, [SEP] 102.
            assertArrayEquals(new int[] {101, 7592, 1010, 2088, 999, 102}, ids(t, "Hello,", "world!"));
            assertArrayEquals(new int[] {101, 30522, 7592, 30523, 30524, 102}, ids(t, "<<ENT>>", "HELLO", "<<SEP>>", "<<REL>>"));
            assertEquals(512, t.modelMaxLength().orElse(-1));
        }
    }

    /** A tiny cased vocabulary: cased lookup, accents kept, WordPiece continuation, unknown words. */
    @Test
    void casedAndUncasedNormalisationOnAHandVocabulary() throws IOException {
        List<String> vocab = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "Hello", "##s", "wor", "##ld", "!", "héllo");
        Path cased = dir.resolve("cased");
        BertTokenizerFiles.fromVocabulary(vocab, false, 512).writeTo(cased);
        try (RelexTokenizer t = RelexTokenizer.load(cased.resolve("tokenizer.json"))) {
            assertArrayEquals(new int[] {2, 6, 7, 8, 9, 10, 3}, ids(t, "Hellos", "world!"));
            assertArrayEquals(new int[] {2, 11, 1, 3}, ids(t, "héllo", "HELLO"));      // cased: no lower-casing, accents kept
            assertArrayEquals(new int[] {2, 4, 12, 3}, ids(t, "[MASK]", "<<ENT>>"));     // specials and markers stay whole
            assertArrayEquals(new int[] {2, 1, 3}, ids(t, "x".repeat(101)));             // > max_input_chars_per_word
        }
        Path uncased = dir.resolve("uncased");
        BertTokenizerFiles.fromVocabulary(vocab, true, 512).writeTo(uncased);
        try (RelexTokenizer t = RelexTokenizer.load(uncased.resolve("tokenizer.json"))) {
            assertArrayEquals(new int[] {2, 5, 5, 5, 7, 3}, ids(t, "Héllo", "HELLO", "hellos")); // lower-cased, accents stripped
        }
    }

    @Test
    void goldenInputIdsFromTheVocabTxtTokenizer() throws IOException {
        Path vocab = goldenBert().resolve("model/vocab.txt");
        assumeTrue(Files.isRegularFile(vocab), "shared golden data not found");
        BertTokenizerFiles.fromVocabulary(BertTokenizerFiles.readVocabTxt(vocab), true, 512).writeTo(dir);
        assertReproducesGoldenIds(dir.resolve("tokenizer.json"));
    }

    @Test
    void goldenInputIdsFromTheBgeJarTokenizer() throws IOException {
        assumeTrue(Files.isDirectory(goldenBert()), "shared golden data not found");
        PretrainedFiles bge = Pretrained.files(PretrainedEncoder.BGE_SMALL_EN_V15);
        BertTokenizerFiles files = BertTokenizerFiles.fromTokenizerJson(bge.tokenizerJson(), 512);
        assertEquals(Map.of("<<ENT>>", 30522, "<<SEP>>", 30523, "<<REL>>", 30524), files.markerIds());
        files.writeTo(dir);
        // The vocabulary written beside it equals the reference's vocab.txt line by line.
        assertEquals(Files.readAllLines(goldenBert().resolve("model/vocab.txt")), Files.readAllLines(dir.resolve("vocab.txt")));
        assertReproducesGoldenIds(dir.resolve("tokenizer.json"));
    }

    /**
     * Rebuilds the reference's word sequence (prompt: {@code <<ENT>>} label … {@code <<SEP>>} {@code <<REL>>}
     * relation … {@code <<SEP>>}, labels de-duplicated, then the text's words) and compares the ids.
     */
    private static void assertReproducesGoldenIds(Path tokenizerJson) throws IOException {
        JsonNode inputs = JSON.readTree(goldenBert().resolve("inputs.json").toFile()).get("examples");
        JsonNode expected = JSON.readTree(goldenBert().resolve("expected.json").toFile()).get("examples");
        int compared = 0;
        try (RelexTokenizer t = RelexTokenizer.load(tokenizerJson)) {
            for (int e = 0; e < expected.size(); e++) {
                JsonNode in = inputs.get(e);
                assertEquals(in.get("id").asText(), expected.get(e).get("id").asText());
                List<String> prompt = new ArrayList<>();
                for (String l : distinct(in.get("entity_labels"))) {
                    prompt.add("<<ENT>>");
                    prompt.add(l);
                }
                prompt.add("<<SEP>>");
                for (String r : distinct(in.get("relation_labels"))) {
                    prompt.add("<<REL>>");
                    prompt.add(r);
                }
                prompt.add("<<SEP>>");
                for (JsonNode text : expected.get(e).get("per_text")) {
                    JsonNode goldIds = text.get("input_ids");
                    if (goldIds == null || goldIds.isEmpty()) continue;
                    List<String> words = new ArrayList<>(prompt);
                    for (JsonNode w : text.get("words")) words.add(w.get(0).asText());
                    int[] want = new int[goldIds.size()];
                    for (int i = 0; i < want.length; i++) want[i] = goldIds.get(i).asInt();
                    assertArrayEquals(want, t.encodeWords(words).ids(), in.get("id").asText() + ": " + text.get("text"));
                    compared++;
                }
            }
        }
        assertTrue(compared >= 10, "compared only " + compared + " texts");
    }

    private static List<String> distinct(JsonNode labels) {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        labels.forEach(l -> s.add(l.asText()));
        return new ArrayList<>(s);
    }
}
