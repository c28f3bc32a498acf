package dev.relex.heads;

import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.TensorSource;
import dev.relex.text.EncodedInput;

import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately plain, double-precision twin of {@link RelexHeads} written straight from the spec
 * (§3.1–3.9) and the reference modules: every layer on its full input (no split first layers, no
 * blocking), explicit concatenations, explicit diagonal matrices for the GCN, per-head loops for the
 * attention. Slow and allocation-heavy on purpose; for tests only.
 */
final class NaiveHeads {
    final GlinerConfig cfg;
    final TensorSource w;
    final int d;
    private final java.util.Map<String, float[]> cache = new java.util.HashMap<>();

    NaiveHeads(GlinerConfig cfg, TensorSource w) {
        this.cfg = cfg;
        this.w = w;
        this.d = cfg.hiddenSize();
    }

    /** Everything the naive forward computes for one text. */
    static final class Result {
        double[][] words;          // after the LSTM [L][D]
        double[][] entityPrompts;  // after the MLP [C][D]
        double[][] relationPrompts;
        double[] logits;           // span [L][K][C] or token [L][C][3], flattened
        double[] spanMaxProb;      // span model: max_c σ per flat span (valid spans), else null
        double[] tokenProbs;       // token model: σ(logits)
        List<int[]> candidates = new ArrayList<>();
        double[][] candidateRep;
        double[][] adjacency;      // null for "none"
        List<int[]> pairs = new ArrayList<>();
        double[][] relLogits;
    }

    Result forward(float[] states, int offset, EncodedInput in, double entityThreshold, double adjacencyThreshold) {
        return forward(states, offset, in, entityThreshold, adjacencyThreshold, false);
    }

    Result forward(float[] states, int offset, EncodedInput in, double entityThreshold, double adjacencyThreshold,
                   boolean candidatesOnly) {
        return forward(states, offset, in, entityThreshold, adjacencyThreshold, candidatesOnly, null, null);
    }

    /**
     * The training forward (base.py with labels): the given candidate spans ((start, end) pairs) instead of
     * thresholded ones, the adjacency on them, and exactly the given pairs ((head, tail) candidate indices).
     */
    Result forwardGiven(float[] states, int offset, EncodedInput in, int[] candidates, int[] pairs) {
        return forward(states, offset, in, 0.5, 0.5, false, candidates, pairs);
    }

    /** Mutable cached weight {@code name} (the array the naive forward reads), for finite differences. */
    float[] weightArray(String name) {
        return weight(name);
    }

