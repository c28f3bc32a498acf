package dev.relex.encoder;

import java.util.List;
import java.util.Map;

/**
 * A deliberately literal re-implementation of transformers' BertModel and DebertaV2Model forward
 * passes (double precision, full padded sequences, torch-style gathers and transposes) used to check
 * the optimised encoder on configurations the golden data does not cover.
 */
final class NaiveTransformer {
    /** Settings mirroring the HF config fields. */
    record Settings(boolean bert, int hidden, int heads, int headSize, int inter, int layers, double eps,
                    int embeddingSize, boolean positionBiasedInput, int typeVocab, boolean relative,
                    int positionBuckets, int maxRelativePositions, List<String> posAttType, boolean shareAttKey,
                    boolean normRel, boolean relu) {}

    private final Settings s;
    private final Map<String, float[]> w;

    NaiveTransformer(Settings s, Map<String, float[]> weights) {
        this.s = s;
        this.w = weights;
    }

    /** Returns [B][T][H] last hidden states. */
    double[][][] forward(int[] ids, int[] mask, int batch, int seqLen) {
        double[][][] out = new double[batch][][];
        for (int b = 0; b < batch; b++) {
            int[] id = java.util.Arrays.copyOfRange(ids, b * seqLen, (b + 1) * seqLen);
            int[] m = java.util.Arrays.copyOfRange(mask, b * seqLen, (b + 1) * seqLen);
            out[b] = s.bert ? bert(id, m) : deberta(id, m);
        }
        return out;
    }

