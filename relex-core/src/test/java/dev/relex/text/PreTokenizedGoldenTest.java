package dev.relex.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.golden.RelexGolden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Pre-tokenized input (the reference's {@code tokenized_text}): the training batches in
 * {@code golden/training/*} were collated by the reference from fixed word lists and label sets, so their
 * {@code input_ids} and {@code words_mask} are what {@link InputBuilder#buildWords} must produce.
 */
class PreTokenizedGoldenTest {

    @TestFactory
    Stream<DynamicTest> trainingBatchesTokenizeAsTheReference() throws IOException {
        Path training = RelexGolden.golden().resolve("training");
        assumeTrue(Files.isDirectory(training), "no golden training cases under " + training);
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(training)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path modelCase = RelexGolden.golden().resolve(dir.getFileName());
                tests.add(DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir, modelCase)));
            }
        }
        assertFalse(tests.isEmpty(), "no training case folders in " + training);
        return tests.stream();
    }

    private static void check(Path dir, Path modelCase) throws IOException {
        GlinerConfig config = GlinerConfig.read(modelCase.resolve("model/gliner_config.json"));
        JsonNode batch = RelexGolden.JSON.readTree(dir.resolve("batch.json").toFile());
        try (RelexTokenizer tokenizer = RelexTokenizer.load(RelexGolden.tokenizerFor(modelCase));
             SafeTensors t = SafeTensors.open(dir.resolve("batch.safetensors"))) {
            InputBuilder builder = new InputBuilder(tokenizer, config);
            long[] ids = t.longs("input_ids");
            long[] attention = t.longs("attention_mask");
            long[] wordsMask = t.longs("words_mask");
            int rows = batch.get("examples").size();
            int seq = ids.length / rows;
            for (int b = 0; b < rows; b++) {
                JsonNode ex = batch.get("examples").get(b);
                EncodedInput in = builder.buildWords(strings(ex.get("tokenized_text")), strings(ex.get("ner_labels")),
                        strings(ex.get("rel_labels")));
                int len = 0;
                while (len < seq && attention[b * seq + len] != 0) len++;
                long[] expectedIds = Arrays.copyOfRange(ids, b * seq, b * seq + len);
                long[] expectedMask = Arrays.copyOfRange(wordsMask, b * seq, b * seq + len);
                assertArrayEquals(expectedIds, Arrays.stream(in.inputIds()).asLongStream().toArray(), "input_ids row " + b);
                assertArrayEquals(expectedMask, Arrays.stream(in.wordsMask()).asLongStream().toArray(), "words_mask row " + b);
                assertEquals(ex.get("tokenized_text").size(), in.textLength(), "words row " + b);
            }
        }
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void wordsStayWholeAndBadWordsAreRefused() {
        WordSplitter s = new WordSplitter();
        List<Word> w = s.splitOnWhitespace(" U.S.  co-founded\tit's\n");
        assertEquals(List.of("U.S.", "co-founded", "it's"), w.stream().map(Word::text).toList());
        assertEquals(1, w.get(0).start());
        assertEquals(5, w.get(0).end());
        assertEquals("U.S. co-founded it's", InputBuilder.joinWords(List.of("U.S.", "co-founded", "it's")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputBuilder.joinWords(List.of("a", "b c")));
        assertTrue(e.getMessage().contains("word 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InputBuilder.joinWords(List.of("a", "")));
    }
}
