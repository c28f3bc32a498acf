package dev.relex.bench;

import dev.relex.ExtractionOptions;
import dev.relex.ExtractionResult;
import dev.relex.RelexModel;
import dev.relex.checkpoint.Checkpoint;
import dev.relex.encoder.Encoder;
import dev.relex.encoder.Encoders;
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

    static final List<String> ENTITY_LABELS = List.of("person", "organization", "location", "date");
    static final List<String> RELATION_LABELS = List.of("born in", "works for", "located in", "founded by");

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
        ExtractionOptions options = ExtractionOptions.defaults();
        RelexModel loaded;
        try {
            loaded = RelexModel.load(dir);
        } catch (RuntimeException e) {
            // Until the heads are wired RelexModel.load throws UnsupportedOperationException.
            lines.add(PREFIX + "unavailable\tRelexModel.load(" + dir + ") failed: " + e);
            System.err.println("[bench] extraction skipped: " + e);
            return lines;
        }
        try (RelexModel model = loaded;
             Checkpoint ck = Checkpoint.open(dir);
             RelexTokenizer tokenizer = RelexTokenizer.load(ck.requireTokenizerFile())) {
            Encoder encoder = Encoders.create(ck.config().encoder(), ck.weights(), Encoders.GLINER_PREFIX);
            InputBuilder builder = new InputBuilder(tokenizer, ck.config());
            String name = ck.config().modelName();
            for (String text : List.of(SampleTexts.sentences(3), SampleTexts.sentences(10))) {
                EncodedInput in = builder.build(text, ENTITY_LABELS, RELATION_LABELS);
                int t = in.tokenCount();
                int[] mask = new int[t];
                Arrays.fill(mask, 1);
                float[] states = new float[t * encoder.hiddenSize()];
                ExtractionResult last = null;
                for (int i = 0; i < warmup; i++) {
                    last = model.extract(text, ENTITY_LABELS, RELATION_LABELS, options);
                    builder.build(text, ENTITY_LABELS, RELATION_LABELS);
                    encoder.forward(in.inputIds(), mask, 1, t, states);
                }
                long[] total = new long[iterations], input = new long[iterations], enc = new long[iterations];
                for (int i = 0; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    last = model.extract(text, ENTITY_LABELS, RELATION_LABELS, options);
                    long t1 = System.nanoTime();
                    builder.build(text, ENTITY_LABELS, RELATION_LABELS);
                    long t2 = System.nanoTime();
                    encoder.forward(in.inputIds(), mask, 1, t, states);
                    long t3 = System.nanoTime();
                    total[i] = t1 - t0;
                    input[i] = t2 - t1;
                    enc[i] = t3 - t2;
                }
                String line = String.join("\t", "EXTRACT", name, Integer.toString(in.textLength()), Integer.toString(t),
                        Integer.toString(threads), Double.toString(EncoderBench.median(total)),
                        Double.toString(EncoderBench.median(input)), Double.toString(EncoderBench.median(enc)),
                        Integer.toString(last == null ? 0 : last.entities().size()),
                        Integer.toString(last == null ? 0 : last.relations().size()));
                System.err.println("[bench] " + line.replace('\t', ' '));
                lines.add(line);
            }
        }
        return lines;
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
                System.out.println("| relex model | words | tokens | threads | extract ms | input ms | encoder ms | heads+decode ms | encoder share | heads+decode share | entities | relations |");
                System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                header = true;
            }
            double total = Double.parseDouble(f[5]), input = Double.parseDouble(f[6]), enc = Double.parseDouble(f[7]);
            double rest = Math.max(0, total - input - enc);
            System.out.println(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.0f%% | %.0f%% | %s | %s |",
                    f[1], f[2], f[3], f[4], total, input, enc, rest, 100 * enc / total, 100 * rest / total, f[8], f[9]));
        }
        if (header) {
            System.out.println();
            System.out.println("Medians per text. 'heads+decode' = extract − input building − encoder forward, each timed"
                    + " alone on the same input; labels: " + ENTITY_LABELS + " / " + RELATION_LABELS
                    + ", default thresholds.");
        }
    }
}
