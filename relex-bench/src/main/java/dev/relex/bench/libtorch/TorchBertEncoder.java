package dev.relex.bench.libtorch;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A Hugging Face {@code BertModel} encoder (no pooler, post-LayerNorm, exact-erf GELU, dropout off)
 * written with libtorch's functional ops: embedding, linear, layer_norm, gelu and scaled dot-product
 * attention. Parameters are leaf tensors with {@code requires_grad}, named as in the Hugging Face state
 * dict ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight}, …)
 * so that real weights can be copied in and the forward checked against our encoder.
 *
 * <p>Token type ids are all 0 (as in GLiNER). Padded positions are computed like real ones and masked as
 * attention keys only, as the reference does.
 */
public final class TorchBertEncoder implements AutoCloseable {

    /** How self-attention is computed. */
    public enum Attention {
        /** {@code torch::scaled_dot_product_attention} with a boolean key mask (transformers' default "sdpa"). */
        SDPA,
        /** Explicit {@code softmax(QKᵀ/√d + mask)·V} (transformers' "eager" BertSelfAttention). */
        EAGER
    }

    private record Layer(Tensor qW, Tensor qB, Tensor kW, Tensor kB, Tensor vW, Tensor vB, Tensor oW, Tensor oB,
                         Tensor ln1W, Tensor ln1B, Tensor iW, Tensor iB, Tensor dW, Tensor dB, Tensor ln2W, Tensor ln2B) {}

    private final BertShape shape;
    private final Attention attention;
    private final Map<String, Tensor> parameters;
    private final Tensor wordEmb, posEmb, typeEmb, embLnW, embLnB;
    private final Layer[] layers;
    private final long[] hiddenDim;

    private TorchBertEncoder(BertShape shape, Attention attention, Map<String, Tensor> parameters) {
        this.shape = shape;
        this.attention = Objects.requireNonNull(attention);
        this.parameters = parameters;
        this.hiddenDim = new long[] {shape.hidden()};
        wordEmb = p("embeddings.word_embeddings.weight");
        posEmb = p("embeddings.position_embeddings.weight");
        typeEmb = p("embeddings.token_type_embeddings.weight");
        embLnW = p("embeddings.LayerNorm.weight");
        embLnB = p("embeddings.LayerNorm.bias");
        layers = new Layer[shape.layers()];
        for (int l = 0; l < layers.length; l++) {
            String pre = "encoder.layer." + l + ".";
            layers[l] = new Layer(
                    p(pre + "attention.self.query.weight"), p(pre + "attention.self.query.bias"),
                    p(pre + "attention.self.key.weight"), p(pre + "attention.self.key.bias"),
                    p(pre + "attention.self.value.weight"), p(pre + "attention.self.value.bias"),
                    p(pre + "attention.output.dense.weight"), p(pre + "attention.output.dense.bias"),
                    p(pre + "attention.output.LayerNorm.weight"), p(pre + "attention.output.LayerNorm.bias"),
                    p(pre + "intermediate.dense.weight"), p(pre + "intermediate.dense.bias"),
                    p(pre + "output.dense.weight"), p(pre + "output.dense.bias"),
                    p(pre + "output.LayerNorm.weight"), p(pre + "output.LayerNorm.bias"));
        }
    }

    private Tensor p(String name) {
        Tensor t = parameters.get(name);
        if (t == null) throw new IllegalStateException("no parameter " + name);
        return t;
    }

