package dev.relex.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.ArchitectureSpec;
import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.SafeTensorsWriter;
import dev.relex.checkpoint.TensorSource;
import dev.relex.checkpoint.ValidationReport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a new GLiNER-Relex checkpoint directory from a pretrained encoder: the encoder's weights under
 * {@code token_rep_layer.bert_layer.model.}, its word embedding grown by the three marker rows
 * ({@link EmbeddingResize}), freshly initialised heads ({@link HeadInitializer}) for every tensor
 * relex-core's {@link ArchitectureSpec} expects, {@code gliner_config.json} with the reference's fields,
 * and the tokenizer files ({@link BertTokenizerFiles}). The result loads with {@code RelexModel.load} and
 * is what training starts from.
 */
public final class ModelInitializer {
    /** BERT's position limit; also written as the tokenizer's model_max_length. */
    static final int MODEL_MAX_LENGTH = 512;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";

    private ModelInitializer() {}

    /** What was written. */
    public record Result(Path directory, GlinerConfig config, Map<String, Integer> markerIds, int tensors,
                         long parameters, ValidationReport validation) {}

    /**
     * Checks that relex-core can build the model {@code o} describes (e.g. an even width for the BiLSTM,
     * a multiple of 8 for attention adjacency) before anything is downloaded.
     *
     * @throws IllegalArgumentException naming every problem
     */
    public static void checkOptions(InitOptions o) {
        int vocab = o.encoder().vocabSize() + BertTokenizerFiles.MARKERS.size();
        Map<String, Integer> markers = Map.of("<<ENT>>", vocab - 3, "<<SEP>>", vocab - 2, "<<REL>>", vocab - 1);
        try {
            ArchitectureSpec.forConfig(GlinerConfig.fromJson(glinerConfigJson(o, vocab, markers)));
        } catch (CheckpointException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static Result initialise(InitOptions o, Path out) {
        checkOptions(o);
        checkOutput(out, o.overwrite());
        PretrainedEncoder enc = o.encoder();
        o.log().accept("encoder " + enc + ": resolving");
        PretrainedFiles files = PretrainedFiles.fetch(enc, o.resolver(), o.cacheDirectory());
        BertTokenizerFiles tokenizer = enc.format() == PretrainedEncoder.Format.ONNX
                ? BertTokenizerFiles.fromTokenizerJson(files.tokenizerJson(), MODEL_MAX_LENGTH)
                : BertTokenizerFiles.fromVocabulary(files.vocabulary(), files.doLowerCase(), MODEL_MAX_LENGTH);
        Map<String, Integer> markers = tokenizer.markerIds();

        ObjectNode json = glinerConfigJson(o, tokenizer.totalSize(), markers);
        GlinerConfig config = GlinerConfig.fromJson(json);
        ArchitectureSpec spec = ArchitectureSpec.forConfig(config);

        SafeTensorsWriter writer = new SafeTensorsWriter();
        writer.putMetadata("format", "pt");
        int tensors = 0;
        long parameters = 0;
        String prefix = ArchitectureSpec.ENCODER_PREFIX;
        try (TensorSource weights = files.openWeights()) {
            checkEncoder(enc, weights, tokenizer);
            for (ArchitectureSpec.TensorSpec t : spec.tensors().values()) {
                if (!t.name().startsWith(prefix)) continue;
                String key = t.name().substring(prefix.length());
                if (!weights.contains(key)) {
                    if (!t.required()) continue;
                    throw new CheckpointException(enc + ": the pretrained weights lack encoder tensor '" + key + "'");
                }
                float[] v = weights.floats(key);
                if (key.equals(WORD_EMBEDDINGS)) {
                    int added = Math.toIntExact(t.shape()[0]) - enc.vocabSize();
                    o.log().accept("adding " + added + " marker rows to the word embedding (mean resizing)");
                    v = EmbeddingResize.meanResized(v, enc.hiddenSize(), added, o.seed() ^ 0x5DEECE66DL);
                }
                writer.putFloats(t.name(), v, t.shape());
                tensors++;
                parameters += v.length;
            }
        }
        for (Map.Entry<String, float[]> e : HeadInitializer.initialise(spec, o.seed()).entrySet()) {
            writer.putFloats(e.getKey(), e.getValue(), spec.tensors().get(e.getKey()).shape());
            tensors++;
            parameters += e.getValue().length;
        }
        try {
            // Weights first (written through a temporary file), config last: an interrupted run leaves no
            // directory that looks complete.
            Files.createDirectories(out);
            o.log().accept("writing " + out.resolve("model.safetensors") + " (" + parameters + " parameters)");
            writer.write(out.resolve("model.safetensors"));
            tokenizer.writeTo(out);
            JSON.writeValue(out.resolve(Checkpoint.CONFIG_FILE).toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint to " + out + ": " + e.getMessage(), e);
        }
        ValidationReport report;
        try (Checkpoint c = Checkpoint.open(out)) {
            report = c.validationReport();
        }
        report.throwIfInvalid(out.toString());
        return new Result(out, config, markers, tensors, parameters, report);
    }

    private static void checkOutput(Path out, boolean overwrite) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CheckpointException("output " + out + " exists and is not a directory");
        }
        if (overwrite) return;
        for (String f : new String[] {Checkpoint.CONFIG_FILE, "model.safetensors", Checkpoint.TOKENIZER_FILE}) {
            if (Files.exists(out.resolve(f))) {
                throw new CheckpointException("output directory " + out + " already holds " + f
                        + "; choose another directory or allow overwriting");
            }
        }
    }

    /** The pretrained weights must be the architecture the catalogue says (so the config is right). */
    private static void checkEncoder(PretrainedEncoder enc, TensorSource w, BertTokenizerFiles tokenizer) {
        long[] words = w.info(WORD_EMBEDDINGS).shape();
        long[] expected = {enc.vocabSize(), enc.hiddenSize()};
        if (!Arrays.equals(words, expected)) {
            throw new CheckpointException(enc + ": word embedding has shape " + Arrays.toString(words) + ", expected "
                    + Arrays.toString(expected));
        }
        if (tokenizer.vocabulary().size() != enc.vocabSize()) {
            throw new CheckpointException(enc + ": vocabulary has " + tokenizer.vocabulary().size() + " tokens but the word embedding "
                    + enc.vocabSize() + " rows");
        }
        int layers = 0;
        while (w.contains("encoder.layer." + layers + ".output.LayerNorm.weight")) layers++;
        if (layers != enc.layers()) {
            throw new CheckpointException(enc + ": the weights have " + layers + " layers, expected " + enc.layers());
        }
        long[] ffn = w.info("encoder.layer.0.intermediate.dense.weight").shape();
        if (ffn[0] != enc.intermediateSize()) {
            throw new CheckpointException(enc + ": intermediate size " + ffn[0] + ", expected " + enc.intermediateSize());
        }
    }

    /**
     * {@code gliner_config.json} as the reference writes it (keys sorted): the reference's defaults for
     * every field that does not depend on the encoder (copied from the golden relex-bert-span-gcn case),
     * the chosen options, the marker ids and the full BERT {@code encoder_config}.
     */
    static ObjectNode glinerConfigJson(InitOptions o, int vocabSize, Map<String, Integer> markers) {
        PretrainedEncoder enc = o.encoder();
        ObjectNode defaults = resource("gliner-config-defaults.json");
        defaults.put("class_token_index", markers.get("<<ENT>>"));
        defaults.put("rel_token_index", markers.get("<<REL>>"));
        defaults.put("dropout", o.dropout());
        defaults.put("hidden_size", o.hiddenSize());
        defaults.put("max_len", o.maxLen());
        defaults.put("max_width", o.maxWidth());
        defaults.put("model_name", enc.huggingFaceId());
        defaults.put("num_rnn_layers", o.rnnLayers());
        defaults.put("relations_layer", o.relationsLayer());
        defaults.put("span_mode", o.spanMode());
        defaults.put("vocab_size", vocabSize);

        defaults.set("encoder_config", encoderConfigJson(enc, vocabSize));
        return sorted(defaults);
    }

    /**
     * The Hugging Face {@code BertConfig} of {@code enc} as {@code config.to_dict()} writes it, with
     * {@code vocab_size} rows (the pretrained vocabulary, or more after adding the markers).
     */
    public static ObjectNode encoderConfigJson(PretrainedEncoder enc, int vocabSize) {
        ObjectNode encoder = resource("bert-encoder-config.json");
        encoder.put("_name_or_path", enc.huggingFaceId());
        encoder.put("hidden_size", enc.hiddenSize());
        encoder.put("intermediate_size", enc.intermediateSize());
        encoder.put("num_attention_heads", enc.attentionHeads());
        encoder.put("num_hidden_layers", enc.layers());
        encoder.put("vocab_size", vocabSize);
        return sorted(encoder);
    }

    private static ObjectNode sorted(ObjectNode n) {
        TreeMap<String, JsonNode> m = new TreeMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        ObjectNode out = JSON.createObjectNode();
        m.forEach(out::set);
        return out;
    }

    private static ObjectNode resource(String name) {
        try (InputStream in = ModelInitializer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " missing from the relex-pretrained jar");
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
