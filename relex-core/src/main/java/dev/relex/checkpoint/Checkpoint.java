package dev.relex.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A GLiNER-Relex checkpoint directory, opened and validated: {@code gliner_config.json}, the weights
 * (memory-mapped) and the location of {@code tokenizer.json}.
 *
 * <p>Weights are looked up in this order (spec §1.4): {@code model.safetensors}, its sharded form
 * {@code model.safetensors.index.json}, then the {@code fp16} and {@code bf16} variants
 * ({@code model.fp16.safetensors}, {@code model.fp16.safetensors.index.json} or
 * {@code model.safetensors.index.fp16.json}, likewise for bf16). Half-precision weights are widened to
 * float32 when read. A directory holding only {@code pytorch_model.bin} is rejected.
 *
 * <p>Opening checks the config for unsupported features, then every tensor name, shape and dtype
 * against {@link ArchitectureSpec} and fails with one message listing all problems. Unexpected keys
 * are logged once (WARNING) and kept in {@link #validationReport()}.
 *
 * <p>Tokenizer: {@link #tokenizerFile()} is {@code tokenizer.json} inside the directory, or the file
 * passed to {@link #open(Path, Path)}, or {@code null} when neither exists; a checkpoint without a
 * tokenizer can still be opened (e.g. to inspect or convert weights) and the caller decides, typically
 * via {@link #requireTokenizerFile()}. When the tokenizer file is known, the marker tokens' ids in its
 * {@code added_tokens} are checked against {@code class_token_index}/{@code rel_token_index}.
 *
 * <p>Immutable and thread-safe; {@link #close()} unmaps the weights (tensors must not be read after).
 */
public final class Checkpoint implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Checkpoint.class.getName());

    public static final String CONFIG_FILE = "gliner_config.json";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    /** Weight file candidates in order of preference (single file, then sharded index). */
    static final List<String> WEIGHT_CANDIDATES = List.of(
            "model.safetensors", "model.safetensors.index.json",
            "model.fp16.safetensors", "model.fp16.safetensors.index.json", "model.safetensors.index.fp16.json",
            "model.bf16.safetensors", "model.bf16.safetensors.index.json", "model.safetensors.index.bf16.json");

    private final Path directory;
    private final GlinerConfig config;
    private final TensorSource weights;
    private final Path weightsFile;
    private final Path tokenizerFile;
    private final ValidationReport report;

    private Checkpoint(Path directory, GlinerConfig config, TensorSource weights, Path weightsFile, Path tokenizerFile,
                       ValidationReport report) {
        this.directory = directory;
        this.config = config;
        this.weights = weights;
        this.weightsFile = weightsFile;
        this.tokenizerFile = tokenizerFile;
        this.report = report;
    }

    /** Opens {@code dir}, using the {@code tokenizer.json} inside it if there is one. */
    public static Checkpoint open(Path dir) {
        return open(dir, null);
    }

    /**
     * Opens {@code dir} with an explicitly chosen tokenizer file ({@code null}: look in the directory).
     * Useful when a checkpoint directory lacks {@code tokenizer.json} but an identical one exists elsewhere.
     */
    public static Checkpoint open(Path dir, Path tokenizerJson) {
        if (dir == null) throw new CheckpointException("checkpoint directory is null");
        if (!Files.exists(dir)) throw new CheckpointException("checkpoint directory does not exist: " + dir);
        if (!Files.isDirectory(dir)) throw new CheckpointException("not a checkpoint directory (a regular file?): " + dir);
        if (!Files.isReadable(dir)) throw new CheckpointException("checkpoint directory is not readable: " + dir);
        Path configFile = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            String hint = Files.exists(dir.resolve("config.json"))
                    ? " (it has a config.json: a plain Hugging Face model, not a GLiNER checkpoint?)" : "";
            throw new CheckpointException("missing " + CONFIG_FILE + " in checkpoint directory " + dir + hint);
        }
        GlinerConfig config = GlinerConfig.read(configFile);
        ArchitectureSpec spec;
        try {
            spec = ArchitectureSpec.forConfig(config);
        } catch (CheckpointException e) {
            throw new CheckpointException(configFile + ": " + e.getMessage(), e);
        }

        Path tokenizer = tokenizerJson;
        if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
            throw new CheckpointException("tokenizer file does not exist: " + tokenizer);
        }
        if (tokenizer == null && Files.isRegularFile(dir.resolve(TOKENIZER_FILE))) tokenizer = dir.resolve(TOKENIZER_FILE);

        Path weightsFile = findWeights(dir);
        TensorSource weights = openWeights(weightsFile);
        try {
            ValidationReport report = spec.validate(weights);
            if (tokenizer != null) report = checkMarkers(report, config, tokenizer);
            report.throwIfInvalid(dir + ": checkpoint does not match " + CONFIG_FILE);
            if (!report.unexpectedKeys().isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "{0}: {1} tensor(s) not used by this model are ignored: {2}",
                        weightsFile, report.unexpectedKeys().size(), report.unexpectedKeys());
            }
            for (String w : report.warnings()) LOG.log(System.Logger.Level.WARNING, "{0}: {1}", dir, w);
            return new Checkpoint(dir, config, weights, weightsFile, tokenizer, report);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** The weights file (or shard index) {@link #open(Path)} would use in {@code dir}. */
    static Path findWeights(Path dir) {
        for (String name : WEIGHT_CANDIDATES) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        if (Files.exists(dir.resolve("pytorch_model.bin")) || Files.exists(dir.resolve("pytorch_model.bin.index.json"))) {
            throw new CheckpointException(dir + ": pytorch_model.bin is not supported; convert to safetensors "
                    + "(e.g. save_pretrained(..., safe_serialization=True)) and retry");
        }
        throw new CheckpointException("no weights in checkpoint directory " + dir + " (looked for " + WEIGHT_CANDIDATES + ")");
    }

    private static TensorSource openWeights(Path file) {
        return file.getFileName().toString().endsWith(".json") ? ShardedTensorSource.open(file) : SafeTensors.open(file);
    }

    /**
     * If the tokenizer's {@code added_tokens} lists a marker, its id must equal the configured index
     * (spec §8 item 35); a marker that is not an added token is only reported as a warning.
     */
    private static ValidationReport checkMarkers(ValidationReport report, GlinerConfig cfg, Path tokenizer) {
        Map<String, Integer> added = readAddedTokens(tokenizer);
        ValidationReport.Builder b = new ValidationReport.Builder(report);
        checkMarker(b, added, tokenizer, cfg.entToken(), "class_token_index", cfg.classTokenIndex());
        checkMarker(b, added, tokenizer, cfg.relToken(), "rel_token_index", cfg.relTokenIndex());
        return b.build();
    }

    private static void checkMarker(ValidationReport.Builder b, Map<String, Integer> added, Path tokenizer,
                                    String token, String field, int configured) {
        Integer id = added.get(token);
        if (id == null) {
            b.warning(tokenizer.getFileName() + " does not list " + token + " among its added_tokens; cannot check "
                    + field + " " + configured);
        } else if (id != configured) {
            b.error(field + " is " + configured + " but " + tokenizer + " gives " + token + " the id " + id);
        }
    }

    /** Reads only the {@code added_tokens} array of a tokenizer.json (streaming; the vocabulary is skipped). */
    static Map<String, Integer> readAddedTokens(Path tokenizer) {
        Map<String, Integer> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(tokenizer.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new CheckpointException(tokenizer + ": not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"added_tokens".equals(field) || value != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String content = null;
                    Integer id = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken t = p.nextToken();
                        if ("content".equals(f) && t == JsonToken.VALUE_STRING) content = p.getText();
                        else if ("id".equals(f) && t == JsonToken.VALUE_NUMBER_INT) id = p.getIntValue();
                        else p.skipChildren();
                    }
                    if (content != null && id != null) out.put(content, id);
                }
                break;
            }
        } catch (IOException e) {
            throw new CheckpointException(tokenizer + ": cannot read tokenizer file: " + e.getMessage(), e);
        }
        return out;
    }

    public GlinerConfig config() {
        return config;
    }

    /** The validated weights (single file or shards), memory-mapped. */
    public TensorSource weights() {
        return weights;
    }

    public Path directory() {
        return directory;
    }

    /** The weights file or shard index that was opened. */
    public Path weightsFile() {
        return weightsFile;
    }

    /** The tokenizer.json to use, or {@code null} if the directory has none and none was given. */
    public Path tokenizerFile() {
        return tokenizerFile;
    }

    /** {@link #tokenizerFile()}, or a {@link CheckpointException} naming the missing file. */
    public Path requireTokenizerFile() {
        if (tokenizerFile == null) {
            throw new CheckpointException("missing " + TOKENIZER_FILE + " in checkpoint directory " + directory
                    + " (the Python loader would fall back to the hub tokenizer of model_name '" + config.modelName()
                    + "'); copy it there or pass it to Checkpoint.open(dir, tokenizerJson)");
        }
        return tokenizerFile;
    }

    /** What validation found: no errors (else open would have failed), plus unexpected/ignored keys. */
    public ValidationReport validationReport() {
        return report;
    }

    @Override
    public void close() {
        weights.close();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + directory + ", " + config.modelKind() + ", " + weightsFile.getFileName() + "]";
    }
}
