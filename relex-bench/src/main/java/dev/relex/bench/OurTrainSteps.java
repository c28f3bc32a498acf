package dev.relex.bench;

import dev.relex.bench.libtorch.TorchTrainStep;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.pretrained.OnnxWeights;
import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.encoder.EncoderActivations;
import dev.relex.encoder.Encoders;
import dev.relex.encoder.TrainableEncoder;
import dev.relex.engine.Parameter;
import dev.relex.text.EncodedInput;
import dev.relex.train.loss.LossBreakdown;
import dev.relex.train.loss.LossSettings;
import dev.relex.train.model.TrainableRelexModel;
import dev.relex.train.optim.AdamW;
import dev.relex.train.optim.GradientClipping;
import dev.relex.train.optim.ParameterGroups;
import dev.relex.train.target.BatchTargets;
import dev.relex.train.target.TargetBuilder;
import dev.relex.train.target.TargetSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Our training steps as {@link TrainStepBench.StepEngine}s: the encoder alone, and the full relex model. */
final class OurTrainSteps {
    private OurTrainSteps() {}

    /**
     * Our encoder alone, with the libtorch side's loss (mean over real tokens of the squared hidden values):
     * training forward, loss gradient, backward, AdamW (reference parameter groups) + re-derivation of the
     * packed weights + zeroing the gradients. The like-for-like counterpart of the libtorch step.
     */
    static TrainStepBench.StepEngine encoderOnly(PretrainedModel model, TokenBatch t, double lr, double weightDecay) {
        EncoderConfig cfg = model.encoderConfig();
        TrainableEncoder enc;
        try (OnnxWeights w = OnnxWeights.open(model.onnxPath())) {
            enc = Encoders.createTrainable(cfg, w, "");
        }
        List<Parameter> params = enc.parameters();
        AdamW adamw = new AdamW(ParameterGroups.reference(params, lr, weightDecay, null, 0.0, p -> true));
        EncoderActivations state = new EncoderActivations().ignoreConfiguredDropout(true);
        int h = enc.hiddenSize(), n = t.batch() * t.seqLen() * h;
        float[] out = new float[n], dOut = new float[n];
        long real = Arrays.stream(t.lengths()).sum();
        double norm = 1.0 / (real * h);
        return new TrainStepBench.StepEngine() {
            @Override
            public String name() {
                return "ours";
            }

            @Override
            public String scope() {
                return "encoder + mean-square loss + backward + AdamW";
            }

            @Override
            public TorchTrainStep.Times step() {
                long t0 = System.nanoTime();
                enc.forward(t.ids(), t.mask(), t.batch(), t.seqLen(), out, state);
                double loss = 0;
                for (int i = 0; i < n; i++) {
                    if (t.mask()[i / h] == 0) {
                        dOut[i] = 0;
                        continue;
                    }
                    loss += (double) out[i] * out[i];
                    dOut[i] = (float) (2 * norm * out[i]);
                }
                long t1 = System.nanoTime();
                enc.backward(state, dOut);
                long t2 = System.nanoTime();
                adamw.step(1.0);
                enc.refreshDerived();
                adamw.zeroGrad();
                long t3 = System.nanoTime();
                return new TorchTrainStep.Times(t1 - t0, t2 - t1, t3 - t2, loss * norm);
            }

            @Override
            public void close() {}
        };
    }

    /** The labels of the full-model step: 5 entity and 5 relation types, fixed for every example. */
    static final List<String> ENTITY_LABELS = ExtractionBench.ENTITY_LABELS;
    static final List<String> RELATION_LABELS = ExtractionBench.RELATION_LABELS;