    private Result forward(float[] states, int offset, EncodedInput in, double entityThreshold, double adjacencyThreshold,
                           boolean candidatesOnly, int[] givenCandidates, int[] givenPairs) {
        Result r = new Result();
        int denc = cfg.encoder().hiddenSize();
        int[] ids = in.inputIds();
        int tokens = ids.length;
        double[][] tok = new double[tokens][];
        for (int t = 0; t < tokens; t++) {
            double[] row = new double[denc];
            for (int c = 0; c < denc; c++) row[c] = states[offset + t * denc + c];
            tok[t] = cfg.hasProjection() ? linear(row, "token_rep_layer.projection") : row;
        }
        // Prompts: positions of the markers (or the token after them).
        List<double[]> ent = new ArrayList<>();
        List<double[]> rel = new ArrayList<>();
        for (int t = 0; t < tokens; t++) {
            if (ids[t] == cfg.classTokenIndex()) ent.add(tok[cfg.embedEntToken() ? t : t + 1]);
            if (ids[t] == cfg.relTokenIndex()) rel.add(tok[cfg.embedRelToken() ? t : t + 1]);
        }
        int words = in.textLength();
        double[][] x = new double[words][d];
        for (int t = 0; t < tokens; t++) {
            int k = in.wordsMask()[t];
            if (k > 0) x[k - 1] = tok[t].clone();
        }
        r.relationPrompts = rel.toArray(new double[0][]);
        r.entityPrompts = new double[ent.size()][];
        for (int c = 0; c < ent.size(); c++) r.entityPrompts[c] = mlp(ent.get(c), "prompt_rep_layer");
        for (int layer = 0; layer < cfg.numRnnLayers(); layer++) x = lstmLayer(x, layer);
        r.words = x;

        int classes = ent.size();
        double thr = (float) entityThreshold;
        String sp = "span_rep_layer.span_rep_layer.";
        double[][] startRep = new double[words][];
        double[][] endRep = new double[words][];
        for (int i = 0; i < words; i++) {
            startRep[i] = mlp(x[i], sp + "project_start");
            endRep[i] = mlp(x[i], sp + "project_end");
        }
        List<double[]> candRep = new ArrayList<>();
        if (cfg.modelKind() == GlinerConfig.ModelKind.SPAN_RELEX) {
            int k = cfg.maxWidth();
            r.logits = new double[words * k * classes];
            r.spanMaxProb = new double[words * k];
            for (int s = 0; s < words; s++) {
                for (int wd = 0; wd < k; wd++) {
                    int e = s + wd;
                    boolean valid = e < words;
                    double[] rep = spanRep(startRep, endRep, valid ? s : 0, valid ? e : 0);
                    double best = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes; c++) {
                        double logit = dot(rep, r.entityPrompts[c]);
                        r.logits[(s * k + wd) * classes + c] = logit;
                        best = Math.max(best, sigmoid(logit));
                    }
                    r.spanMaxProb[s * k + wd] = valid ? best : -1;
                    if (givenCandidates == null && valid && best > thr) {
                        r.candidates.add(new int[] {s, e});
                        candRep.add(rep);
                    }
                }
            }
        } else {
            r.logits = new double[words * classes * 3];
            r.tokenProbs = new double[r.logits.length];
            for (int i = 0; i < words; i++) {
                double[] t2 = linear(x[i], "scorer.proj_token");
                for (int c = 0; c < classes; c++) {
                    double[] l2 = linear(r.entityPrompts[c], "scorer.proj_label");
                    double[] z = new double[3 * d];
                    for (int j = 0; j < d; j++) {
                        z[j] = t2[j];
                        z[d + j] = l2[j];
                        z[2 * d + j] = t2[d + j] * l2[d + j];
                    }
                    double[] h = relu(linear(z, "scorer.out_mlp.0"));
                    double[] o = linear(h, "scorer.out_mlp.3");
                    for (int q = 0; q < 3; q++) {
                        r.logits[(i * classes + c) * 3 + q] = o[q];
                        r.tokenProbs[(i * classes + c) * 3 + q] = sigmoid(o[q]);
                    }
                }
            }
            // extract_spans_from_tokens: starts and ends as nonzero() lists, valid (start, end) pairs in
            // row-major order of the [starts × ends] matrix, kept if the inside count covers the span.
            List<int[]> starts = new ArrayList<>();
            List<int[]> ends = new ArrayList<>();
            for (int i = 0; i < words; i++) {
                for (int c = 0; c < classes; c++) {
                    if (r.tokenProbs[(i * classes + c) * 3] > thr) starts.add(new int[] {i, c});
                    if (r.tokenProbs[(i * classes + c) * 3 + 1] > thr) ends.add(new int[] {i, c});
                }
            }
            if (givenCandidates != null) starts.clear();
            for (int[] s : starts) {
                for (int[] e : ends) {
                    if (s[1] != e[1] || s[0] > e[0]) continue;
                    int inside = 0;
                    for (int i = s[0]; i <= e[0]; i++) if (r.tokenProbs[(i * classes + s[1]) * 3 + 2] > thr) inside++;
                    if (inside == e[0] - s[0] + 1) {
                        r.candidates.add(new int[] {s[0], e[0]});
                        candRep.add(spanRep(startRep, endRep, s[0], e[0]));
                    }
                }
            }
        }
        if (givenCandidates != null) {
            for (int i = 0; i < givenCandidates.length / 2; i++) {
                r.candidates.add(new int[] {givenCandidates[2 * i], givenCandidates[2 * i + 1]});
                candRep.add(spanRep(startRep, endRep, givenCandidates[2 * i], givenCandidates[2 * i + 1]));
            }
        }
        r.candidateRep = candRep.toArray(new double[0][]);
        if (candidatesOnly) return r;
        int e = r.candidateRep.length;
        String mode = cfg.relationsLayer();
        double athr = (float) adjacencyThreshold;
        if (!"none".equals(mode)) {
            r.adjacency = e == 0 ? new double[0][0] : adjacency(mode, r.candidateRep);
        }
        if (givenPairs != null) {
            for (int i = 0; i < givenPairs.length / 2; i++) r.pairs.add(new int[] {givenPairs[2 * i], givenPairs[2 * i + 1]});
        } else {
            for (int i = 0; i < e; i++) {
                for (int j = 0; j < e; j++) {
                    if (i != j && (r.adjacency == null || r.adjacency[i][j] > athr)) r.pairs.add(new int[] {i, j});
                }
            }
        }
        r.relLogits = new double[r.pairs.size()][r.relationPrompts.length];
        for (int n = 0; n < r.pairs.size(); n++) {
            double[] q = mlp(concat(r.candidateRep[r.pairs.get(n)[0]], r.candidateRep[r.pairs.get(n)[1]]), "pair_rep_layer");
            for (int c = 0; c < r.relationPrompts.length; c++) r.relLogits[n][c] = dot(q, r.relationPrompts[c]);
        }
        return r;
    }

    private double[] spanRep(double[][] startRep, double[][] endRep, int s, int e) {
        String sp = "span_rep_layer.span_rep_layer.";
        return mlp(relu(concat(startRep[s], endRep[e])), sp + "out_project");
    }

    double[][] adjacency(String mode, double[][] x) {
        int e = x.length;
        String p = "relations_rep_layer.relation_rep_layer.";
        switch (mode) {
            case "dot":
                return sigmoidGram(x);
            case "bilinear":
                return sigmoidGram(map(x, p + "proj"));
            case "gcn": {
                double[][] a = sigmoidGram(x);
                double[][] a1 = new double[e][e];
                for (int i = 0; i < e; i++) for (int j = 0; j < e; j++) a1[i][j] = a[i][j] + (i == j ? 1 : 0);
                double[][] dinv = new double[e][e];
                for (int i = 0; i < e; i++) {
                    double deg = 0;
                    for (int j = 0; j < e; j++) deg += a1[i][j];
                    dinv[i][i] = Math.pow(Math.max(deg, 1e-6), -0.5);
                }
                double[][] norm = matmul(matmul(dinv, a1), dinv);
                double[][] h = matmul(norm, x);
                for (int i = 0; i < e; i++) h[i] = relu(linear(h[i], p + "gcn.linear"));
                return sigmoidGram(map(h, p + "proj"));
            }
            case "mlp": {
                double[][] a = new double[e][e];
                for (int i = 0; i < e; i++) {
                    for (int j = 0; j < e; j++) {
                        a[i][j] = sigmoid(linear(relu(linear(concat(x[i], x[j]), p + "mlp.0")), p + "mlp.2")[0]);
                    }
                }
                return a;
            }
            case "attention", "attn":
                return attention(x, null);
            case "gat": {
                double[][][] out = new double[1][][];
                attention(x, out);
                return sigmoidGram(map(out[0], p + "linear"));
            }
            default:
                throw new IllegalArgumentException(mode);
        }
    }

    /** nn.MultiheadAttention(D, 8) self-attention; returns head-averaged weights, output (after out_proj) in out[0]. */
    private double[][] attention(double[][] x, double[][][] out) {
        String p = "relations_rep_layer.relation_rep_layer.attn.";
        int e = x.length;
        int heads = 8;
        int hd = d / heads;
        float[] win = weight(p + "in_proj_weight");
        float[] bin = weight(p + "in_proj_bias");
        double[][] qkv = new double[e][3 * d];
        for (int i = 0; i < e; i++) {
            for (int o = 0; o < 3 * d; o++) {
                double s = bin[o];
                for (int c = 0; c < d; c++) s += win[o * d + c] * x[i][c];
                qkv[i][o] = s;
            }
        }
        double[][] avg = new double[e][e];
        double[][] concat = new double[e][d];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < e; i++) {
                double[] sc = new double[e];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < e; j++) {
                    double s = 0;
                    for (int c = 0; c < hd; c++) s += qkv[i][h * hd + c] * qkv[j][d + h * hd + c];
                    sc[j] = s / Math.sqrt(hd);
                    max = Math.max(max, sc[j]);
                }
                double sum = 0;
                for (int j = 0; j < e; j++) sum += (sc[j] = Math.exp(sc[j] - max));
                for (int j = 0; j < e; j++) {
                    sc[j] /= sum;
                    avg[i][j] += sc[j] / heads;
                    for (int c = 0; c < hd; c++) concat[i][h * hd + c] += sc[j] * qkv[j][2 * d + h * hd + c];
                }
            }
        }
        if (out != null) out[0] = map(concat, p + "out_proj");
        return avg;
    }

    private double[][] lstmLayer(double[][] x, int layer) {
        int words = x.length;
        int h = d / 2;
        double[][] out = new double[words][d];
        for (int dir = 0; dir < 2; dir++) {
            String sfx = "_l" + layer + (dir == 1 ? "_reverse" : "");
            float[] wih = weight("rnn.lstm.weight_ih" + sfx);
            float[] whh = weight("rnn.lstm.weight_hh" + sfx);
            float[] bih = weight("rnn.lstm.bias_ih" + sfx);
            float[] bhh = weight("rnn.lstm.bias_hh" + sfx);
            int in = x.length == 0 ? 0 : x[0].length;
            double[] hs = new double[h];
            double[] cs = new double[h];
            for (int step = 0; step < words; step++) {
                int t = dir == 0 ? step : words - 1 - step;
                double[] g = new double[4 * h];
                for (int o = 0; o < 4 * h; o++) {
                    double s = bih[o] + bhh[o];
                    for (int c = 0; c < in; c++) s += wih[o * in + c] * x[t][c];
                    for (int c = 0; c < h; c++) s += whh[o * h + c] * hs[c];
                    g[o] = s;
                }
                for (int j = 0; j < h; j++) {
                    double i = sigmoid(g[j]);
                    double f = sigmoid(g[h + j]);
                    double gg = Math.tanh(g[2 * h + j]);
                    double o = sigmoid(g[3 * h + j]);
                    cs[j] = f * cs[j] + i * gg;
                    hs[j] = o * Math.tanh(cs[j]);
                    out[t][dir * h + j] = hs[j];
                }
            }
        }
        return out;
    }

    // ---- plain helpers -------------------------------------------------------------------------

    private float[] weight(String name) {
        return cache.computeIfAbsent(name, w::floats);
    }

    double[] linear(double[] x, String prefix) {
        float[] wt = weight(prefix + ".weight");
        float[] b = weight(prefix + ".bias");
        int out = b.length;
        int in = wt.length / out;
        if (in != x.length) throw new IllegalArgumentException(prefix + ": input " + x.length + " vs " + in);
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b[o];
            for (int i = 0; i < in; i++) s += wt[o * in + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    double[] mlp(double[] x, String prefix) {
        return linear(relu(linear(x, prefix + ".0")), prefix + ".3");
    }

    private double[][] map(double[][] x, String prefix) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) y[i] = linear(x[i], prefix);
        return y;
    }

    static double[] relu(double[] x) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) y[i] = Math.max(0, y[i]);
        return y;
    }

    static double[] concat(double[] a, double[] b) {
        double[] y = new double[a.length + b.length];
        System.arraycopy(a, 0, y, 0, a.length);
        System.arraycopy(b, 0, y, a.length, b.length);
        return y;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double[][] sigmoidGram(double[][] z) {
        int e = z.length;
        double[][] a = new double[e][e];
        for (int i = 0; i < e; i++) for (int j = 0; j < e; j++) a[i][j] = sigmoid(dot(z[i], z[j]));
        return a;
    }

    static double[][] matmul(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = k == 0 ? 0 : b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) {
            double s = 0;
            for (int q = 0; q < k; q++) s += a[i][q] * b[q][j];
            c[i][j] = s;
        }
        return c;
    }
}
