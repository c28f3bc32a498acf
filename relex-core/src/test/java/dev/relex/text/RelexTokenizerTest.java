package dev.relex.text;

import dev.relex.golden.RelexGolden;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.GlinerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The DJL-backed tokenizer on the golden checkpoints' tokenizer.json files (DeBERTa-v3 spm and BERT WordPiece). */
class RelexTokenizerTest {

    static Path deberta;
    static Path bert;
    static RelexTokenizer debertaTok;
    static RelexTokenizer bertTok;

    @BeforeAll
    static void load() {
        Path g = RelexGolden.golden();
        deberta = g.resolve("relex-span-gcn/model");
        bert = g.resolve("relex-bert-span-gcn/model");
        assumeTrue(Files.isRegularFile(deberta.resolve("tokenizer.json")) && Files.isRegularFile(bert.resolve("tokenizer.json")),
                "golden tokenizers not present");
        debertaTok = RelexTokenizer.load(deberta.resolve("tokenizer.json"));
        bertTok = RelexTokenizer.load(bert); // directory form
    }

    @AfterAll
    static void close() {
        if (debertaTok != null) debertaTok.close();
        if (bertTok != null) bertTok.close();
    }

    @Test
    void preSplitWordsEachGetTheirOwnMetaspace() {
        // Spec §2.4: as a string "Hello," gives ▁Hello ,; as pre-split words ▁Hello ▁, .
        RelexTokenizer.WordEncoding e = debertaTok.encodeWords(List.of("Hello", ","));
        assertEquals(List.of("[CLS]", "▁Hello", "▁,", "[SEP]"), List.of(e.tokens()));
        assertArrayEquals(new int[] {-1, 0, 1, -1}, e.wordIds());
        assertEquals(1, e.ids()[0]);
        assertEquals(2, e.ids()[3]);
        // A label with a space stays one word (both pieces carry word id 0).
        RelexTokenizer.WordEncoding label = debertaTok.encodeWordsNoSpecial(List.of("founded by"));
        assertEquals(List.of("▁founded", "▁by"), List.of(label.tokens()));
        assertArrayEquals(new int[] {0, 0}, label.wordIds());
    }

    @Test
    void bertLowercasesAndSplitsPieces() {
        RelexTokenizer.WordEncoding e = bertTok.encodeWords(List.of("Hello", "city or country"));
        assertEquals(List.of("[CLS]", "hello", "city", "or", "country", "[SEP]"), List.of(e.tokens()));
        assertArrayEquals(new int[] {-1, 0, 1, 1, 1, -1}, e.wordIds());
        assertEquals(101, e.ids()[0]);
        assertEquals(102, e.ids()[5]);
    }

    @Test
    void markerIdsMatchConfigs() throws IOException {
        GlinerConfig debertaConfig = GlinerConfig.read(deberta.resolve("gliner_config.json"));
        assertEquals(new RelexTokenizer.MarkerIds(128001, 128002, 128003), debertaTok.markerIds(debertaConfig));
        GlinerConfig bertConfig = GlinerConfig.read(bert.resolve("gliner_config.json"));
        assertEquals(new RelexTokenizer.MarkerIds(30522, 30523, 30524), bertTok.markerIds(bertConfig));
        assertEquals(128002, debertaTok.singleTokenId("<<SEP>>").orElseThrow());
        assertTrue(debertaTok.singleTokenId("<<NOPE>>").isEmpty());
    }

