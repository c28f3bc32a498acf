package dev.relex.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.GlinerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The checkpoint's Hugging Face tokenizer ({@code tokenizer.json}, run by the native {@code tokenizers}
 * library through DJL), fed pre-split words the way GLiNER calls
 * {@code tokenizer(words, is_split_into_words=True)} (spec §2.4).
 *
 * <p>Words go through DJL's {@code HuggingFaceTokenizer.encode(String[], addSpecialTokens, false)},
 * which hands the array to the Rust tokenizer as a pre-tokenized input: every word is normalised and
 * pre-tokenized on its own (SentencePiece gives each word its own leading {@code ▁}), the
 * post-processor adds {@code [CLS]}/{@code [SEP]}, and the word ids are the indices of the input
 * words. Truncation and padding are switched off (whatever {@code tokenizer.json} says): the caller
 * truncates by words and reports it.
 *
 * <p>Loading never touches the network: DJL's offline mode and telemetry opt-out are switched on
 * (unless the application set them) before DJL is first used, so the bundled native library is taken
 * from the jar and no "call home" request is made.
 *
 * <p>Thread-safe: the native tokenizer is immutable and encodes concurrently; a read-write lock only
 * keeps {@link #close} from freeing it under a running call.
 */
public final class RelexTokenizer implements AutoCloseable {

    /** {@code model_max_length} values at or above this are "no limit" sentinels (e.g. 1e30 in DeBERTa configs). */
    private static final double SANE_MODEL_MAX_LENGTH = 1e6;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Ids of a pre-split word list. {@code wordIds[t]} is the input word index of token t, −1 for special tokens. */
    public record WordEncoding(int[] ids, int[] wordIds, String[] tokens) {
        public int size() {
            return ids.length;
        }
    }

    /** Ids of GLiNER's three prompt marker tokens. */
    public record MarkerIds(int entity, int separator, int relation) {}

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final OptionalInt modelMaxLength;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private RelexTokenizer(Path file, HuggingFaceTokenizer tokenizer, OptionalInt modelMaxLength) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.modelMaxLength = modelMaxLength;
    }

    /**
     * Loads {@code tokenizer.json} (a file, or a directory that contains one). A
     * {@code tokenizer_config.json} next to it, if present, supplies {@link #modelMaxLength()}.
     */
    public static RelexTokenizer load(Path tokenizerJson) {
        Path file = Files.isDirectory(tokenizerJson) ? tokenizerJson.resolve("tokenizer.json") : tokenizerJson;
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("tokenizer file not found: " + file);
        }
        keepDjlOffline();
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(file, Map.of(
                    "addSpecialTokens", "true",
                    "withOverflowingTokens", "false",
                    "truncation", "false",
                    "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("cannot load tokenizer " + file + ": " + e.getMessage(), e);
        }
        if (!"DO_NOT_TRUNCATE".equals(hf.getTruncation()) || !"DO_NOT_PAD".equals(hf.getPadding())) {
            hf.close();
            throw new CheckpointException("could not switch off truncation/padding of tokenizer " + file
                    + " (truncation " + hf.getTruncation() + ", padding " + hf.getPadding() + ")");
        }
        Path dir = file.toAbsolutePath().getParent();
        return new RelexTokenizer(file, hf, readModelMaxLength(dir == null ? null : dir.resolve("tokenizer_config.json")));
    }

    /** DJL would otherwise query EC2 metadata / telemetry endpoints and may look for a GPU build online. */
    private static void keepDjlOffline() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    private static OptionalInt readModelMaxLength(Path config) {
        if (config == null || !Files.isRegularFile(config)) return OptionalInt.empty();
        JsonNode n;
        try {
            n = JSON.readTree(config.toFile());
        } catch (IOException e) {
            throw new CheckpointException(config + ": invalid JSON: " + e.getMessage(), e);
        }
        JsonNode v = n == null ? null : n.get("model_max_length");
        if (v == null || v.isNull()) return OptionalInt.empty();
        if (!v.isNumber()) {
            throw new CheckpointException(config + ": model_max_length is not a number: " + v);
        }
        double d = v.asDouble();
        if (d <= 0 || d >= SANE_MODEL_MAX_LENGTH) return OptionalInt.empty();
        return OptionalInt.of((int) d);
    }

    /**
     * Tokenizes a pre-split word list like {@code tokenizer(words, is_split_into_words=True)}: with
     * the post-processor's special tokens, no truncation, no padding.
     */
    public WordEncoding encodeWords(List<String> words) {
        return encode(words, true);
    }

    /** Same as {@link #encodeWords} without special tokens. */
    public WordEncoding encodeWordsNoSpecial(List<String> words) {
        return encode(words, false);
    }

    private WordEncoding encode(List<String> words, boolean addSpecialTokens) {
        String[] input = new String[words.size()];
        for (int i = 0; i < input.length; i++) {
            String w = words.get(i);
            if (w == null) throw new IllegalArgumentException("word " + i + " is null");
            input[i] = w;
        }
        Encoding enc;
        lock.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("tokenizer " + file + " is closed");
            enc = tokenizer.encode(input, addSpecialTokens, false);
        } finally {
            lock.readLock().unlock();
        }
        long[] ids = enc.getIds();
        long[] wordIds = enc.getWordIds();
        int[] outIds = new int[ids.length];
        int[] outWordIds = new int[ids.length];
        for (int t = 0; t < ids.length; t++) {
            outIds[t] = Math.toIntExact(ids[t]);
            outWordIds[t] = (int) Math.max(-1, wordIds[t]);
        }
        return new WordEncoding(outIds, outWordIds, enc.getTokens());
    }

    /**
     * Id of a token string that the tokenizer keeps as one token (an added/special token such as
     * {@code <<ENT>>}); empty if it does not encode to exactly that single token.
     */
    public OptionalInt singleTokenId(String token) {
        WordEncoding e = encodeWordsNoSpecial(List.of(token));
        if (e.size() != 1 || !token.equals(e.tokens()[0])) return OptionalInt.empty();
        return OptionalInt.of(e.ids()[0]);
    }

    /**
     * Resolves GLiNER's marker tokens and checks them against the config: each must be a single token,
     * and {@code <<ENT>>}/{@code <<REL>>} must have the ids {@code class_token_index} /
     * {@code rel_token_index} that the model was trained with.
     */
    public MarkerIds markerIds(GlinerConfig config) {
        int ent = requireSingle(config.entToken(), "ent_token");
        int sep = requireSingle(config.sepToken(), "sep_token");
        int rel = requireSingle(config.relToken(), "rel_token");
        if (config.classTokenIndex() != ent) {
            throw new CheckpointException("gliner_config.json class_token_index is " + config.classTokenIndex()
                    + " but tokenizer " + file + " maps " + config.entToken() + " to id " + ent
                    + "; the tokenizer does not belong to this checkpoint");
        }
        if (config.relTokenIndex() != rel) {
            throw new CheckpointException("gliner_config.json rel_token_index is " + config.relTokenIndex()
                    + " but tokenizer " + file + " maps " + config.relToken() + " to id " + rel
                    + "; the tokenizer does not belong to this checkpoint");
        }
        return new MarkerIds(ent, sep, rel);
    }

    private int requireSingle(String token, String key) {
        WordEncoding e = encodeWordsNoSpecial(List.of(token));
        if (e.size() != 1 || !token.equals(e.tokens()[0])) {
            throw new CheckpointException("tokenizer " + file + " does not have " + key + " " + token
                    + " as a single token (it encodes to " + List.of(e.tokens())
                    + "); the checkpoint's tokenizer.json must contain GLiNER's added marker tokens");
        }
        return e.ids()[0];
    }

    /**
     * {@code model_max_length} from the {@code tokenizer_config.json} next to {@code tokenizer.json},
     * when it is a real limit (below 10^6; DeBERTa configs use a 1e30 "unlimited" sentinel).
     */
    public OptionalInt modelMaxLength() {
        return modelMaxLength;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                tokenizer.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
