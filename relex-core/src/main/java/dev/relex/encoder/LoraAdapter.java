package dev.relex.encoder;

import dev.relex.engine.Gradients;
import dev.relex.engine.Ops;
import dev.relex.engine.Parameter;

/**
 * One LoRA adapter on a block [out, in] of a weight array the encoder computes with (a whole dense
 * weight or the q/k/v block of the fused QKV matrix). The frozen base W lives in its own array; the
 * computing array holds the derived W_eff = W + s·B·A, rebuilt by {@link #refresh()}, so forward and
 * backward run exactly as without adapters. Backward: the encoder's weight gradient of the block is
 * dW_eff, and dA += s·Bᵀ·dW_eff, dB += s·dW_eff·Aᵀ.
 */
final class LoraAdapter {
    final String module;        // full module name, e.g. prefix + "encoder.layer.0.attention.self.query"
    final float[] weight;       // computing array (holds W_eff in the block)
    final int offset;           // start of the block in weight
    final int out, in, rank;
    final float scaling;
    final Parameter base;       // frozen W [out, in], own array, never given a gradient
    final Parameter a;          // lora_A [rank, in]
    final Parameter b;          // lora_B [out, rank]
    private final float[] scratchOutRank;
    private final float[] scratchRankIn;

    LoraAdapter(String module, float[] weight, int offset, int out, int in, int rank, float scaling, java.util.Random rnd) {
        this.module = module;
        this.weight = weight;
        this.offset = offset;
        this.out = out;
        this.in = in;
        this.rank = rank;
        this.scaling = scaling;
        float[] w0 = java.util.Arrays.copyOfRange(weight, offset, offset + out * in);
        this.base = new Parameter(module + ".weight", new int[] {out, in}, w0);
        // PEFT: kaiming_uniform_(a = √5) on A, i.e. U(−1/√in, 1/√in); B = 0, so W_eff = W at start.
        float[] av = new float[rank * in];
        double bound = 1.0 / Math.sqrt(in);
        for (int i = 0; i < av.length; i++) av[i] = (float) ((2 * rnd.nextDouble() - 1) * bound);
        this.a = new Parameter(module + ".lora_A.weight", new int[] {rank, in}, av);
        this.b = new Parameter(module + ".lora_B.weight", new int[] {out, rank}, new float[out * rank]);
        this.scratchOutRank = new float[out * rank];
        this.scratchRankIn = new float[rank * in];
    }

    /** weight block = base + s·B·A. */
    void refresh() {
        Ops.gemm(out, in, rank, b.data(), 0, rank, a.data(), 0, in, weight, offset, in, false);
        float[] w0 = base.data();
        for (int i = 0; i < out * in; i++) weight[offset + i] = w0[i] + scaling * weight[offset + i];
    }

    /** Zeroes the block of the computing array's gradient before the backward of its layer. */
    void clearBlock(float[] grad) {
        java.util.Arrays.fill(grad, offset, offset + out * in, 0f);
    }

    /** Adds s·Bᵀ·dW to dA and s·dW·Aᵀ to dB, dW = the block of {@code grad} (this step's dW_eff). */
    void backward(float[] grad) {
        // dB[out, r] = dW[out, in]·A[r, in]ᵀ
        Ops.gemmTransB(out, rank, in, grad, offset, in, a.data(), 0, in, scratchOutRank, 0, rank, false);
        Ops.axpy(scaling, scratchOutRank, 0, b.grad(), 0, out * rank);
        // dA[r, in] = B[out, r]ᵀ·dW[out, in]
        Gradients.gemmTransA(rank, in, out, b.data(), 0, rank, grad, offset, in, scratchRankIn, 0, in, false);
        Ops.axpy(scaling, scratchRankIn, 0, a.grad(), 0, rank * in);
    }
}
