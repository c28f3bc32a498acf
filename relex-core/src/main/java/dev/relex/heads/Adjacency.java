package dev.relex.heads;

import dev.relex.engine.Linear;
import dev.relex.engine.Ops;

/**
 * The adjacency modules of multitask/relations_layers.py {@code RelationsRepLayer} for one text: from the
 * E candidate span vectors [E, D] to pair probabilities [E, E]. Within one text every candidate is valid,
 * so the reference's pair mask is all ones and drops out.
 */
sealed interface Adjacency {
    /** Number of attention heads torch's MultiheadAttention gets in the reference (its default nhead). */
    int HEADS = 8;

    String ADJ = "relations_rep_layer.relation_rep_layer.";

    /** Writes the [e, e] probabilities of the e rows of x (width D) into a[0 … e·e). */
    void compute(float[] x, int e, float[] a, Scratch scratch);

    /** The module for {@code mode} (lower case), or null for "none". */
    static Adjacency load(String mode, HeadWeights w, int d) {
        return switch (mode) {
            case "none" -> null;
            case "dot" -> new Dot(d);
            case "bilinear" -> new Bilinear(w.linear(ADJ + "proj", d, d));
            case "gcn" -> new Gcn(w.linear(ADJ + "gcn.linear", d, d), w.linear(ADJ + "proj", d, d));
            case "mlp" -> new MlpPairs(w.linear(ADJ + "mlp.0", 2 * d, d), w.linear(ADJ + "mlp.2", d, 1));
            case "attention", "attn" -> new Attention(MultiHead.load(w, d));
            case "gat" -> new Gat(MultiHead.load(w, d), w.linear(ADJ + "linear", d, d));
            default -> throw new IllegalArgumentException("relations_layer '" + mode + "' is not supported");
        };
    }

    /** a = σ(z zᵀ) for e rows of z (width d). */
    private static void sigmoidGram(float[] z, int e, int d, float[] a) {
        Ops.matmulTransB(z, 0, e, d, z, 0, e, a, 0);
        for (int i = 0; i < e * e; i++) a[i] = Ops.sigmoid(a[i]);
    }

    /** "dot": σ(X Xᵀ), no parameters. */
    record Dot(int width) implements Adjacency {
        @Override
        public void compute(float[] x, int e, float[] a, Scratch scratch) {
            sigmoidGram(x, e, width, a);
        }
    }

    /** "bilinear": Z = proj(X), σ(Z Zᵀ). */
    record Bilinear(Linear proj) implements Adjacency {
        @Override
        public void compute(float[] x, int e, float[] a, Scratch scratch) {
            float[] z = scratch.floats((long) e * proj.out());
            Ops.linear(x, 0, e, proj, z, 0);
            sigmoidGram(z, e, proj.out(), a);
        }
    }

    /**
     * "gcn" (GCNDecoder): A0 = σ(X Xᵀ); A1 = A0 + I (self-loops on valid nodes, added to the diagonal that
     * A0 already has); Â = D^-½ A1 D^-½ with degrees clamped at 1e-6; H = ReLU(gcn.linear(Â X));
     * Z = proj(H); result σ(Z Zᵀ).
     */
    record Gcn(Linear gcnLinear, Linear proj) implements Adjacency {
        @Override
        public void compute(float[] x, int e, float[] a, Scratch scratch) {
            int d = gcnLinear.in();
            float[] a1 = scratch.floats((long) e * e);
            sigmoidGram(x, e, d, a1);
            float[] dinv = scratch.floats(e);
            for (int i = 0; i < e; i++) {
                a1[i * e + i] += 1f;
                float deg = 0f;
                for (int j = 0; j < e; j++) deg += a1[i * e + j];
                dinv[i] = (float) Math.pow(Math.max(deg, 1e-6f), -0.5);
            }
            for (int i = 0; i < e; i++) {
                for (int j = 0; j < e; j++) a1[i * e + j] = dinv[i] * a1[i * e + j] * dinv[j];
            }
            float[] mixed = scratch.floats((long) e * d);
            Ops.matmul(a1, 0, e, e, x, 0, d, mixed, 0);
            float[] h = scratch.floats((long) e * gcnLinear.out());
            Ops.linear(mixed, 0, e, gcnLinear, h, 0);
            Ops.relu(h, 0, e * gcnLinear.out());
            float[] z = scratch.floats((long) e * proj.out());
            Ops.linear(h, 0, e, proj, z, 0);
            sigmoidGram(z, e, proj.out(), a);
        }
    }

