package dev.relex.bench;

import dev.relex.pretrained.OnnxWeights;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.ArchitectureSpec;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.SafeTensorsWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Assembles a GLiNER-Relex checkpoint of realistic size for timing: the real bge-small-en-v1.5 encoder
 * (from the ONNX file; three extra word-embedding rows for {@code <<ENT>>}, {@code <<SEP>>},
 * {@code <<REL>>}) with span-markerV0 / GCN heads of width D = 384 and seeded random head weights.
 * Entities it finds are meaningless, but every tensor has the shape a trained model of this size has,
 * so the time split between encoder and heads + decoding is representative.
 *
 * <p>The GLiNER settings and the tokenizer files (bge-small's WordPiece vocabulary plus the three
 * markers) come from the golden case {@code relex-bert-span-gcn}; only the encoder config and the
 * hidden size are replaced. The result is written outside the repository (under {@code target/} or
 * the temp directory) and reused on later runs.
 */
public final class BgeRelexAssembler {
    private static final String VERSION = "bge-small-relex v1";
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json", "vocab.txt");
    private static final int D = 384;

    private BgeRelexAssembler() {}

    /** Returns the assembled checkpoint directory, building it first if needed. */
    public static Path assemble(Path shared) {
        Path golden = shared.resolve("golden").resolve("relex-bert-span-gcn").resolve("model");
        if (!Files.isRegularFile(golden.resolve("gliner_config.json"))) {
            throw new CheckpointException("cannot assemble the bge-small relex model: " + golden
                    + "/gliner_config.json not found (pass --shared or -Drelex.shared, or --relex-model DIR)");
        }
        Path dir = outputRoot().resolve("relex-bge-small");
        Path marker = dir.resolve("ASSEMBLED");
        try {
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(VERSION)) return dir;
            Files.createDirectories(dir);
            ObjectMapper json = new ObjectMapper();
            ObjectNode cfg = (ObjectNode) json.readTree(golden.resolve("gliner_config.json").toFile());
            ObjectNode enc = (ObjectNode) cfg.get("encoder_config");
            enc.put("hidden_size", 384);
            enc.put("num_hidden_layers", 12);
            enc.put("num_attention_heads", 12);
            enc.put("intermediate_size", 1536);
            cfg.put("hidden_size", D);
            cfg.put("model_name", "bge-small-en-v1.5 + random relex heads (benchmark only)");
            GlinerConfig config = GlinerConfig.fromJson(cfg);

            SafeTensorsWriter w = new SafeTensorsWriter();
            SplittableRandom rnd = new SplittableRandom(20240611L);
            String prefix = ArchitectureSpec.ENCODER_PREFIX;
            try (OnnxWeights onnx = OnnxWeights.open(PretrainedModel.BGE_SMALL.onnxPath())) {
                for (ArchitectureSpec.TensorSpec t : ArchitectureSpec.forConfig(config).tensors().values()) {
                    long[] shape = t.shape();
                    if (t.name().startsWith(prefix)) {
                        String key = t.name().substring(prefix.length());
                        if (!onnx.contains(key)) {
                            if (!t.required()) continue;
                            throw new CheckpointException("bge-small ONNX file lacks encoder tensor '" + key + "'");
                        }
                        float[] v = onnx.floats(key);
                        if (key.equals("embeddings.word_embeddings.weight")) v = withMarkerRows(v, shape);
                        w.putFloats(t.name(), v, shape);
                    } else {
                        w.putFloats(t.name(), randomHeadTensor(t.name(), shape, rnd), shape);
                    }
                }
            }
            w.write(dir.resolve("model.safetensors"));
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("gliner_config.json").toFile(), cfg);
            for (String f : TOKENIZER_FILES) {
                Path src = golden.resolve(f);
                if (Files.isRegularFile(src)) Files.copy(src, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(marker, VERSION);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot assemble the bge-small relex model in " + dir, e);
        }
    }

    /** The marker rows start from the [unused0..2] rows (1..3), as a fine-tuning run might initialise them. */
    private static float[] withMarkerRows(float[] words, long[] shape) {
        int rows = Math.toIntExact(shape[0]), h = Math.toIntExact(shape[1]);
        int have = words.length / h;
        float[] out = java.util.Arrays.copyOf(words, rows * h);
        for (int r = have; r < rows; r++) System.arraycopy(words, (1 + r - have) * h, out, r * h, h);
        return out;
    }

    /** Linear weights N(0,1)/sqrt(fan_in) (LSTM alike), biases 0.1·N(0,1). */
    private static float[] randomHeadTensor(String name, long[] shape, SplittableRandom rnd) {
        int n = 1;
        for (long d : shape) n = Math.multiplyExact(n, Math.toIntExact(d));
        float[] v = new float[n];
        double scale = shape.length == 2 ? 1.0 / Math.sqrt(shape[1]) : 0.1;
        for (int i = 0; i < n; i++) v[i] = (float) (gaussian(rnd) * scale);
        return v;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble(), v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    private static Path outputRoot() {
        try {
            var src = BgeRelexAssembler.class.getProtectionDomain().getCodeSource();
            if (src != null) {
                Path classes = Path.of(src.getLocation().toURI());
                if (Files.isDirectory(classes) && classes.getParent() != null) return classes.getParent();
            }
        } catch (Exception ignored) {
            // fall through to the temp directory
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "relex-bench-models");
    }
}