    @Test
    void markerMismatchIsAClearError() throws IOException {
        GlinerConfig wrongIndex = modified(deberta, "class_token_index", 128002);
        CheckpointException e = assertThrows(CheckpointException.class, () -> debertaTok.markerIds(wrongIndex));
        assertTrue(e.getMessage().contains("class_token_index is 128002") && e.getMessage().contains("128001"), e.getMessage());

        GlinerConfig wrongRel = modified(deberta, "rel_token_index", 5);
        e = assertThrows(CheckpointException.class, () -> debertaTok.markerIds(wrongRel));
        assertTrue(e.getMessage().contains("rel_token_index is 5"), e.getMessage());

        // The BERT checkpoint's config with the DeBERTa tokenizer: ids differ.
        GlinerConfig bertConfig = GlinerConfig.read(bert.resolve("gliner_config.json"));
        assertThrows(CheckpointException.class, () -> debertaTok.markerIds(bertConfig));

        GlinerConfig unknownSep = modified(deberta, "sep_token", "<<SEPARATOR>>");
        e = assertThrows(CheckpointException.class, () -> debertaTok.markerIds(unknownSep));
        assertTrue(e.getMessage().contains("sep_token <<SEPARATOR>>") && e.getMessage().contains("single token"), e.getMessage());
    }

    static GlinerConfig modified(Path modelDir, String key, Object value) throws IOException {
        ObjectNode n = (ObjectNode) new ObjectMapper().readTree(modelDir.resolve("gliner_config.json").toFile());
        if (value instanceof Integer i) n.put(key, i);
        else n.put(key, (String) value);
        return GlinerConfig.fromJson(n);
    }

    @Test
    void noTruncationAndNoPaddingEvenWhenTokenizerJsonAsksForIt() {
        // bge-small's tokenizer.json configures truncation at 512; we must see every token.
        List<String> words = Collections.nCopies(700, "word");
        RelexTokenizer.WordEncoding b = bertTok.encodeWords(words);
        assertEquals(702, b.size());
        assertEquals(699, b.wordIds()[700]);
        RelexTokenizer.WordEncoding d = debertaTok.encodeWords(words);
        assertEquals(702, d.size());
        // DeBERTa's tokenizer.json pads to the longest of a batch; a single short input is not padded.
        assertEquals(3, debertaTok.encodeWords(List.of("x")).size());
    }

    @Test
    void modelMaxLengthFromTokenizerConfig() {
        assertTrue(debertaTok.modelMaxLength().isEmpty(), "1e30 sentinel means no limit");
        assertEquals(512, bertTok.modelMaxLength().orElseThrow());
    }

    @Test
    void djlStaysOffline() {
        assertEquals("true", System.getProperty("ai.djl.offline", System.getenv("DJL_OFFLINE")));
    }

    @Test
    void missingFileIsAClearError(@org.junit.jupiter.api.io.TempDir Path dir) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> RelexTokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void closedTokenizerRefusesWork() {
        RelexTokenizer t = RelexTokenizer.load(deberta);
        t.close();
        t.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> t.encodeWords(List.of("a")));
    }

    @Test
    void concurrentEncodingGivesSequentialResults() throws Exception {
        Random random = new Random(3);
        String[] vocab = {"Ada", "Lovelace", "東京", "🎉", ",", "state-of-the-art", "Zoë", "founded by", "<<ENT>>", "[SEP]", "x"};
        List<List<String>> inputs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            List<String> words = new ArrayList<>();
            int n = 1 + random.nextInt(60);
            for (int j = 0; j < n; j++) words.add(vocab[random.nextInt(vocab.length)]);
            inputs.add(words);
        }
        for (RelexTokenizer tok : List.of(debertaTok, bertTok)) {
            List<RelexTokenizer.WordEncoding> sequential = inputs.stream().map(tok::encodeWords).toList();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> futures = new ArrayList<>();
                for (int thread = 0; thread < 4; thread++) {
                    int offset = thread;
                    futures.add(pool.submit(() -> {
                        for (int round = 0; round < 5; round++) {
                            for (int i = 0; i < inputs.size(); i++) {
                                int k = (i * 7 + offset * 13 + round) % inputs.size();
                                RelexTokenizer.WordEncoding e = tok.encodeWords(inputs.get(k));
                                RelexTokenizer.WordEncoding s = sequential.get(k);
                                if (!java.util.Arrays.equals(e.ids(), s.ids()) || !java.util.Arrays.equals(e.wordIds(), s.wordIds())) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> f : futures) assertTrue(f.get(), "a concurrent encoding differed");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