    /**
     * "mlp" (MLPDecoder): A[i, j] = σ(w2·ReLU(W1 [x_i ; x_j] + b1) + b2), asymmetric. W1 is split into its
     * head and tail halves, computed once per node.
     */
    record MlpPairs(Linear head, Linear tail, Linear second) implements Adjacency {
        MlpPairs(Linear first, Linear second) {
            this(first.inputSlice(0, first.in() / 2, false), first.inputSlice(first.in() / 2, first.in() / 2, true), second);
        }

        @Override
        public void compute(float[] x, int e, float[] a, Scratch scratch) {
            int h = head.out();
            float[] headPart = scratch.floats((long) e * h);
            float[] tailPart = scratch.floats((long) e * h);
            Ops.linear(x, 0, e, head, headPart, 0);
            Ops.linear(x, 0, e, tail, tailPart, 0);
            float[] row = scratch.floats(h);
            float b2 = second.bias()[0];
            for (int i = 0; i < e; i++) {
                for (int j = 0; j < e; j++) {
                    System.arraycopy(headPart, i * h, row, 0, h);
                    Ops.add(row, 0, tailPart, j * h, h);
                    Ops.relu(row, 0, h);
                    a[i * e + j] = Ops.sigmoid(Ops.dot(row, 0, second.weight(), 0, h) + b2);
                }
            }
        }
    }

    /**
     * torch {@code nn.MultiheadAttention(D, 8, batch_first=True)} self-attention over the candidates:
     * in_proj (q, k, v), per-head softmax(q·kᵀ/√hd) averaged over heads, and the out_proj of the
     * attention output.
     */
    record MultiHead(float[] inWeight, float[] inBias, Linear outProj, int width) {
        static MultiHead load(HeadWeights w, int d) {
            if (d % HEADS != 0) {
                throw new IllegalArgumentException("attention adjacency needs hidden_size divisible by " + HEADS + ", got " + d);
            }
            return new MultiHead(w.tensor(ADJ + "attn.in_proj_weight", 3L * d, d),
                    w.tensor(ADJ + "attn.in_proj_bias", 3L * d), w.linear(ADJ + "attn.out_proj", d, d), d);
        }

        /**
         * Head-averaged attention weights into {@code weights} [e, e]; if {@code output} is not null the
         * attention output after out_proj [e, D] too.
         */
        void run(float[] x, int e, float[] weights, float[] output, Scratch scratch) {
            int d = width;
            int hd = d / HEADS;
            float[] qkv = scratch.floats((long) e * 3 * d);
            Ops.gemmTransB(e, 3 * d, d, x, 0, d, inWeight, 0, d, qkv, 0, 3 * d, false, inBias, 0);
            float scale = (float) Math.sqrt(1.0 / hd);
            for (int i = 0; i < e; i++) Ops.scale(qkv, i * 3 * d, d, scale);
            float[] p = scratch.floats((long) e * e);
            float[] concat = output == null ? null : scratch.floats((long) e * d);
            java.util.Arrays.fill(weights, 0, e * e, 0f);
            for (int head = 0; head < HEADS; head++) {
                int qOff = head * hd;
                int kOff = d + head * hd;
                int vOff = 2 * d + head * hd;
                Ops.gemmTransB(e, e, hd, qkv, qOff, 3 * d, qkv, kOff, 3 * d, p, 0, e, false, null, 0);
                Ops.softmaxRows(p, 0, e, e);
                Ops.add(weights, 0, p, 0, e * e);
                if (concat != null) {
                    Ops.gemm(e, hd, e, p, 0, e, qkv, vOff, 3 * d, concat, head * hd, d, false);
                }
            }
            Ops.scale(weights, 0, e * e, 1f / HEADS);
            if (output != null) Ops.linear(concat, 0, e, outProj, output, 0);
        }
    }

    /** "attention"/"attn": the head-averaged attention weights themselves (rows sum to 1). */
    record Attention(MultiHead attention) implements Adjacency {
        @Override
        public void compute(float[] x, int e, float[] a, Scratch scratch) {
            attention.run(x, e, a, null, scratch);
        }
    }

    /** "gat": Z = linear(attention output), σ(Z Zᵀ). */
    record Gat(MultiHead attention, Linear linear) implements Adjacency {
        @Override
        public void compute(float[] x, int e, float[] a, Scratch scratch) {
            float[] out = scratch.floats((long) e * attention.width());
            attention.run(x, e, a, out, scratch);
            float[] z = scratch.floats((long) e * linear.out());
            Ops.linear(out, 0, e, linear, z, 0);
            sigmoidGram(z, e, linear.out(), a);
        }
    }
}