    /**
     * The full relex model (bge-small encoder + span markerV0/GCN heads, {@link BgeRelexAssembler}) on
     * {@code batch} examples whose encoder input (label prompt + words) is at most {@code lengths[b]}
     * tokens: forward and backward ({@link TrainableRelexModel#forwardBackward}, heads dropout as
     * configured), then gradient clipping at norm 1, AdamW, re-derivation and zeroing. Forward and
     * backward are one call there, so the step reports them together (forward time NaN).
     */
    static TrainStepBench.StepEngine fullModel(Path checkpoint, int[] lengths, double lr, double weightDecay,
                                               List<String> infoOut) {
        TrainableRelexModel model = TrainableRelexModel.load(checkpoint);
        TargetSettings settings = TargetSettings.fromConfig(model.config()).toBuilder().augmentDataProb(0).build();
        TargetBuilder builder = new TargetBuilder(settings);
        List<Example> examples = new ArrayList<>();
        String[] words = SampleTexts.longText().split(" ");
        for (int b = 0; b < lengths.length; b++) examples.add(fit(model, builder, words, b * 7, lengths[b], b));
        BatchTargets targets = builder.build(examples, new SplittableRandom(11));
        int[] tokens = new int[examples.size()];
        int pairs = 0;
        for (int b = 0; b < examples.size(); b++) {
            EncodedInput in = model.input(examples.get(b), targets.get(b));
            tokens[b] = in.tokenCount();
            pairs += targets.get(b).pairs().size();
        }
        infoOut.add(String.format(java.util.Locale.ROOT,
                "full model: %d examples, encoder input tokens %s (prompt of %d entity + %d relation labels included),"
                        + " %d sampled pairs in all, head dropout %.2f", examples.size(), Arrays.toString(tokens),
                ENTITY_LABELS.size(), RELATION_LABELS.size(), pairs, model.headDropout()));
        List<Parameter> params = model.parameters();
        AdamW adamw = new AdamW(ParameterGroups.reference(params, lr, weightDecay, null, 0.0, p -> true));
        LossSettings loss = LossSettings.defaults();
        return new TrainStepBench.StepEngine() {
            long step;

            @Override
            public String name() {
                return "ours";
            }

            @Override
            public String scope() {
                return "full model: encoder + heads (5 entity, 5 relation labels) + losses + backward + clip + AdamW";
            }

            @Override
            public TorchTrainStep.Times step() {
                long t0 = System.nanoTime();
                model.zeroGrad();
                LossBreakdown l = model.forwardBackward(examples, targets, loss, new SplittableRandom(step), step, 1.0);
                long t1 = System.nanoTime();
                GradientClipping.clipGlobalNorm(params, 1.0);
                adamw.step(1.0);
                model.refreshDerived();
                long t2 = System.nanoTime();
                step++;
                return new TorchTrainStep.Times(-1, t1 - t0, t2 - t1, l.total());
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }

    /**
     * An example of consecutive words of the sample text starting at {@code start}, as many as fit in
     * {@code maxTokens} encoder tokens with the label prompt, with three entities and two relations.
     */
    private static Example fit(TrainableRelexModel model, TargetBuilder builder, String[] words, int start, int maxTokens,
                               int index) {
        Example best = null;
        for (int n = 8; start + n <= words.length; n++) {
            Example e = example(words, start, n, index);
            BatchTargets t = builder.build(List.of(e), new SplittableRandom(1));
            int tokens;
            try {
                tokens = model.input(e, t.get(0)).tokenCount();
            } catch (IllegalArgumentException tooLong) {
                break;
            }
            if (tokens > maxTokens) break;
            best = e;
        }
        if (best == null) throw new IllegalArgumentException("no example of >= 8 words fits in " + maxTokens + " tokens");
        return best;
    }

    private static Example example(String[] words, int start, int n, int index) {
        List<String> w = Arrays.asList(words).subList(start, start + n);
        List<EntityMention> ents = List.of(new EntityMention(0, 1, ENTITY_LABELS.get(index % 5)),
                new EntityMention(3, 3, ENTITY_LABELS.get((index + 2) % 5)),
                new EntityMention(5, 6, ENTITY_LABELS.get((index + 3) % 5)));
        List<RelationMention> rels = List.of(new RelationMention(0, 1, RELATION_LABELS.get(index % 5)),
                new RelationMention(2, 0, RELATION_LABELS.get((index + 1) % 5)));
        return new Example("bench-" + index, w, ents, rels, ENTITY_LABELS, null, RELATION_LABELS, null);
    }
}