    private double[][] bert(int[] ids, int[] mask) {
        int t = ids.length, h = s.hidden;
        double[][] x = new double[t][h];
        float[] we = w.get("embeddings.word_embeddings.weight");
        float[] pe = w.get("embeddings.position_embeddings.weight");
        float[] te = w.get("embeddings.token_type_embeddings.weight");
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < h; c++) x[i][c] = we[ids[i] * h + c] + te[c] + pe[i * h + c];
        }
        x = layerNorm(x, "embeddings.LayerNorm");
        for (int l = 0; l < s.layers; l++) {
            String p = "encoder.layer." + l + ".";
            double[][] q = linear(x, p + "attention.self.query");
            double[][] k = linear(x, p + "attention.self.key");
            double[][] v = linear(x, p + "attention.self.value");
            double[][] ctx = new double[t][s.heads * s.headSize];
            for (int hd = 0; hd < s.heads; hd++) {
                double[][] sc = new double[t][t];
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < t; j++) {
                        sc[i][j] = dot(q[i], k[j], hd) / Math.sqrt(s.headSize) + (1.0 - mask[j]) * -3.4028234663852886e38;
                    }
                }
                softmaxInto(sc, v, ctx, hd, null);
            }
            x = block(x, ctx, p);
        }
        return x;
    }

    private double[][] deberta(int[] ids, int[] mask) {
        int t = ids.length, h = s.hidden, e = s.embeddingSize;
        double[][] emb = new double[t][e];
        float[] we = w.get("embeddings.word_embeddings.weight");
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < e; c++) {
                double v = we[ids[i] * e + c];
                if (s.positionBiasedInput) v += w.get("embeddings.position_embeddings.weight")[i * e + c];
                if (s.typeVocab > 0) v += w.get("embeddings.token_type_embeddings.weight")[c];
                emb[i][c] = v;
            }
        }
        double[][] x = e != h ? linear(emb, "embeddings.embed_proj") : emb;
        x = layerNorm(x, "embeddings.LayerNorm");
        for (int i = 0; i < t; i++) for (int c = 0; c < h; c++) x[i][c] *= mask[i];

        int span = s.positionBuckets > 0 ? s.positionBuckets : maxRel();
        double[][] rel = null;
        int[][] relPos = new int[t][t];
        if (s.relative) {
            float[] table = w.get("encoder.rel_embeddings.weight");
            rel = new double[2 * span][h];
            for (int r = 0; r < 2 * span; r++) for (int c = 0; c < h; c++) rel[r][c] = table[r * h + c];
            if (s.normRel) rel = layerNorm(rel, "encoder.LayerNorm");
            for (int i = 0; i < t; i++) for (int j = 0; j < t; j++) relPos[i][j] = bucket(i - j);
        }
        boolean c2p = s.posAttType.contains("c2p"), p2c = s.posAttType.contains("p2c");
        double scale = Math.sqrt(s.headSize * (1 + (c2p ? 1 : 0) + (p2c ? 1 : 0)));
        for (int l = 0; l < s.layers; l++) {
            String p = "encoder.layer." + l + ".";
            double[][] q = linear(x, p + "attention.self.query_proj");
            double[][] k = linear(x, p + "attention.self.key_proj");
            double[][] v = linear(x, p + "attention.self.value_proj");
            double[][] posKey = null, posQuery = null;
            if (s.relative) {
                posKey = linear(rel, p + (s.shareAttKey ? "attention.self.key_proj" : "attention.self.pos_key_proj"));
                posQuery = linear(rel, p + (s.shareAttKey ? "attention.self.query_proj" : "attention.self.pos_query_proj"));
            }
            double[][] ctx = new double[t][s.heads * s.headSize];
            for (int hd = 0; hd < s.heads; hd++) {
                double[][] sc = new double[t][t];
                for (int i = 0; i < t; i++) for (int j = 0; j < t; j++) sc[i][j] = dot(q[i], k[j], hd) / scale;
                if (s.relative && c2p) {
                    double[][] c2pAtt = new double[t][2 * span];
                    for (int i = 0; i < t; i++) for (int r = 0; r < 2 * span; r++) c2pAtt[i][r] = dot(q[i], posKey[r], hd);
                    for (int i = 0; i < t; i++) {
                        for (int j = 0; j < t; j++) {
                            int idx = Math.min(Math.max(relPos[i][j] + span, 0), 2 * span - 1);
                            sc[i][j] += c2pAtt[i][idx] / scale;
                        }
                    }
                }
                if (s.relative && p2c) {
                    double[][] p2cAtt = new double[t][2 * span];  // [key][pos]
                    for (int j = 0; j < t; j++) for (int r = 0; r < 2 * span; r++) p2cAtt[j][r] = dot(k[j], posQuery[r], hd);
                    double[][] gathered = new double[t][t];
                    for (int a = 0; a < t; a++) {
                        for (int b = 0; b < t; b++) {
                            int idx = Math.min(Math.max(-relPos[a][b] + span, 0), 2 * span - 1);
                            gathered[a][b] = p2cAtt[a][idx];
                        }
                    }
                    for (int i = 0; i < t; i++) for (int j = 0; j < t; j++) sc[i][j] += gathered[j][i] / scale;
                }
                softmaxInto(sc, v, ctx, hd, mask);
            }
            x = block(x, ctx, p);
        }
        return x;
    }

    private int maxRel() {
        return s.maxRelativePositions < 1 ? 512 : s.maxRelativePositions;
    }

    /** make_log_bucket_position as in the original numpy code (float64). */
    private int bucket(int r) {
        if (s.positionBuckets <= 0) return r;
        int mid = s.positionBuckets / 2;
        int abs = Math.abs(r);
        if (abs <= mid) return r;
        double logPos = Math.ceil(Math.log((double) abs / mid) / Math.log((maxRel() - 1) / (double) mid) * (mid - 1)) + mid;
        return (int) (Math.signum(r) * logPos);
    }

    /** Softmax over keys (masked keys excluded; with a query mask, masked query rows become zero). */
    private void softmaxInto(double[][] sc, double[][] v, double[][] ctx, int hd, int[] mask) {
        int t = sc.length;
        for (int i = 0; i < t; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < t; j++) if (mask == null || mask[j] != 0) max = Math.max(max, sc[i][j]);
            double sum = 0;
            double[] p = new double[t];
            for (int j = 0; j < t; j++) {
                if (mask != null && (mask[j] == 0 || mask[i] == 0)) continue;
                p[j] = Math.exp(sc[i][j] - max);
                sum += p[j];
            }
            for (int j = 0; j < t; j++) {
                if (sum > 0) p[j] /= sum;
                for (int c = 0; c < s.headSize; c++) ctx[i][hd * s.headSize + c] += p[j] * v[j][hd * s.headSize + c];
            }
        }
    }

    private double[][] block(double[][] x, double[][] ctx, String p) {
        double[][] a = linear(ctx, p + "attention.output.dense");
        for (int i = 0; i < a.length; i++) for (int c = 0; c < a[i].length; c++) a[i][c] += x[i][c];
        a = layerNorm(a, p + "attention.output.LayerNorm");
        double[][] m = linear(a, p + "intermediate.dense");
        for (double[] row : m) {
            for (int c = 0; c < row.length; c++) row[c] = s.relu ? Math.max(0, row[c]) : 0.5 * row[c] * (1 + erf(row[c] / Math.sqrt(2)));
        }
        double[][] o = linear(m, p + "output.dense");
        for (int i = 0; i < o.length; i++) for (int c = 0; c < o[i].length; c++) o[i][c] += a[i][c];
        return layerNorm(o, p + "output.LayerNorm");
    }

    private double dot(double[] a, double[] b, int head) {
        double r = 0;
        for (int c = head * s.headSize; c < (head + 1) * s.headSize; c++) r += a[c] * b[c];
        return r;
    }

    private double[][] linear(double[][] x, String name) {
        float[] wt = w.get(name + ".weight");
        float[] bias = w.get(name + ".bias");
        int in = x[0].length, out = wt.length / in;
        double[][] y = new double[x.length][out];
        for (int r = 0; r < x.length; r++) {
            for (int o = 0; o < out; o++) {
                double acc = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) acc += x[r][i] * wt[o * in + i];
                y[r][o] = acc;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String name) {
        float[] g = w.get(name + ".weight"), b = w.get(name + ".bias");
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            int n = x[r].length;
            double mean = 0, var = 0;
            for (double v : x[r]) mean += v;
            mean /= n;
            for (double v : x[r]) var += (v - mean) * (v - mean);
            var /= n;
            y[r] = new double[n];
            for (int c = 0; c < n; c++) y[r][c] = (x[r][c] - mean) / Math.sqrt(var + s.eps) * g[c] + b[c];
        }
        return y;
    }

    /** erf via its Maclaurin series / continued-fraction-free asymptotics: accurate to ~1e-12 for |x| ≤ 6. */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax > 6) return Math.signum(x);
        // Series erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)), fine in double up to |x| 6
        // only with compensation; use the erfc continued fraction beyond 2.5 instead.
        if (ax < 2.5) {
            double sum = 0, term = ax;
            for (int n = 0; n < 200; n++) {
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17) break;
                term *= -ax * ax / (n + 1);
            }
            return Math.signum(x) * 2 / Math.sqrt(Math.PI) * sum;
        }
        // erfc(x) = exp(-x²)/sqrt(pi) · 1/(x + 1/2/(x + 1/(x + 3/2/(x + 2/(x + ...)))))
        double f = ax;
        for (int k = 60; k >= 1; k--) f = ax + (k / 2.0) / f;
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        return Math.signum(x) * (1 - erfc);
    }
}