    /**
     * Random weights as transformers initialises BERT: linear and embedding weights N(0, 0.02), biases 0,
     * LayerNorm weight 1 and bias 0 ({@code torch::manual_seed(seed)} first, so runs are repeatable).
     */
    public static TorchBertEncoder random(BertShape shape, Attention attention, long seed) {
        LibTorch.requireAvailable();
        torch.manual_seed(seed);
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : parameterShapes(shape).entrySet()) {
            String name = e.getKey();
            long[] dims = e.getValue();
            Tensor t;
            if (name.endsWith("LayerNorm.weight")) t = torch.ones(dims);
            else if (name.endsWith(".bias")) t = torch.zeros(dims);
            else t = torch.randn(dims).mul(new Scalar(0.02));
            params.put(name, t.requires_grad_(true));
        }
        return new TorchBertEncoder(shape, attention, params);
    }

    /**
     * Weights copied from {@code source} (Hugging Face names, torch layouts: Linear weights [out, in]),
     * e.g. an ONNX export's initializers, so that the forward can be compared with another implementation.
     */
    public static TorchBertEncoder fromWeights(BertShape shape, Attention attention, Function<String, float[]> source) {
        LibTorch.requireAvailable();
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : parameterShapes(shape).entrySet()) {
            float[] values = source.apply(e.getKey());
            long numel = 1;
            for (long d : e.getValue()) numel *= d;
            if (values.length != numel) {
                throw new IllegalArgumentException("weight " + e.getKey() + " has " + values.length + " values, expected "
                        + numel + " for shape " + java.util.Arrays.toString(e.getValue()));
            }
            params.put(e.getKey(), tensor(values, e.getValue()).requires_grad_(true));
        }
        return new TorchBertEncoder(shape, attention, params);
    }

    /** Hugging Face parameter names and shapes of a BERT encoder without pooler, in state-dict order. */
    public static Map<String, long[]> parameterShapes(BertShape s) {
        long h = s.hidden(), f = s.ffn();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("embeddings.word_embeddings.weight", new long[] {s.vocab(), h});
        m.put("embeddings.position_embeddings.weight", new long[] {s.maxPositions(), h});
        m.put("embeddings.token_type_embeddings.weight", new long[] {s.typeVocab(), h});
        m.put("embeddings.LayerNorm.weight", new long[] {h});
        m.put("embeddings.LayerNorm.bias", new long[] {h});
        for (int l = 0; l < s.layers(); l++) {
            String pre = "encoder.layer." + l + ".";
            for (String proj : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense")) {
                m.put(pre + proj + ".weight", new long[] {h, h});
                m.put(pre + proj + ".bias", new long[] {h});
            }
            m.put(pre + "attention.output.LayerNorm.weight", new long[] {h});
            m.put(pre + "attention.output.LayerNorm.bias", new long[] {h});
            m.put(pre + "intermediate.dense.weight", new long[] {f, h});
            m.put(pre + "intermediate.dense.bias", new long[] {f});
            m.put(pre + "output.dense.weight", new long[] {h, f});
            m.put(pre + "output.dense.bias", new long[] {h});
            m.put(pre + "output.LayerNorm.weight", new long[] {h});
            m.put(pre + "output.LayerNorm.bias", new long[] {h});
        }
        return m;
    }

    public BertShape shape() {
        return shape;
    }

    public Attention attention() {
        return attention;
    }

    /** All parameters (for the optimizer), in state-dict order. */
    public TensorVector parameterVector() {
        return new TensorVector(parameters.values().toArray(new Tensor[0]));
    }

    /** A copy of the current values of one parameter (row-major, torch layout). */
    public float[] values(String name) {
        Tensor t = p(name);
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor c = t.detach().contiguous();
            float[] out = new float[Math.toIntExact(c.numel())];
            c.data_ptr_float().get(out);
            return out;
        }
    }

    /** Number of parameter values. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters.values()) n += t.numel();
        return n;
    }

    /**
     * The forward pass on a prepared batch, recording the autograd graph unless a no-grad guard is active.
     * Intermediate tensors belong to the caller's {@link PointerScope}, if any.
     *
     * @return last hidden states [batch, seqLen, hidden]
     */
    public Tensor forward(TorchBatch b) {
        int batch = b.batch(), seqLen = b.seqLen();
        if (seqLen > shape.maxPositions()) {
            throw new IllegalArgumentException("sequence length " + seqLen + " exceeds " + shape.maxPositions() + " positions");
        }
        Tensor x = torch.embedding(wordEmb, b.ids())
                .add(typeEmb.narrow(0, 0, 1))
                .add(posEmb.narrow(0, 0, seqLen));
        x = torch.layer_norm(x, hiddenDim, new TensorOptional(embLnW), new TensorOptional(embLnB), shape.layerNormEps(), false);
        long heads = shape.heads(), d = shape.headDim(), h = shape.hidden();
        double scale = 1.0 / Math.sqrt(d);
        for (Layer l : layers) {
            Tensor q = torch.linear(x, l.qW, new TensorOptional(l.qB)).view(batch, seqLen, heads, d).transpose(1, 2);
            Tensor k = torch.linear(x, l.kW, new TensorOptional(l.kB)).view(batch, seqLen, heads, d).transpose(1, 2);
            Tensor v = torch.linear(x, l.vW, new TensorOptional(l.vB)).view(batch, seqLen, heads, d).transpose(1, 2);
            Tensor ctx;
            if (attention == Attention.SDPA) {
                ctx = torch.scaled_dot_product_attention(q, k, v, new TensorOptional(b.keyMask()), 0.0, false,
                        new DoubleOptional(scale), false);
            } else {
                Tensor scores = q.matmul(k.transpose(-1, -2)).mul(new Scalar(scale)).add(b.additiveKeyMask());
                ctx = scores.softmax(-1).matmul(v);
            }
            ctx = ctx.transpose(1, 2).reshape(batch, seqLen, h);
            Tensor attnOut = torch.linear(ctx, l.oW, new TensorOptional(l.oB)).add(x);
            x = torch.layer_norm(attnOut, hiddenDim, new TensorOptional(l.ln1W), new TensorOptional(l.ln1B), shape.layerNormEps(), false);
            Tensor inter = torch.gelu(torch.linear(x, l.iW, new TensorOptional(l.iB)));
            Tensor out = torch.linear(inter, l.dW, new TensorOptional(l.dB)).add(x);
            x = torch.layer_norm(out, hiddenDim, new TensorOptional(l.ln2W), new TensorOptional(l.ln2B), shape.layerNormEps(), false);
        }
        return x;
    }

    /** Inference forward (no autograd graph) into {@code out} [batch * seqLen * hidden]. */
    public void forwardInto(TorchBatch b, float[] out) {
        long n = (long) b.batch() * b.seqLen() * shape.hidden();
        if (out.length < n) throw new IllegalArgumentException("output has " + out.length + " floats, need " + n);
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor hidden = forward(b).contiguous();
            hidden.data_ptr_float().get(out, 0, (int) n);
        }
    }

    /** A float32 tensor holding a copy of {@code values}. */
    static Tensor tensor(float[] values, long... dims) {
        try (FloatPointer fp = new FloatPointer(values)) {
            return torch.from_blob(fp, dims).clone();
        }
    }

    /** An int64 tensor holding {@code values} widened. */
    static Tensor longTensor(int[] values, long... dims) {
        long[] wide = new long[values.length];
        for (int i = 0; i < values.length; i++) wide[i] = values[i];
        try (LongPointer lp = new LongPointer(wide)) {
            return torch.from_blob(lp, dims, new TensorOptions(torch.ScalarType.Long)).clone();
        }
    }

    @Override
    public void close() {
        List<Tensor> all = new ArrayList<>(parameters.values());
        parameters.clear();
        for (Tensor t : all) t.close();
    }
}
