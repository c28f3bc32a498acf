package dev.relex.bench;

import dev.relex.ExtractionOptions;
import dev.relex.ExtractionResult;
import dev.relex.RelexModel;
import dev.relex.checkpoint.Checkpoint;
import dev.relex.encoder.Encoder;
import dev.relex.encoder.Encoders;
import dev.relex.heads.HeadOutput;
import dev.relex.heads.RelexHeads;
import dev.relex.text.EncodedInput;
import dev.relex.text.InputBuilder;
import dev.relex.text.RelexTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times a full {@link RelexModel#extract} call and, on the identical model input, its two parts that
 * can be run alone: building the input (word split + tokenization) and the encoder forward. The rest
 * of the extraction time is the heads (projection, LSTM, span/prompt/pair layers, scoring) plus
 * decoding.
 */
final class ExtractionBench {
    static final String PREFIX = "EXTRACT\t";

    static final List<String> ENTITY_LABELS = List.of("person", "organization", "location", "date", "product");
    static final List<String> RELATION_LABELS = List.of("born in", "works for", "located in", "founded by", "part of");

    /** Candidate spans per text word a trained model typically keeps; random heads are calibrated to it. */
    static final double CANDIDATES_PER_WORD = 0.2;

    private ExtractionBench() {}

    static List<String> run(Path relexModel, Path shared, int threads, int warmup, int iterations) {
        List<String> lines = new ArrayList<>();
        Path dir;
        try {
            dir = relexModel != null ? relexModel : BgeRelexAssembler.assemble(shared);
        } catch (RuntimeException e) {
            lines.add(PREFIX + "unavailable\t" + e.getMessage());
            System.err.println("[bench] extraction skipped: " + e.getMessage());
            return lines;
        }
        RelexModel loaded;
        try {
            loaded = RelexModel.load(dir);
        } catch (RuntimeException e) {
            lines.add(PREFIX + "unavailable\tRelexModel.load(" + dir + ") failed: " + e);
            System.err.println("[bench] extraction skipped: " + e);
            return lines;
        }
        try (RelexModel model = loaded;
             Checkpoint ck = Checkpoint.open(dir);
             RelexTokenizer tokenizer = RelexTokenizer.load(ck.requireTokenizerFile())) {
            Encoder encoder = Encoders.create(ck.config().encoder(), ck.weights(), Encoders.GLINER_PREFIX);
            RelexHeads heads = RelexHeads.create(ck.config(), ck.weights());
            InputBuilder builder = new InputBuilder(tokenizer, ck.config());
            String name = ck.config().modelName();
            for (String text : List.of(SampleTexts.sentences(3), SampleTexts.sentences(10))) {
                EncodedInput in = builder.build(text, ENTITY_LABELS, RELATION_LABELS);
                int t = in.tokenCount();
                int[] mask = new int[t];
                Arrays.fill(mask, 1);
                float[] states = new float[t * encoder.hiddenSize()];
                encoder.forward(in.inputIds(), mask, 1, t, states);
                double threshold = calibrateThreshold(heads, states, in);
                ExtractionOptions options = ExtractionOptions.builder().threshold(threshold).build();
                double adj = options.adjacencyThreshold();
                HeadOutput probe = heads.forward(states, 0, in, threshold, adj);
                ExtractionResult last = null;
                for (int i = 0; i < warmup; i++) {
                    last = model.extract(text, ENTITY_LABELS, RELATION_LABELS, options);
                    builder.build(text, ENTITY_LABELS, RELATION_LABELS);
                    encoder.forward(in.inputIds(), mask, 1, t, states);
                    heads.forward(states, 0, in, threshold, adj);
                }
                long[] total = new long[iterations], input = new long[iterations], enc = new long[iterations];
                long[] head = new long[iterations];
                for (int i = 0; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    last = model.extract(text, ENTITY_LABELS, RELATION_LABELS, options);
                    long t1 = System.nanoTime();
                    builder.build(text, ENTITY_LABELS, RELATION_LABELS);
                    long t2 = System.nanoTime();
                    encoder.forward(in.inputIds(), mask, 1, t, states);
                    long t3 = System.nanoTime();
                    heads.forward(states, 0, in, threshold, adj);
                    long t4 = System.nanoTime();
                    total[i] = t1 - t0;
                    input[i] = t2 - t1;
                    enc[i] = t3 - t2;
                    head[i] = t4 - t3;
                }
                String line = String.join("\t", "EXTRACT", name, Integer.toString(in.textLength()), Integer.toString(t),
                        Integer.toString(threads), Double.toString(EncoderBench.median(total)),
                        Double.toString(EncoderBench.median(input)), Double.toString(EncoderBench.median(enc)),
                        Double.toString(EncoderBench.median(head)), Double.toString(threshold),
                        Integer.toString(probe.numCandidates()), Integer.toString(probe.numPairs()),
                        Integer.toString(last == null ? 0 : last.entities().size()),
                        Integer.toString(last == null ? 0 : last.relations().size()));
                System.err.println("[bench] " + line.replace('\t', ' '));
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * The benchmark model's heads are random, so at the default threshold 0.5 a large share of all spans
     * pass and the pair stage grows quadratically — far from what a trained model does. Bisect the entity
     * threshold (in logit space, between 0.5 and 1 − 1e-6) for about {@link #CANDIDATES_PER_WORD}
     * candidate spans per word, so the heads do a realistic amount of work. Probes use an adjacency
     * threshold above 1 so that no pair is scored.
     */
    static double calibrateThreshold(RelexHeads heads, float[] states, EncodedInput in) {
        int target = Math.max(2, (int) Math.round(CANDIDATES_PER_WORD * in.textLength()));
        double lo = 0.0, hi = logit(1 - 1e-6); // logit(0.5) = 0
        if (heads.forward(states, 0, in, 0.5, 2.0).numCandidates() <= target) return 0.5;
        for (int step = 0; step < 30; step++) {
            double mid = (lo + hi) / 2;
            if (heads.forward(states, 0, in, sigmoid(mid), 2.0).numCandidates() > target) lo = mid;
            else hi = mid;
        }
        return sigmoid(hi);
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static void printTable(List<String> lines) {
        boolean header = false;
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (String line : lines) {
            String[] f = line.split("\t");
            if (f[1].equals("unavailable")) {
                // Each child JVM reports the same reason; say it once.
                if (reported.add(f[2])) System.out.println("Extraction timing unavailable: " + f[2]);
                continue;
            }
            if (!header) {
                System.out.println("| words | tokens | threads | threshold | candidates | pairs | extract ms | input ms "
                        + "| encoder ms | heads ms | heads+decode ms | heads / encoder | heads+decode / encoder | entities | relations |");
                System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                header = true;
            }
            double total = Double.parseDouble(f[5]), input = Double.parseDouble(f[6]), enc = Double.parseDouble(f[7]);
            double heads = Double.parseDouble(f[8]);
            double rest = Math.max(0, total - input - enc);
            System.out.println(String.format(Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | **%.1f%%** | %.1f%% | %s | %s |",
                    f[2], f[3], f[4], String.format(Locale.ROOT, "%.4f", Double.parseDouble(f[9])), f[10], f[11], total, input, enc, heads, rest,
                    100 * heads / enc, 100 * rest / enc, f[12], f[13]));
        }
        if (header) {
            System.out.println();
            System.out.println("Model: " + lines.get(0).split("\t")[1] + ". Medians per text. 'heads+decode' = extract"
                    + " − input building − encoder forward, each timed alone on the same input; 'heads' = RelexHeads.forward"
                    + " alone; the last two ratios are the cost added on top of the encoder (target ≤ 15%). Labels: " + ENTITY_LABELS + " / " + RELATION_LABELS + "; entity threshold calibrated to"
                    + " ~" + CANDIDATES_PER_WORD + " candidate spans per word (random heads), adjacency and relation"
                    + " thresholds 0.5.");
        }
    }
}
