package dev.relex.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.relex.encoder.Encoder;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A BERT ONNX model run by ONNX Runtime (CPU, fp32), behind our {@link Encoder} interface so the two
 * implementations can be compared and timed the same way. Token type ids are all 0, as in GLiNER.
 */
public final class OrtEncoder implements Encoder, AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String outputName;
    private final boolean wantsTokenTypes;
    private final int hidden;

    /**
     * @param onnxFile   the model
     * @param intraOp    ONNX Runtime intra-op threads (0 = its default, all cores)
     * @param hiddenSize width of {@code last_hidden_state}
     */
    public OrtEncoder(Path onnxFile, int intraOp, int hiddenSize) {
        this(onnxFile, intraOp, hiddenSize, true);
    }

    /**
     * @param spinning whether idle intra-op workers spin (ONNX Runtime's default, fastest on an idle machine;
     *                 on an oversubscribed one the spinning threads take cores from the computing ones)
     */
    public OrtEncoder(Path onnxFile, int intraOp, int hiddenSize, boolean spinning) {
        this.env = OrtEnvironment.getEnvironment();
        this.hidden = hiddenSize;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(intraOp);
            opts.setInterOpNumThreads(1);
            opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (!spinning) opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            this.session = env.createSession(onnxFile.toString(), opts);
            Set<String> inputs = session.getInputNames();
            if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
                throw new IllegalStateException("ONNX model " + onnxFile + " has inputs " + inputs
                        + ", expected input_ids and attention_mask (and optionally token_type_ids)");
            }
            this.wantsTokenTypes = inputs.contains("token_type_ids");
            Set<String> outputs = session.getOutputNames();
            this.outputName = outputs.contains("last_hidden_state") ? "last_hidden_state" : outputs.iterator().next();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + onnxFile + ": " + e.getMessage(), e);
        }
    }

    /** Input names of the graph, e.g. [input_ids, attention_mask, token_type_ids]. */
    public Set<String> inputNames() {
        return session.getInputNames();
    }

    /** The output that is compared ({@code last_hidden_state}). */
    public String outputName() {
        return outputName;
    }

    @Override
    public int hiddenSize() {
        return hidden;
    }

    @Override
    public void forward(int[] inputIds, int[] attentionMask, int batch, int seqLen, float[] out) {
        int n = batch * seqLen;
        long[] ids = new long[n], mask = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = inputIds[i];
            mask[i] = attentionMask[i];
        }
        long[] shape = {batch, seqLen};
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (wantsTokenTypes) in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n]), shape));
            try (OrtSession.Result r = session.run(in, Set.of(outputName))) {
                OnnxTensor t = (OnnxTensor) r.get(0);
                long[] s = t.getInfo().getShape();
                if (s.length != 3 || s[0] != batch || s[1] != seqLen || s[2] != hidden) {
                    throw new IllegalStateException("ONNX output " + outputName + " has shape "
                            + java.util.Arrays.toString(s) + ", expected [" + batch + ", " + seqLen + ", " + hidden + "]");
                }
                FloatBuffer fb = t.getFloatBuffer();
                fb.get(out, 0, n * hidden);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
