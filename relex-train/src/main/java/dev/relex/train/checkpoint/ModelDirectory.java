package dev.relex.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.SafeTensorsWriter;
import dev.relex.engine.Parameter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model directory in the layout of the reference's {@code save_pretrained}
 * ({@code gliner_config.json}, {@code model.safetensors} with the checkpoint key names, the tokenizer
 * files), so that the Python {@code gliner} package and {@code RelexModel.load} both read it, plus
 * {@value #PROVENANCE} describing how it was made (ignored by the reference).
 */
public final class ModelDirectory {
    public static final String WEIGHTS = "model.safetensors";
    public static final String PROVENANCE = "relex_provenance.json";
    /** Tokenizer files copied from the source model when present (the reference writes these). */
    public static final List<String> TOKENIZER_FILES = List.of(Checkpoint.TOKENIZER_FILE, "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json", "spm.model", "vocab.txt");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelDirectory() {}

    /** A tensor to write: a {@link Parameter}'s current value, or a fixed tensor the model does not train. */
    public record Tensor(String name, float[] values, long[] shape) {
        public static Tensor of(Parameter p) {
            int[] s = p.shape();
            long[] shape = new long[s.length];
            for (int i = 0; i < s.length; i++) shape[i] = s[i];
            return new Tensor(p.name(), p.copyValue(), shape);
        }
    }

    /**
     * Writes {@code dir} (created if needed; existing files of the same names are replaced).
     *
     * @param config         the complete {@code gliner_config.json} content
     * @param tensors        every tensor of the checkpoint, in the order to list them
     * @param tokenizerSource directory holding the tokenizer files to copy
     * @param provenance     written as {@value #PROVENANCE}, or null
     */
    public static void write(Path dir, JsonNode config, List<Tensor> tensors, Path tokenizerSource, JsonNode provenance)
            throws IOException {
        write(dir, config, tensors, readTokenizerFiles(tokenizerSource), provenance);
    }

    /**
     * The tokenizer files of a model directory ({@link #TOKENIZER_FILES} that exist), read into memory so a
     * model can be written after its source directory is gone (a pruned training state).
     *
     * @throws IOException if there is no {@code tokenizer.json}
     */
    public static Map<String, byte[]> readTokenizerFiles(Path dir) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String f : TOKENIZER_FILES) {
            Path src = dir.resolve(f);
            if (Files.isRegularFile(src)) out.put(f, Files.readAllBytes(src));
        }
        if (!out.containsKey(Checkpoint.TOKENIZER_FILE)) {
            throw new IOException("no " + Checkpoint.TOKENIZER_FILE + " in " + dir + " to copy beside the model");
        }
        return out;
    }

    /** As {@link #write(Path, JsonNode, List, Path, JsonNode)} with the tokenizer files given as contents. */
    public static void write(Path dir, JsonNode config, List<Tensor> tensors, Map<String, byte[]> tokenizerFiles,
                             JsonNode provenance) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(Checkpoint.CONFIG_FILE), JSON.writeValueAsString(config) + "\n");
        SafeTensorsWriter w = new SafeTensorsWriter();
        w.putMetadata("format", "pt");
        Map<String, Tensor> seen = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            if (seen.putIfAbsent(t.name(), t) != null) throw new IllegalArgumentException("tensor " + t.name() + " given twice");
            w.putFloats(t.name(), t.values(), t.shape());
        }
        w.write(dir.resolve(WEIGHTS));
        if (!tokenizerFiles.containsKey(Checkpoint.TOKENIZER_FILE)) {
            throw new IOException("no " + Checkpoint.TOKENIZER_FILE + " given to write beside the model");
        }
        for (Map.Entry<String, byte[]> f : tokenizerFiles.entrySet()) Files.write(dir.resolve(f.getKey()), f.getValue());
        if (provenance != null) Files.writeString(dir.resolve(PROVENANCE), JSON.writeValueAsString(provenance) + "\n");
    }
}
