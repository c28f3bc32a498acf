package dev.relex.heads;

import dev.relex.engine.Gradients;
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

    /**
     * Training forward: the same probabilities into a[0 … e·e), keeping in {@code st} what
     * {@link #backward} needs (x is kept by reference and must not change until then).
     */
    void forward(float[] x, int e, float[] a, State st);

    /**
     * Backward of the latest training forward: writes dX [e, D] from dA [e, e] (dL/d of the probabilities)
     * and accumulates the module's parameter gradients.
     */
    void backward(State st, float[] dA, float[] dx, HeadParameters params);

    /** Rebuilds derived weight forms (input slices) after an in-place update of the canonical weights. */
    default void refreshDerived() {}

    /** Activations of one training forward, grow-only. Which fields are used depends on the mode. */
    final class State {
        int e;
        float[] x, a;
        float[] a0, an, dinv, mixed, h, z, headPart, tailPart, qkv, probs, concat, attnOut;
        float[] dG, dZ, dH, dMixed, dAn, dRow, dHead, dTail, dqkv, dP, dConcat, dOut;
    }

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

    /**
     * Backward of a = σ(z zᵀ): dZ (=, or += when accumulate) = (dG + dGᵀ)·z with dG = dA ⊙ a(1 − a).
     */
    private static void sigmoidGramBackward(float[] z, int e, int d, float[] a, float[] dA, float[] dz, boolean accumulate,
                                            State st) {
        st.dG = Buffers.grow(st.dG, (long) e * e);
        for (int i = 0; i < e * e; i++) st.dG[i] = dA[i] * a[i] * (1f - a[i]);
        for (int i = 0; i < e; i++) {
            for (int j = i; j < e; j++) {
                float sym = st.dG[i * e + j] + st.dG[j * e + i];
                st.dG[i * e + j] = sym;
                st.dG[j * e + i] = sym;
            }
        }
        Ops.gemm(e, d, e, st.dG, 0, e, z, 0, d, dz, 0, d, accumulate);
    }

    /** "dot": σ(X Xᵀ), no parameters. */
    record Dot(int width) implements Adjacency {
        @Override
        public void compute(float[] x, int e, float[] a, Scratch scratch) {
            sigmoidGram(x, e, width, a);
        }

        @Override
        public void forward(float[] x, int e, float[] a, State st) {
            st.e = e;
            st.x = x;
            st.a = a;
            sigmoidGram(x, e, width, a);
        }

        @Override
        public void backward(State st, float[] dA, float[] dx, HeadParameters params) {
            sigmoidGramBackward(st.x, st.e, width, st.a, dA, dx, false, st);
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

        @Override
        public void forward(float[] x, int e, float[] a, State st) {
            st.e = e;
            st.x = x;
            st.a = a;
            st.z = Buffers.grow(st.z, (long) e * proj.out());
            Ops.linear(x, 0, e, proj, st.z, 0);
            sigmoidGram(st.z, e, proj.out(), a);
        }

        @Override
        public void backward(State st, float[] dA, float[] dx, HeadParameters params) {
            int e = st.e;
            st.dZ = Buffers.grow(st.dZ, (long) e * proj.out());
            sigmoidGramBackward(st.z, e, proj.out(), st.a, dA, st.dZ, false, st);
            Gradients.linearBackward(st.x, 0, e, proj, st.dZ, 0, dx, 0, false, params.grad(proj.weight()),
                    params.grad(proj.bias()));
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
        @Override
        public void forward(float[] x, int e, float[] a, State st) {
            int d = gcnLinear.in();
            st.e = e;
            st.x = x;
            st.a = a;
            st.a0 = Buffers.grow(st.a0, (long) e * e);
            st.an = Buffers.grow(st.an, (long) e * e);
            st.dinv = Buffers.grow(st.dinv, e);
            st.mixed = Buffers.grow(st.mixed, (long) e * d);
            st.h = Buffers.grow(st.h, (long) e * gcnLinear.out());
            st.z = Buffers.grow(st.z, (long) e * proj.out());
            sigmoidGram(x, e, d, st.a0);
            for (int i = 0; i < e; i++) {
                float deg = 0f;
                for (int j = 0; j < e; j++) deg += st.a0[i * e + j] + (i == j ? 1f : 0f);
                st.dinv[i] = (float) Math.pow(Math.max(deg, 1e-6f), -0.5);
            }
            for (int i = 0; i < e; i++) {
                for (int j = 0; j < e; j++) {
                    st.an[i * e + j] = st.dinv[i] * (st.a0[i * e + j] + (i == j ? 1f : 0f)) * st.dinv[j];
                }
            }
            Ops.matmul(st.an, 0, e, e, x, 0, d, st.mixed, 0);
            Ops.linear(st.mixed, 0, e, gcnLinear, st.h, 0);
            Ops.relu(st.h, 0, e * gcnLinear.out());
            Ops.linear(st.h, 0, e, proj, st.z, 0);
            sigmoidGram(st.z, e, proj.out(), a);
        }

        @Override
        public void backward(State st, float[] dA, float[] dx, HeadParameters params) {
            int e = st.e;
            int d = gcnLinear.in();
            st.dZ = Buffers.grow(st.dZ, (long) e * proj.out());
            st.dH = Buffers.grow(st.dH, (long) e * gcnLinear.out());
            st.dMixed = Buffers.grow(st.dMixed, (long) e * d);
            st.dAn = Buffers.grow(st.dAn, (long) e * e);
            st.dRow = Buffers.grow(st.dRow, e);
            sigmoidGramBackward(st.z, e, proj.out(), st.a, dA, st.dZ, false, st);
            Gradients.linearBackward(st.h, 0, e, proj, st.dZ, 0, st.dH, 0, false, params.grad(proj.weight()),
                    params.grad(proj.bias()));
            Gradients.reluBackward(st.h, 0, e * gcnLinear.out(), st.dH, 0, st.dH, 0);
            Gradients.linearBackward(st.mixed, 0, e, gcnLinear, st.dH, 0, st.dMixed, 0, false,
                    params.grad(gcnLinear.weight()), params.grad(gcnLinear.bias()));
            // mixed = Â X: dÂ = dMixed Xᵀ, dX = Âᵀ dMixed.
            Ops.matmulTransB(st.dMixed, 0, e, d, st.x, 0, e, st.dAn, 0);
            Gradients.gemmTransA(e, d, e, st.an, 0, e, st.dMixed, 0, d, dx, 0, d, false);
            // Â_ij = s_i A1_ij s_j with s = deg^-½: ds_i = Σ_j (dÂ_ij Â_ij + dÂ_ji Â_ji) / s_i;
            // ddeg_i = −½ s_i³ ds_i (0 where the clamp is active); dA1_ij = dÂ_ij s_i s_j + ddeg_i.
            for (int i = 0; i < e; i++) {
                float ds = 0f;
                for (int j = 0; j < e; j++) {
                    float a1ij = st.a0[i * e + j] + (i == j ? 1f : 0f);
                    float a1ji = st.a0[j * e + i] + (i == j ? 1f : 0f);
                    ds += st.dAn[i * e + j] * a1ij * st.dinv[j] + st.dAn[j * e + i] * st.dinv[j] * a1ji;
                }
                float deg = 1f / (st.dinv[i] * st.dinv[i]);
                st.dRow[i] = deg > 1e-6f ? -0.5f * st.dinv[i] * st.dinv[i] * st.dinv[i] * ds : 0f;
            }
            // dA1 → dA0 (identity added) → dG0 = dA0 ⊙ a0(1 − a0); dX += (dG0 + dG0ᵀ) X.
            for (int i = 0; i < e; i++) {
                for (int j = 0; j < e; j++) {
                    st.dAn[i * e + j] = st.dAn[i * e + j] * st.dinv[i] * st.dinv[j] + st.dRow[i];
                }
            }
            sigmoidGramBackward(st.x, e, d, st.a0, st.dAn, dx, true, st);
        }
    }

    /**
     * "mlp" (MLPDecoder): A[i, j] = σ(w2·ReLU(W1 [x_i ; x_j] + b1) + b2), asymmetric. W1 is split into its
     * head and tail halves, computed once per node.
     */
    record MlpPairs(Linear first, Linear head, Linear tail, Linear second) implements Adjacency {
        MlpPairs(Linear first, Linear second) {
            this(first, first.inputSlice(0, first.in() / 2, false), first.inputSlice(first.in() / 2, first.in() / 2, true),
                    second);
        }

        @Override
        public void refreshDerived() {
            head.refreshInputSlice(first, 0);
            tail.refreshInputSlice(first, first.in() / 2);
        }

        @Override
        public void forward(float[] x, int e, float[] a, State st) {
            int d = first.in() / 2;
            int h = first.out();
            st.e = e;
            st.x = x;
            st.a = a;
            st.headPart = Buffers.grow(st.headPart, (long) e * h);
            st.tailPart = Buffers.grow(st.tailPart, (long) e * h);
            st.dRow = Buffers.grow(st.dRow, h);
            Ops.gemmTransB(e, h, d, x, 0, d, first.weight(), 0, 2 * d, st.headPart, 0, h, false, null, 0);
            Ops.gemmTransB(e, h, d, x, 0, d, first.weight(), d, 2 * d, st.tailPart, 0, h, false, first.bias(), 0);
            float b2 = second.bias()[0];
            float[] row = st.dRow;
            for (int i = 0; i < e; i++) {
                for (int j = 0; j < e; j++) {
                    System.arraycopy(st.headPart, i * h, row, 0, h);
                    Ops.add(row, 0, st.tailPart, j * h, h);
                    Ops.relu(row, 0, h);
                    a[i * e + j] = Ops.sigmoid(Ops.dot(row, 0, second.weight(), 0, h) + b2);
                }
            }
        }

        @Override
        public void backward(State st, float[] dA, float[] dx, HeadParameters params) {
            int e = st.e;
            int d = first.in() / 2;
            int h = first.out();
            st.dHead = Buffers.zeroed(st.dHead, (long) e * h);
            st.dTail = Buffers.zeroed(st.dTail, (long) e * h);
            float[] row = st.dRow;
            float[] w2 = second.weight();
            float[] gw2 = params.grad(w2);
            float[] gb2 = params.grad(second.bias());
            for (int i = 0; i < e; i++) {
                for (int j = 0; j < e; j++) {
                    float p = st.a[i * e + j];
                    float dz = dA[i * e + j] * p * (1f - p);
                    gb2[0] += dz;
                    for (int k = 0; k < h; k++) {
                        float r = st.headPart[i * h + k] + st.tailPart[j * h + k];
                        if (r > 0f) {
                            gw2[k] += dz * r;
                            float g = dz * w2[k];
                            st.dHead[i * h + k] += g;
                            st.dTail[j * h + k] += g;
                        }
                    }
                }
            }
            float[] gW1 = params.grad(first.weight());
            float[] gb1 = params.grad(first.bias());
            Gradients.gemmTransA(h, d, e, st.dHead, 0, h, st.x, 0, d, gW1, 0, 2 * d, true);
            Gradients.gemmTransA(h, d, e, st.dTail, 0, h, st.x, 0, d, gW1, d, 2 * d, true);
            for (int j = 0; j < e; j++) {
                for (int k = 0; k < h; k++) gb1[k] += st.dTail[j * h + k];
            }
            Ops.gemm(e, d, h, st.dHead, 0, h, first.weight(), 0, 2 * d, dx, 0, d, false);
            Ops.gemm(e, d, h, st.dTail, 0, h, first.weight(), d, 2 * d, dx, 0, d, true);
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
    record MultiHead(Linear inProj, Linear outProj, int width) {
        static MultiHead load(HeadWeights w, int d) {
            if (d % HEADS != 0) {
                throw new IllegalArgumentException("attention adjacency needs hidden_size divisible by " + HEADS + ", got " + d);
            }
            return new MultiHead(new Linear(w.tensor(ADJ + "attn.in_proj_weight", 3L * d, d),
                    w.tensor(ADJ + "attn.in_proj_bias", 3L * d), d, 3 * d), w.linear(ADJ + "attn.out_proj", d, d), d);
        }

        /**
         * Training forward: head-averaged weights into {@code weights}; with {@code withOutput} the attention
         * output after out_proj into st.attnOut [e, D]. Keeps q (scaled), k, v and each head's probabilities.
         */
        void forward(float[] x, int e, float[] weights, boolean withOutput, State st) {
            int d = width;
            int hd = d / HEADS;
            st.qkv = Buffers.grow(st.qkv, (long) e * 3 * d);
            st.probs = Buffers.grow(st.probs, (long) HEADS * e * e);
            Ops.linear(x, 0, e, inProj, st.qkv, 0);
            float scale = (float) Math.sqrt(1.0 / hd);
            for (int i = 0; i < e; i++) Ops.scale(st.qkv, i * 3 * d, d, scale);
            if (withOutput) st.concat = Buffers.grow(st.concat, (long) e * d);
            java.util.Arrays.fill(weights, 0, e * e, 0f);
            for (int head = 0; head < HEADS; head++) {
                int pOff = head * e * e;
                Ops.gemmTransB(e, e, hd, st.qkv, head * hd, 3 * d, st.qkv, d + head * hd, 3 * d, st.probs, pOff, e, false,
                        null, 0);
                Ops.softmaxRows(st.probs, pOff, e, e);
                Ops.add(weights, 0, st.probs, pOff, e * e);
                if (withOutput) {
                    Ops.gemm(e, hd, e, st.probs, pOff, e, st.qkv, 2 * d + head * hd, 3 * d, st.concat, head * hd, d, false);
                }
            }
            Ops.scale(weights, 0, e * e, 1f / HEADS);
            if (withOutput) {
                st.attnOut = Buffers.grow(st.attnOut, (long) e * d);
                Ops.linear(st.concat, 0, e, outProj, st.attnOut, 0);
            }
        }

        /**
         * Backward: dX (=) from the gradient of the averaged weights (nullable) and of the attention
         * output (nullable); accumulates in_proj (and, with an output gradient, out_proj) gradients.
         */
        void backward(State st, float[] x, int e, float[] dWeights, float[] dOutput, float[] dx, HeadParameters params) {
            int d = width;
            int hd = d / HEADS;
            st.dqkv = Buffers.zeroed(st.dqkv, (long) e * 3 * d);
            st.dP = Buffers.grow(st.dP, (long) e * e);
            if (dOutput != null) {
                st.dConcat = Buffers.grow(st.dConcat, (long) e * d);
                Gradients.linearBackward(st.concat, 0, e, outProj, dOutput, 0, st.dConcat, 0, false,
                        params.grad(outProj.weight()), params.grad(outProj.bias()));
            }
            for (int head = 0; head < HEADS; head++) {
                int pOff = head * e * e;
                int qOff = head * hd, kOff = d + head * hd, vOff = 2 * d + head * hd;
                if (dWeights != null) {
                    for (int i = 0; i < e * e; i++) st.dP[i] = dWeights[i] / HEADS;
                } else {
                    java.util.Arrays.fill(st.dP, 0, e * e, 0f);
                }
                if (dOutput != null) {
                    // out_h = P_h V_h: dP_h += dOut_h V_hᵀ, dV_h = P_hᵀ dOut_h.
                    Ops.gemmTransB(e, e, hd, st.dConcat, head * hd, d, st.qkv, vOff, 3 * d, st.dP, 0, e, true);
                    Gradients.gemmTransA(e, hd, e, st.probs, pOff, e, st.dConcat, head * hd, d, st.dqkv, vOff, 3 * d, false);
                }
                Gradients.softmaxBackward(st.probs, pOff, e, e, e, st.dP, 0, st.dP, 0);
                // scores = q_s kᵀ: dq_s = dS k, dk = dSᵀ q_s.
                Ops.gemm(e, hd, e, st.dP, 0, e, st.qkv, kOff, 3 * d, st.dqkv, qOff, 3 * d, false);
                Gradients.gemmTransA(e, hd, e, st.dP, 0, e, st.qkv, qOff, 3 * d, st.dqkv, kOff, 3 * d, false);
            }
            float scale = (float) Math.sqrt(1.0 / hd);
            for (int i = 0; i < e; i++) Ops.scale(st.dqkv, i * 3 * d, d, scale);
            Gradients.linearBackward(x, 0, e, inProj, st.dqkv, 0, dx, 0, false, params.grad(inProj.weight()),
                    params.grad(inProj.bias()));
        }

        /**
         * Head-averaged attention weights into {@code weights} [e, e]; if {@code output} is not null the
         * attention output after out_proj [e, D] too.
         */
        void run(float[] x, int e, float[] weights, float[] output, Scratch scratch) {
            int d = width;
            int hd = d / HEADS;
            float[] qkv = scratch.floats((long) e * 3 * d);
            Ops.gemmTransB(e, 3 * d, d, x, 0, d, inProj.weight(), 0, d, qkv, 0, 3 * d, false, inProj.bias(), 0);
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

        @Override
        public void forward(float[] x, int e, float[] a, State st) {
            st.e = e;
            st.x = x;
            st.a = a;
            attention.forward(x, e, a, false, st);
        }

        @Override
        public void backward(State st, float[] dA, float[] dx, HeadParameters params) {
            attention.backward(st, st.x, st.e, dA, null, dx, params);
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

        @Override
        public void forward(float[] x, int e, float[] a, State st) {
            st.e = e;
            st.x = x;
            st.a = a;
            attention.forward(x, e, a, true, st);
            st.z = Buffers.grow(st.z, (long) e * linear.out());
            Ops.linear(st.attnOut, 0, e, linear, st.z, 0);
            sigmoidGram(st.z, e, linear.out(), a);
        }

        @Override
        public void backward(State st, float[] dA, float[] dx, HeadParameters params) {
            int e = st.e;
            st.dZ = Buffers.grow(st.dZ, (long) e * linear.out());
            st.dOut = Buffers.grow(st.dOut, (long) e * attention.width());
            sigmoidGramBackward(st.z, e, linear.out(), st.a, dA, st.dZ, false, st);
            Gradients.linearBackward(st.attnOut, 0, e, linear, st.dZ, 0, st.dOut, 0, false, params.grad(linear.weight()),
                    params.grad(linear.bias()));
            attention.backward(st, st.x, e, null, st.dOut, dx, params);
        }
    }
}
