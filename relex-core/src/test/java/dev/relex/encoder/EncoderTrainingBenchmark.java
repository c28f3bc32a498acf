package dev.relex.encoder;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.engine.Ops;
import dev.relex.engine.Parameter;

import java.util.Random;

/**
 * Timing of the encoder's inference forward, training forward and backward on a bge-small-sized BERT
 * (hidden 384, 12 layers, 12 heads, FFN 1536, random weights) at batch × tokens (default 8 × 64).
 * Not a test: run by hand, e.g. with {@code -Drelex.threads=1} for the single-core figure.
 * Arguments: [batch] [tokens] [iterations].
 */
public final class EncoderTrainingBenchmark {
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int h = 384, layers = 12, heads = 12, inter = 1536, vocab = 30522;
        MapTensorSource src = new MapTensorSource(1);
        src.random("embeddings.word_embeddings.weight", 0.05, 0, vocab, h);
        src.random("embeddings.position_embeddings.weight", 0.05, 0, 512, h);
        src.random("embeddings.token_type_embeddings.weight", 0.05, 0, 2, h);
        src.norm("embeddings.LayerNorm", h);
        for (int l = 0; l < layers; l++) {
            String p = "encoder.layer." + l + ".";
            for (String n : new String[] {"query", "key", "value"}) src.linear(p + "attention.self." + n, h, h);
            src.linear(p + "attention.output.dense", h, h);
            src.norm(p + "attention.output.LayerNorm", h);
            src.linear(p + "intermediate.dense", h, inter);
            src.linear(p + "output.dense", inter, h);
            src.norm(p + "output.LayerNorm", h);
        }
        ObjectNode n = NaiveReferenceTest.JSON.createObjectNode();
        n.put("model_type", "bert");
        n.put("hidden_size", h);
        n.put("num_hidden_layers", layers);
        n.put("num_attention_heads", heads);
        n.put("intermediate_size", inter);
        n.put("max_position_embeddings", 512);
        n.put("vocab_size", vocab);
        n.put("hidden_dropout_prob", 0.0);
        n.put("attention_probs_dropout_prob", 0.0);
        TrainableEncoder enc = Encoders.createTrainable(EncoderConfig.fromJson(n), src, "");
        Random rnd = new Random(2);
        int[] ids = new int[batch * tokens], mask = new int[batch * tokens];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + rnd.nextInt(vocab - 1);
            mask[i] = 1;
        }
        float[] out = new float[batch * tokens * h], dOut = new float[out.length];
        for (int i = 0; i < dOut.length; i++) dOut[i] = (float) rnd.nextGaussian();
        EncoderActivations st = new EncoderActivations();
        System.out.printf("bge-small-sized BERT, batch %d x %d tokens, %d threads, kernels %s%n", batch, tokens,
                Ops.threads(), Ops.implementation());
        double[] inf = new double[iterations], fwd = new double[iterations], bwd = new double[iterations];
        for (int it = -3; it < iterations; it++) {
            long t0 = System.nanoTime();
            enc.forward(ids, mask, batch, tokens, out);
            long t1 = System.nanoTime();
            enc.forward(ids, mask, batch, tokens, out, st);
            long t2 = System.nanoTime();
            enc.backward(st, dOut);
            long t3 = System.nanoTime();
            if (it >= 0) {
                inf[it] = (t1 - t0) / 1e6;
                fwd[it] = (t2 - t1) / 1e6;
                bwd[it] = (t3 - t2) / 1e6;
            }
        }
        for (Parameter p : enc.parameters()) p.zeroGrad();
        System.out.printf("inference forward  median %.1f ms (min %.1f)%n", median(inf), min(inf));
        System.out.printf("training forward   median %.1f ms (min %.1f)%n", median(fwd), min(fwd));
        System.out.printf("backward           median %.1f ms (min %.1f)%n", median(bwd), min(bwd));
        double[] step = new double[iterations];
        for (int i = 0; i < iterations; i++) step[i] = fwd[i] + bwd[i];
        System.out.printf("training step      median %.1f ms; activation state %.1f MB%n", median(step), st.bytes() / 1e6);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] v) {
        double m = Double.MAX_VALUE;
        for (double x : v) m = Math.min(m, x);
        return m;
    }
}
