package dev.relex.train.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.RelexModel;
import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.TensorSource;
import dev.relex.data.Example;
import dev.relex.encoder.EncoderActivations;
import dev.relex.encoder.Encoders;
import dev.relex.encoder.TrainableEncoder;
import dev.relex.engine.Parameter;
import dev.relex.heads.HeadsTrainingState;
import dev.relex.heads.RelexHeads;
import dev.relex.text.EncodedInput;
import dev.relex.text.InputBuilder;
import dev.relex.text.RelexTokenizer;
import dev.relex.train.checkpoint.ModelDirectory;
import dev.relex.train.loss.LossBreakdown;
import dev.relex.train.loss.LossSettings;
import dev.relex.train.loss.RelexLoss;
import dev.relex.train.target.BatchTargets;
import dev.relex.train.target.CandidatePair;
import dev.relex.train.target.ExampleTargets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A GLiNER-Relex checkpoint loaded for training: relex-core's trainable encoder and heads (the same layer
 * code inference runs), their {@link Parameter}s (encoder first, then heads, in checkpoint order), the
 * checkpoint tensors nothing computes with (BERT's pooler: kept unchanged for export, never trained, as the
 * reference leaves their gradient {@code None}), the tokenizer and the config.
 *
 * <p>{@link #forwardBackward} runs one (micro-)batch: every example's input is built from its words and
 * its target label sets, all sequences go through the encoder in one packed training forward, the heads
 * run per example with the gold candidates and the sampled pairs, the losses write their input gradients,
 * and the backward passes accumulate into the parameters' gradients in example order (bitwise
 * reproducible for a given thread count). After the optimizer changed the values, call
 * {@link #refreshDerived()} before the next forward or evaluation.
 *
 * <p>Not thread-safe; one trainer owns it.
 */
public final class TrainableRelexModel implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path source;
    private final ObjectNode configJson;
    private final GlinerConfig config;
    private final RelexTokenizer tokenizer;
    private final Map<String, byte[]> tokenizerFiles;
    private final InputBuilder inputs;
    private final TrainableEncoder encoder;
    private final RelexHeads heads;
    private List<Parameter> parameters;
    /** What an exported checkpoint holds: without LoRA the parameters; with LoRA the merged weights' views. */
    private final List<Parameter> exportParameters;
    private final Map<String, ModelDirectory.Tensor> untrained;

    // Per-step state, grow-only and reused.
    private final EncoderActivations encoderState = new EncoderActivations().ignoreConfiguredDropout(true);
    private final List<HeadsTrainingState> headStates = new ArrayList<>();
    private float[] states = new float[0], dStates = new float[0];
    private float[] dEntity = new float[0], dAdjacency = new float[0], dRelation = new float[0];
    private int[] ids = new int[0], mask = new int[0];
    private double headDropout;

    private TrainableRelexModel(Path source, ObjectNode configJson, GlinerConfig config, RelexTokenizer tokenizer,
                                Map<String, byte[]> tokenizerFiles, TrainableEncoder encoder, RelexHeads heads,
                                Map<String, ModelDirectory.Tensor> untrained) {
        this.source = source;
        this.configJson = configJson;
        this.config = config;
        this.tokenizer = tokenizer;
        this.tokenizerFiles = tokenizerFiles;
        this.inputs = new InputBuilder(tokenizer, config);
        this.encoder = encoder;
        this.heads = heads;
        List<Parameter> all = new ArrayList<>(encoder.parameters());
        all.addAll(heads.parameters());
        this.parameters = List.copyOf(all);
        this.exportParameters = this.parameters;
        this.untrained = untrained;
        this.headDropout = heads.configuredDropout();
    }

    /** Loads a checkpoint directory for training (its own {@code tokenizer.json}). */
    public static TrainableRelexModel load(Path dir) {
        return load(dir, null);
    }

    /**
     * Loads a checkpoint directory for training, with an explicit {@code tokenizer.json} (null: the
     * directory's). The weights are copied into the layers' arrays; the files are closed on return.
     */
    public static TrainableRelexModel load(Path dir, Path tokenizerJson) {
        try (Checkpoint checkpoint = Checkpoint.open(dir, tokenizerJson)) {
            GlinerConfig config = checkpoint.config();
            ObjectNode json = (ObjectNode) JSON.readTree(dir.resolve(Checkpoint.CONFIG_FILE).toFile());
            Path tokenizerFile = checkpoint.requireTokenizerFile();
            RelexTokenizer tokenizer = RelexTokenizer.load(tokenizerFile);
            try {
                TensorSource w = checkpoint.weights();
                TrainableEncoder encoder = Encoders.createTrainable(config.encoder(), w, Encoders.GLINER_PREFIX);
                RelexHeads heads = RelexHeads.create(config, w);
                Map<String, ModelDirectory.Tensor> untrained = new LinkedHashMap<>();
                for (String key : Encoders.untrainedKeys(w, Encoders.GLINER_PREFIX, encoder)) {
                    // LoRA adapters of a training state are restored by enableLora, not passed through.
                    if (key.contains(".lora_A.") || key.contains(".lora_B.")) continue;
                    untrained.put(key, new ModelDirectory.Tensor(key, w.floats(key), w.info(key).shape()));
                }
                Map<String, byte[]> files = ModelDirectory.readTokenizerFiles(tokenizerFile.getParent());
                return new TrainableRelexModel(dir, json, config, tokenizer, files, encoder, heads,
                        untrained);
            } catch (RuntimeException | Error | IOException e) {
                tokenizer.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(Checkpoint.CONFIG_FILE) + ": " + e.getMessage(), e);
        }
    }

    public GlinerConfig config() {
        return config;
    }

    /** The directory this model was loaded from. */
    public Path source() {
        return source;
    }

    /** Every trainable tensor: encoder, then heads, in checkpoint order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Checkpoint tensors that are exported unchanged and never trained (BERT's pooler). */
    public List<String> untrainedKeys() {
        return List.copyOf(untrained.keySet());
    }

    public TrainableEncoder encoder() {
        return encoder;
    }

    public RelexHeads heads() {
        return heads;
    }

    public InputBuilder inputs() {
        return inputs;
    }

    /** Head dropout probability used by training forwards (default: the config's {@code dropout}). */
    public void headDropout(double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        this.headDropout = p;
    }

    public double headDropout() {
        return headDropout;
    }

    /**
     * Adds LoRA adapters to the encoder (see {@link TrainableEncoder#enableLora}): afterwards
     * {@link #parameters()} lists the frozen base weights and the {@code lora_A}/{@code lora_B} adapters.
     * {@link #save} still writes plain checkpoints: the adapted weights merged (exactly the weights the model
     * computes with); {@link #saveState} writes base weights and adapters separately, for resuming.
     *
     * @param state a training state written by {@link #saveState} whose adapter values to restore, or null
     * @return the adapter parameters
     */
    public List<Parameter> enableLora(dev.relex.encoder.LoraConfig config, long seed, Path state) {
        List<Parameter> adapters = encoder.enableLora(config, seed);
        if (state != null) {
            try (dev.relex.checkpoint.SafeTensors st = dev.relex.checkpoint.SafeTensors.open(state.resolve(ModelDirectory.WEIGHTS))) {
                for (Parameter p : adapters) {
                    if (!st.names().contains(p.name())) {
                        throw new IllegalStateException(state + " has no LoRA tensor " + p.name() + " (saved without adapters?)");
                    }
                    p.setValue(st.floats(p.name()));
                }
            }
        }
        List<Parameter> all = new ArrayList<>(encoder.parameters());
        all.addAll(heads.parameters());
        parameters = List.copyOf(all);
        encoder.refreshDerived();
        return adapters;
    }

    /** After an in-place update of parameter values: rebuild every derived form (packed copies, folds, tables). */
    public void refreshDerived() {
        encoder.refreshDerived();
        heads.refreshDerived();
    }

    /** Sets every parameter's gradient to zero. */
    public void zeroGrad() {
        for (Parameter p : parameters) p.zeroGrad();
    }

    /**
     * An inference model over this model's current parameters (for evaluation during training). Call
     * {@link #refreshDerived()} after each optimizer step first; do not step while it is in use.
     */
    public RelexModel inferenceView(int parallelism) {
        return RelexModel.fromParts(config, tokenizer, encoder, heads, parallelism);
    }

    /**
     * The model input of one example for its targets: its words (as truncated by the targets) with the
     * target label sets as prompt.
     *
     * @throws IllegalArgumentException if the encoder cannot take all the words the targets cover (its
     *                                  token limit with this prompt): the caller reports and skips it
     */
    public EncodedInput input(Example example, ExampleTargets t) {
        List<String> words = example.words().subList(0, t.words());
        EncodedInput in = inputs.buildWords(words, t.entityLabels(), t.relationLabels());
        if (in.textLength() != t.words()) {
            throw new IllegalArgumentException("example " + example.id() + ": its " + t.words() + " words need more than the "
                    + inputs.maxTokens() + " tokens the encoder accepts with a prompt of " + t.entityLabels().size()
                    + " entity and " + t.relationLabels().size() + " relation labels (only " + in.textLength() + " fit)");
        }
        return in;
    }

    /**
     * One (micro-)batch: forward, loss and backward; gradients are ACCUMULATED into {@link #parameters()}.
     *
     * @param examples      the batch's examples, in the order of {@code targets}
     * @param targets       their targets ({@code TargetBuilder})
     * @param lossRng       randomness of negative masking (unused at negatives = 1)
     * @param dropoutSeed   seed of the heads' dropout for this batch (example i uses dropoutSeed + i)
     * @param upstreamScale multiplies every gradient (1 / accumulation steps)
     * @return the batch's loss components and total (unscaled)
     */
    public LossBreakdown forwardBackward(List<Example> examples, BatchTargets targets, LossSettings loss,
                                         RandomGenerator lossRng, long dropoutSeed, double upstreamScale) {
        if (examples.size() != targets.size()) {
            throw new IllegalArgumentException(examples.size() + " examples for " + targets.size() + " targets");
        }
        List<EncodedInput> inputs = new ArrayList<>(examples.size());
        for (int b = 0; b < examples.size(); b++) inputs.add(input(examples.get(b), targets.get(b)));
        return forwardBackwardInputs(inputs, targets, loss, lossRng, dropoutSeed, upstreamScale);
    }

    /** As {@link #forwardBackward(List, BatchTargets, LossSettings, RandomGenerator, long, double)} with the inputs already built by {@link #input}. */
    public LossBreakdown forwardBackwardInputs(List<EncodedInput> inputs, BatchTargets targets, LossSettings loss,
                                               RandomGenerator lossRng, long dropoutSeed, double upstreamScale) {
        int batch = targets.size();
        if (inputs.size() != batch) {
            throw new IllegalArgumentException(inputs.size() + " inputs for " + batch + " targets");
        }
        EncodedInput[] in = inputs.toArray(new EncodedInput[0]);
        int seqLen = 0;
        for (EncodedInput e : in) seqLen = Math.max(seqLen, e.tokenCount());
        int hidden = encoder.hiddenSize();
        int n = batch * seqLen;
        if (ids.length < n) {
            ids = new int[n];
            mask = new int[n];
        }
        Arrays.fill(ids, 0, n, 0);
        Arrays.fill(mask, 0, n, 0);
        for (int b = 0; b < batch; b++) {
            int[] t = in[b].inputIds();
            System.arraycopy(t, 0, ids, b * seqLen, t.length);
            Arrays.fill(mask, b * seqLen, b * seqLen + t.length, 1);
        }
        states = grow(states, (long) n * hidden);
        dStates = grow(dStates, (long) n * hidden);
        encoder.forward(ids, mask, batch, seqLen, states, encoderState);

        while (headStates.size() < batch) headStates.add(new HeadsTrainingState());
        RelexLoss losses = new RelexLoss(loss, targets, lossRng, upstreamScale);
        Arrays.fill(dStates, 0, n * hidden, 0f);
        for (int b = 0; b < batch; b++) {
            ExampleTargets t = targets.get(b);
            HeadsTrainingState hs = headStates.get(b).dropout(headDropout, dropoutSeed + b);
            int e = t.candidates();
            int[] spans = new int[2 * e];
            for (int i = 0; i < e; i++) {
                spans[2 * i] = t.candidateStarts()[i];
                spans[2 * i + 1] = t.candidateEnds()[i];
            }
            List<CandidatePair> pl = t.pairs();
            int[] pairs = new int[2 * pl.size()];
            for (int i = 0; i < pl.size(); i++) {
                pairs[2 * i] = pl.get(i).head();
                pairs[2 * i + 1] = pl.get(i).tail();
            }
            int offset = b * seqLen * hidden;
            heads.forwardTraining(states, offset, in[b], spans, pairs, hs);

            int entityCount = hs.entityLogitCount();
            dEntity = grow(dEntity, entityCount);
            losses.entity(b, hs.entityLogits(), 0, dEntity, 0);
            float[] dAdj = null;
            if (losses.includesAdjacencyTerm() && hs.adjacency() != null) {
                dAdjacency = grow(dAdjacency, (long) e * e);
                losses.adjacency(b, hs.adjacency(), 0, dAdjacency, 0);
                dAdj = dAdjacency;
            }
            int rel = hs.numPairs() * hs.numRelations();
            dRelation = grow(dRelation, Math.max(rel, 1));
            if (losses.includesRelationTerms()) {
                losses.relation(b, hs.relationLogits(), 0, dRelation, 0);
            } else {
                Arrays.fill(dRelation, 0, rel, 0f);
            }
            heads.backward(hs, dEntity, dAdj, dRelation, dStates, offset);
        }
        encoder.backward(encoderState, dStates);
        return losses.result();
    }

    private static float[] grow(float[] a, long n) {
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("buffer of " + n + " floats is too large");
        return a.length >= n ? a : new float[(int) Math.max(n, a.length + (a.length >> 1))];
    }

    /**
     * Writes this model in the reference's {@code save_pretrained} layout (config, weights with every
     * checkpoint key: parameters' current values and the untrained tensors, tokenizer files, provenance).
     */
    public void save(Path dir, JsonNode provenance) throws IOException {
        write(dir, exportParameters, provenance);
    }

    /**
     * Writes the training state's model: as {@link #save}, except that with LoRA the base weights and the
     * adapters are written separately (PEFT names), so {@link #enableLora} can restore them exactly.
     */
    public void saveState(Path dir, JsonNode provenance) throws IOException {
        write(dir, parameters, provenance);
    }

    private void write(Path dir, List<Parameter> params, JsonNode provenance) throws IOException {
        List<ModelDirectory.Tensor> tensors = new ArrayList<>(params.size() + untrained.size());
        for (Parameter p : params) tensors.add(ModelDirectory.Tensor.of(p));
        tensors.addAll(untrained.values());
        ModelDirectory.write(dir, configJson, tensors, tokenizerFiles, provenance);
    }

    /** The loaded {@code gliner_config.json} (a copy). */
    public ObjectNode configJson() {
        return configJson.deepCopy();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
