package dev.relex.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on {@code jdk.incubator.vector}. This class is only loaded when the module is in the boot
 * layer (see {@link Ops}), so nothing else in the engine may reference Vector API types.
 *
 * <p>GEMM follows the BLIS/GotoBLAS scheme: B is packed per (KC × NC) block into column panels of
 * {@link #NR} = 2 vectors, stored k-major so the micro-kernel reads them contiguously, and a 6 × NR
 * register tile of C is updated with broadcast(A[i, p]) · Bpanel[p] fused multiply-adds (12
 * accumulators + 2 B vectors + 1 broadcast = 15 of the 16 AVX2 registers). Each C element is thus the
 * FMA chain over k = 0..K-1 in order, whatever the tile, block or thread split: results are bitwise
 * independent of M, of the chunking and of the thread count.
 */
final class VectorKernels extends Kernels {
    static final VectorKernels INSTANCE = new VectorKernels();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns per register tile (two vectors). */
    static final int NR = 2 * L;
    /** Rows per register tile. */
    static final int MR = 6;
    /**
     * Depth of a packed block. 384 covers the 384-wide BERT-small layers in one block; it was the best of
     * 128..512 on the AVX2 test machine (a 6 × KC slice of A and a KC × NR panel of B ≈ L1).
     */
    private static final int KC = 384;
    /** Width of a packed block: KC × NC floats (192 KB) stay in L2 next to the A rows. */
    private static final int NC = Math.max(NR, (128 / NR) * NR);

    // Lane permutations and masks of the 8 × 8 register transpose (only used when L == 8).
    private static final VectorShuffle<Float> SWAP4 = L == 8 ? VectorShuffle.fromValues(S, 4, 5, 6, 7, 0, 1, 2, 3) : null;
    private static final VectorShuffle<Float> SWAP2 = L == 8 ? VectorShuffle.fromValues(S, 2, 3, 0, 1, 6, 7, 4, 5) : null;
    private static final VectorShuffle<Float> SWAP1 = L == 8 ? VectorShuffle.fromValues(S, 1, 0, 3, 2, 5, 4, 7, 6) : null;
    private static final VectorMask<Float> HI4 = laneBitMask(4);
    private static final VectorMask<Float> HI2 = laneBitMask(2);
    private static final VectorMask<Float> HI1 = laneBitMask(1);

    private static final ThreadLocal<float[]> PACK = ThreadLocal.withInitial(() -> new float[KC * NC]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

    private VectorKernels() {}

    /** Lanes whose index has the given bit set. */
    private static VectorMask<Float> laneBitMask(int bit) {
        boolean[] bits = new boolean[L];
        for (int i = 0; i < L; i++) bits[i] = (i & bit) != 0;
        return VectorMask.fromArray(S, bits, 0);
    }

    @Override
    String name() {
        return "vector(" + S.vectorBitSize() + "-bit)";
    }

    @Override
    int rowTile() {
        return MR;
    }

    @Override
    int colTile() {
        return NR;
    }

    // ------------------------------------------------------------------------------------------ GEMM

    @Override
    void gemmBlock(boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff,
                   float[] packedB, int packedCol) {
        float[] pack = packedB != null ? packedB : PACK.get();
        int packedWidth = packedB != null ? packedB.length / k : 0;
        float[] tile = TILE.get();
        for (int j0 = 0; j0 < n; j0 += NC) {
            int nc = Math.min(NC, n - j0);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                // Offset of this block's first panel in pack (see prepackTransB for the pre-packed layout).
                int blockOff = packedB != null ? p0 * packedWidth + (packedCol + j0) * kc : 0;
                if (packedB == null) {
                    if (transB) {
                        packTransposed(b, bOff + j0 * ldb + p0, ldb, kc, nc, pack, 0);
                    } else {
                        packRows(b, bOff + p0 * ldb + j0, ldb, kc, nc, pack);
                    }
                }
                boolean load = accumulate || p0 > 0;
                boolean last = p0 + kc == k;
                for (int i0 = 0; i0 < m; i0 += MR) {
                    int mr = Math.min(MR, m - i0);
                    int ai = aOff + i0 * lda + p0;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bp = blockOff + jr * kc;
                        int ci = cOff + i0 * ldc + j0 + jr;
                        if (nr == NR) {
                            tileRows(mr, kc, a, ai, lda, pack, bp, c, ci, ldc, load);
                        } else {
                            // Partial panel (zero padded): compute a full-width tile in scratch, copy the valid part.
                            for (int r = 0; r < mr; r++) {
                                if (load) System.arraycopy(c, ci + r * ldc, tile, r * NR, nr);
                            }
                            tileRows(mr, kc, a, ai, lda, pack, bp, tile, 0, NR, load);
                            for (int r = 0; r < mr; r++) System.arraycopy(tile, r * NR, c, ci + r * ldc, nr);
                        }
                        if (last && bias != null) {
                            for (int r = 0; r < mr; r++) add(c, ci + r * ldc, bias, biasOff + j0 + jr, nr);
                        }
                    }
                }
            }
        }
    }

    /**
     * Whole-matrix packing of constant weights B[n, k]: for each depth block p0 (multiples of KC, depth
     * kc), at offset p0 · W (W = n rounded up to NR), the panels of NR columns, panel of column j at
     * j · kc, each kc × NR k-major: exactly the blocks gemmBlock would pack on the fly.
     */
    @Override
    float[] prepackTransB(float[] b, int n, int k) {
        int width = (n + NR - 1) / NR * NR;
        float[] packed = new float[Math.multiplyExact(width, k)];
        for (int p0 = 0; p0 < k; p0 += KC) {
            packTransposed(b, p0, k, Math.min(KC, k - p0), n, packed, p0 * width);
        }
        return packed;
    }

    @Override
    boolean packsWeights() {
        return true;
    }

    /** Updates rows [0, mr) of a tile, mr ≤ 6, with the 6/4/2/1-row micro-kernels. */
    private static void tileRows(int mr, int kc, float[] a, int ai, int lda, float[] bp, int bOff,
                                 float[] c, int ci, int ldc, boolean load) {
        switch (mr) {
            case 6 -> kernel6(kc, a, ai, lda, bp, bOff, c, ci, ldc, load);
            case 5 -> {
                kernel4(kc, a, ai, lda, bp, bOff, c, ci, ldc, load);
                kernel1(kc, a, ai + 4 * lda, bp, bOff, c, ci + 4 * ldc, load);
            }
            case 4 -> kernel4(kc, a, ai, lda, bp, bOff, c, ci, ldc, load);
            case 3 -> {
                kernel2(kc, a, ai, lda, bp, bOff, c, ci, ldc, load);
                kernel1(kc, a, ai + 2 * lda, bp, bOff, c, ci + 2 * ldc, load);
            }
            case 2 -> kernel2(kc, a, ai, lda, bp, bOff, c, ci, ldc, load);
            case 1 -> kernel1(kc, a, ai, bp, bOff, c, ci, load);
            default -> throw new IllegalStateException("tile rows " + mr);
        }
    }

    /**
     * B[n, k] block (row stride ldb) → panels of NR columns, k-major, zero padded to NR. Full 8 × 8
     * blocks are transposed in registers (on 8-lane species), which is ~4x faster than scalar copies:
     * packing matters when few rows share the packed weights.
     */
    private static void packTransposed(float[] b, int bOff, int ldb, int kc, int nc, float[] pack, int packOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = packOff + jr * kc;
            for (int g = 0; g < NR; g += 8) {
                int rows = Math.min(8, nr - g);
                int src = bOff + (jr + g) * ldb;
                int p = 0;
                if (rows == 8 && L == 8) {
                    for (; p + 8 <= kc; p += 8) transpose8(b, src + p, ldb, pack, base + p * NR + g);
                }
                for (int j = 0; j < 8; j++) {
                    int dst = base + g + j;
                    if (j < rows) {
                        int s = src + j * ldb;
                        for (int q = p; q < kc; q++) pack[dst + q * NR] = b[s + q];
                    } else {
                        for (int q = p; q < kc; q++) pack[dst + q * NR] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Transposes the 8 × 8 block b[src + i·ldb + q] (i, q < 8) into pack[dst + q·NR + i]. Three butterfly
     * stages; stage d exchanges bit d of the row index with bit d of the lane index (permute + blend).
     */
    private static void transpose8(float[] b, int src, int ldb, float[] pack, int dst) {
        FloatVector r0 = FloatVector.fromArray(S, b, src);
        FloatVector r1 = FloatVector.fromArray(S, b, src + ldb);
        FloatVector r2 = FloatVector.fromArray(S, b, src + 2 * ldb);
        FloatVector r3 = FloatVector.fromArray(S, b, src + 3 * ldb);
        FloatVector r4 = FloatVector.fromArray(S, b, src + 4 * ldb);
        FloatVector r5 = FloatVector.fromArray(S, b, src + 5 * ldb);
        FloatVector r6 = FloatVector.fromArray(S, b, src + 6 * ldb);
        FloatVector r7 = FloatVector.fromArray(S, b, src + 7 * ldb);
        FloatVector t0 = r0.blend(r4.rearrange(SWAP4), HI4), t4 = r0.rearrange(SWAP4).blend(r4, HI4);
        FloatVector t1 = r1.blend(r5.rearrange(SWAP4), HI4), t5 = r1.rearrange(SWAP4).blend(r5, HI4);
        FloatVector t2 = r2.blend(r6.rearrange(SWAP4), HI4), t6 = r2.rearrange(SWAP4).blend(r6, HI4);
        FloatVector t3 = r3.blend(r7.rearrange(SWAP4), HI4), t7 = r3.rearrange(SWAP4).blend(r7, HI4);
        r0 = t0.blend(t2.rearrange(SWAP2), HI2);
        r2 = t0.rearrange(SWAP2).blend(t2, HI2);
        r1 = t1.blend(t3.rearrange(SWAP2), HI2);
        r3 = t1.rearrange(SWAP2).blend(t3, HI2);
        r4 = t4.blend(t6.rearrange(SWAP2), HI2);
        r6 = t4.rearrange(SWAP2).blend(t6, HI2);
        r5 = t5.blend(t7.rearrange(SWAP2), HI2);
        r7 = t5.rearrange(SWAP2).blend(t7, HI2);
        r0.blend(r1.rearrange(SWAP1), HI1).intoArray(pack, dst);
        r0.rearrange(SWAP1).blend(r1, HI1).intoArray(pack, dst + NR);
        r2.blend(r3.rearrange(SWAP1), HI1).intoArray(pack, dst + 2 * NR);
        r2.rearrange(SWAP1).blend(r3, HI1).intoArray(pack, dst + 3 * NR);
        r4.blend(r5.rearrange(SWAP1), HI1).intoArray(pack, dst + 4 * NR);
        r4.rearrange(SWAP1).blend(r5, HI1).intoArray(pack, dst + 5 * NR);
        r6.blend(r7.rearrange(SWAP1), HI1).intoArray(pack, dst + 6 * NR);
        r6.rearrange(SWAP1).blend(r7, HI1).intoArray(pack, dst + 7 * NR);
    }

    /** B[k, n] block (row stride ldb) → panels of NR columns, k-major, zero padded to NR. */
    private static void packRows(float[] b, int bOff, int ldb, int kc, int nc, float[] pack) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (nr == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + p * ldb + jr;
                    int dst = base + p * NR;
                    FloatVector.fromArray(S, b, src).intoArray(pack, dst);
                    FloatVector.fromArray(S, b, src + L).intoArray(pack, dst + L);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + p * ldb + jr;
                    int dst = base + p * NR;
                    System.arraycopy(b, src, pack, dst, nr);
                    java.util.Arrays.fill(pack, dst + nr, dst + NR, 0f);
                }
            }
        }
    }

    private static void kernel6(int kc, float[] a, int a0, int lda, float[] bp, int b0,
                                float[] c, int c0, int ldc, boolean load) {
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        int r1 = c0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load) {
            c00 = FloatVector.fromArray(S, c, c0);
            c01 = FloatVector.fromArray(S, c, c0 + L);
            c10 = FloatVector.fromArray(S, c, r1);
            c11 = FloatVector.fromArray(S, c, r1 + L);
            c20 = FloatVector.fromArray(S, c, r2);
            c21 = FloatVector.fromArray(S, c, r2 + L);
            c30 = FloatVector.fromArray(S, c, r3);
            c31 = FloatVector.fromArray(S, c, r3 + L);
            c40 = FloatVector.fromArray(S, c, r4);
            c41 = FloatVector.fromArray(S, c, r4 + L);
            c50 = FloatVector.fromArray(S, c, r5);
            c51 = FloatVector.fromArray(S, c, r5 + L);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c01 = z; c10 = z; c11 = z; c20 = z; c21 = z;
            c30 = z; c31 = z; c40 = z; c41 = z; c50 = z; c51 = z;
        }
        for (int p = 0; p < kc; p++) {
            int bi = b0 + p * NR;
            FloatVector b0v = FloatVector.fromArray(S, bp, bi);
            FloatVector b1v = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
    }

    private static void kernel4(int kc, float[] a, int a0, int lda, float[] bp, int b0,
                                float[] c, int c0, int ldc, boolean load) {
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int r1 = c0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        if (load) {
            c00 = FloatVector.fromArray(S, c, c0);
            c01 = FloatVector.fromArray(S, c, c0 + L);
            c10 = FloatVector.fromArray(S, c, r1);
            c11 = FloatVector.fromArray(S, c, r1 + L);
            c20 = FloatVector.fromArray(S, c, r2);
            c21 = FloatVector.fromArray(S, c, r2 + L);
            c30 = FloatVector.fromArray(S, c, r3);
            c31 = FloatVector.fromArray(S, c, r3 + L);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c01 = z; c10 = z; c11 = z; c20 = z; c21 = z; c30 = z; c31 = z;
        }
        for (int p = 0; p < kc; p++) {
            int bi = b0 + p * NR;
            FloatVector b0v = FloatVector.fromArray(S, bp, bi);
            FloatVector b1v = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
    }

    private static void kernel2(int kc, float[] a, int a0, int lda, float[] bp, int b0,
                                float[] c, int c0, int ldc, boolean load) {
        int a1 = a0 + lda;
        int r1 = c0 + ldc;
        FloatVector c00, c01, c10, c11;
        if (load) {
            c00 = FloatVector.fromArray(S, c, c0);
            c01 = FloatVector.fromArray(S, c, c0 + L);
            c10 = FloatVector.fromArray(S, c, r1);
            c11 = FloatVector.fromArray(S, c, r1 + L);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c01 = z; c10 = z; c11 = z;
        }
        for (int p = 0; p < kc; p++) {
            int bi = b0 + p * NR;
            FloatVector b0v = FloatVector.fromArray(S, bp, bi);
            FloatVector b1v = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
    }

    private static void kernel1(int kc, float[] a, int a0, float[] bp, int b0, float[] c, int c0, boolean load) {
        FloatVector c00, c01;
        if (load) {
            c00 = FloatVector.fromArray(S, c, c0);
            c01 = FloatVector.fromArray(S, c, c0 + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
        }
        for (int p = 0; p < kc; p++) {
            int bi = b0 + p * NR;
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(FloatVector.fromArray(S, bp, bi), c00);
            c01 = av.fma(FloatVector.fromArray(S, bp, bi + L), c01);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
    }

    // ------------------------------------------------------------------------------ vector helpers

    private static final float EXP_HI = 88.72283f, EXP_LO = -87.33654f;

    /**
     * e^x per lane (Cephes expf: Cody-Waite reduction, degree-5 polynomial, relative error about 1.5e-7)
     * built from lane operations that are exactly rounded (mul, fma, add, integer shifts), so a result
     * never depends on whether the JIT has compiled the caller. {@code lanewise(EXP)} does: its intrinsic
     * and its Java fallback differ in the last bit for a few percent of inputs, which made identical
     * encoder calls return different states before and after warm-up. Below -87.34 (and for -inf) the
     * result is 0, above 88.72 it is +inf; NaN stays NaN.
     */
    private static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        // n = round(x / ln 2) by the 1.5·2^23 trick: the sum's low mantissa bits hold n.
        FloatVector t = xc.fma(1.44269504088896341f, 12582912f);
        FloatVector n = t.sub(12582912f);
        FloatVector r = n.fma(bc(2.12194440e-4f), n.fma(bc(-0.693359375f), xc)); // x - n·ln2 in two parts
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f).fma(r, bc(8.3334519073e-3f))
                .fma(r, bc(4.1665795894e-2f)).fma(r, bc(1.6666665459e-1f)).fma(r, bc(5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        FloatVector scale = t.reinterpretAsInts().sub(0x4B400000 - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        y = y.mul(scale);
        y = y.blend(0f, x.lt(EXP_LO));
        return y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
    }

    /**
     * Sum of the lanes in lane order. {@code reduceLanes(ADD)} leaves the order unspecified and its
     * compiled and interpreted forms differ, so the same row gave different LayerNorm/softmax results
     * before and after warm-up.
     */
    private static float sumLanes(FloatVector v) {
        float s = v.lane(0);
        for (int i = 1; i < L; i++) s += v.lane(i);
        return s;
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(S, v);
    }

    @Override
    float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = len - 4 * L; i <= bound; i += 4 * L) {
            s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
            s1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), s1);
            s2 = FloatVector.fromArray(S, a, aOff + i + 2 * L).fma(FloatVector.fromArray(S, b, bOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, a, aOff + i + 3 * L).fma(FloatVector.fromArray(S, b, bOff + i + 3 * L), s3);
        }
        for (int bound = len - L; i <= bound; i += L) {
            s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
        }
        float s = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < len; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
        return s;
    }

    @Override
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            av.fma(FloatVector.fromArray(S, x, xOff + i), FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    @Override
    void add(float[] dst, int dOff, float[] src, int sOff, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, dst, dOff + i).add(FloatVector.fromArray(S, src, sOff + i)).intoArray(dst, dOff + i);
        }
        for (; i < len; i++) dst[dOff + i] += src[sOff + i];
    }

    @Override
    void scale(float[] x, int off, int len, float alpha) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(alpha).intoArray(x, off + i);
        }
        for (; i < len; i++) x[off + i] *= alpha;
    }

    @Override
    void layerNorm(float[] x, int off, int rows, int dim, float[] gamma, float[] beta, float eps) {
        int bound = S.loopBound(dim);
        for (int r = 0; r < rows; r++) {
            int o = off + r * dim;
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (; i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, x, o + i));
            float sum = sumLanes(acc);
            for (; i < dim; i++) sum += x[o + i];
            float mean = sum / dim;
            FloatVector mv = FloatVector.broadcast(S, mean);
            acc = FloatVector.zero(S);
            for (i = 0; i < bound; i += L) {
                FloatVector d = FloatVector.fromArray(S, x, o + i).sub(mv);
                acc = d.fma(d, acc);
            }
            float sq = sumLanes(acc);
            for (; i < dim; i++) {
                float d = x[o + i] - mean;
                sq += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(sq / dim + (double) eps));
            for (i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, o + i).sub(mv).mul(inv);
                v.fma(FloatVector.fromArray(S, gamma, i), FloatVector.fromArray(S, beta, i)).intoArray(x, o + i);
            }
            for (; i < dim; i++) x[o + i] = (x[o + i] - mean) * inv * gamma[i] + beta[i];
        }
    }

    @Override
    void sigmoid(float[] x, int off, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            FloatVector.broadcast(S, 1f).div(exp(v.neg()).add(1f)).intoArray(x, off + i);
        }
        for (; i < len; i++) x[off + i] = ScalarKernels.sigmoid(x[off + i]);
    }

    @Override
    void tanh(float[] x, int off, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            FloatVector two = FloatVector.broadcast(S, 2f);
            two.div(exp(v.mul(-2f)).add(1f)).sub(1f).intoArray(x, off + i);
        }
        for (; i < len; i++) x[off + i] = ScalarKernels.tanh(x[off + i]);
    }

    @Override
    void relu(float[] x, int off, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, off + i).max(0f).intoArray(x, off + i);
        }
        for (; i < len; i++) {
            if (x[off + i] < 0f) x[off + i] = 0f;
        }
    }

    @Override
    void softmax(float[] x, int off, int len) {
        int bound = S.loopBound(len);
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += L) mv = mv.max(FloatVector.fromArray(S, x, off + i));
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) max = Math.max(max, x[off + i]);
        mv = FloatVector.broadcast(S, max);
        FloatVector acc = FloatVector.zero(S);
        for (i = 0; i < bound; i += L) {
            FloatVector e = exp(FloatVector.fromArray(S, x, off + i).sub(mv));
            e.intoArray(x, off + i);
            acc = acc.add(e);
        }
        float sum = sumLanes(acc);
        for (; i < len; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        scale(x, off, len, 1f / sum);
    }

    // ----------------------------------------------------------------------------------------- GELU

    /**
     * Exact (erf) GELU as x/2 · erfc(-x/√2). erfc uses the Numerical Recipes Chebyshev fit
     * t·exp(-z² + P(t)), t = 1/(1 + |z|/2), relative error below 1.2e-7 over the whole range, so the left
     * tail (where 1 + erf(z) cancels) keeps its relative precision. P is evaluated in Estrin form and two
     * vectors are processed per iteration: shorter dependency chains, ~25% faster than plain Horner.
     * The body is written out (no helper method) because a call that is not inlined boxes the vectors.
     */
    @Override
    void gelu(float[] x, int off, int len) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        FloatVector negRsqrt2 = FloatVector.broadcast(S, -0.70710678118654752f);
        FloatVector p9 = FloatVector.broadcast(S, 0.17087277f), p8 = FloatVector.broadcast(S, -0.82215223f);
        FloatVector p7 = FloatVector.broadcast(S, 1.48851587f), p6 = FloatVector.broadcast(S, -1.13520398f);
        FloatVector p5 = FloatVector.broadcast(S, 0.27886807f), p4 = FloatVector.broadcast(S, -0.18628806f);
        FloatVector p3 = FloatVector.broadcast(S, 0.09678418f), p2 = FloatVector.broadcast(S, 0.37409196f);
        FloatVector p1 = FloatVector.broadcast(S, 1.00002368f), p0 = FloatVector.broadcast(S, -1.26551223f);
        int i = 0;
        for (; i + L <= len; i += L) {
            FloatVector v0 = FloatVector.fromArray(S, x, off + i);
            FloatVector z0 = v0.mul(negRsqrt2);
            FloatVector az0 = z0.abs();
            FloatVector t0 = one.div(az0.fma(half, one));
            FloatVector tt0 = t0.mul(t0);
            FloatVector t40 = tt0.mul(tt0);
            FloatVector lo0 = t0.fma(p3, p2).fma(tt0, t0.fma(p1, p0));
            FloatVector hi0 = t0.fma(p7, p6).fma(tt0, t0.fma(p5, p4));
            FloatVector poly0 = t0.fma(p9, p8).fma(t40, hi0).fma(t40, lo0);
            FloatVector ans0 = t0.mul(exp(az0.neg().fma(az0, poly0)));
            FloatVector erfc0 = ans0.blend(two.sub(ans0), z0.lt(0f));
            v0.mul(half).mul(erfc0).intoArray(x, off + i);
        }
        for (; i < len; i++) x[off + i] = ScalarKernels.geluExact(x[off + i]);
    }

    /**
     * Backward of the exact GELU: dx = dy·(Φ(x) + x·φ(x)) with Φ(x) = erfc(-x/√2)/2 from the same
     * Chebyshev fit as {@link #gelu} and φ(x) = e^(-x²/2)/√(2π). Two loops per block of 512 values, one
     * exp each: a single loop with both exps is too large for C2 to intrinsify and runs ~10x slower.
     */
    @Override
    void geluBackward(float[] x, int xOff, int len, float[] dy, int dyOff, float[] dx, int dxOff) {
        final int block = GELU_BLOCK;
        float[] cdf = GELU_CDF.get();
        int vlen = len - len % L;
        for (int b0 = 0; b0 < vlen; b0 += block) {
            int b1 = Math.min(vlen, b0 + block);
            geluCdf(x, xOff + b0, b1 - b0, cdf);
            FloatVector negHalf = FloatVector.broadcast(S, -0.5f);
            FloatVector invSqrt2Pi = FloatVector.broadcast(S, 0.3989422804014327f);
            for (int i = b0; i < b1; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                FloatVector pdf = exp(v.mul(v).mul(negHalf)).mul(invSqrt2Pi);
                FloatVector grad = FloatVector.fromArray(S, cdf, i - b0).add(v.mul(pdf));
                FloatVector.fromArray(S, dy, dyOff + i).mul(grad).intoArray(dx, dxOff + i);
            }
        }
        for (int i = vlen; i < len; i++) {
            double v = x[xOff + i];
            double c = 0.5 * Erf.erfc(-v * 0.7071067811865476);
            double pdf = 0.3989422804014327 * Math.exp(-0.5 * v * v);
            dx[dxOff + i] = (float) (dy[dyOff + i] * (c + v * pdf));
        }
    }

    private static final int GELU_BLOCK = 512;
    /** Per-thread block of Φ values for {@link #geluBackward} (no allocation per call on the training path). */
    private static final ThreadLocal<float[]> GELU_CDF = ThreadLocal.withInitial(() -> new float[GELU_BLOCK]);

    /** out[i] = Φ(x[off + i]) = erfc(-x/√2)/2 for n values, n a multiple of L. */
    private static void geluCdf(float[] x, int off, int n, float[] out) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        FloatVector negRsqrt2 = FloatVector.broadcast(S, -0.70710678118654752f);
        FloatVector p9 = FloatVector.broadcast(S, 0.17087277f), p8 = FloatVector.broadcast(S, -0.82215223f);
        FloatVector p7 = FloatVector.broadcast(S, 1.48851587f), p6 = FloatVector.broadcast(S, -1.13520398f);
        FloatVector p5 = FloatVector.broadcast(S, 0.27886807f), p4 = FloatVector.broadcast(S, -0.18628806f);
        FloatVector p3 = FloatVector.broadcast(S, 0.09678418f), p2 = FloatVector.broadcast(S, 0.37409196f);
        FloatVector p1 = FloatVector.broadcast(S, 1.00002368f), p0 = FloatVector.broadcast(S, -1.26551223f);
        for (int i = 0; i < n; i += L) {
            FloatVector v0 = FloatVector.fromArray(S, x, off + i);
            FloatVector z0 = v0.mul(negRsqrt2);
            FloatVector az0 = z0.abs();
            FloatVector t0 = one.div(az0.fma(half, one));
            FloatVector tt0 = t0.mul(t0);
            FloatVector t40 = tt0.mul(tt0);
            FloatVector lo0 = t0.fma(p3, p2).fma(tt0, t0.fma(p1, p0));
            FloatVector hi0 = t0.fma(p7, p6).fma(tt0, t0.fma(p5, p4));
            FloatVector poly0 = t0.fma(p9, p8).fma(t40, hi0).fma(t40, lo0);
            FloatVector ans0 = t0.mul(exp(az0.neg().fma(az0, poly0)));
            FloatVector erfc0 = ans0.blend(two.sub(ans0), z0.lt(0f));
            erfc0.mul(half).intoArray(out, i);
        }
    }
}
