package dev.relex;

import dev.relex.checkpoint.Checkpoint;
import dev.relex.encoder.Encoder;
import dev.relex.golden.RelexGolden;
import dev.relex.text.EncodedInput;
import dev.relex.text.InputBuilder;
import dev.relex.text.RelexTokenizer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@link RelexModel#extractBatch} encodes several texts (different lengths and labels) in one padded
 * encoder call and promises results identical to single calls. That holds only if a sequence's states do
 * not depend on the other rows of the call: checked bit for bit with the real encoders of the golden
 * models (DeBERTa and BERT).
 */
class PackedEncodingTest {

    @TestFactory
    List<DynamicTest> paddedBatchStatesEqualSingleTextStates() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path caseDir : RelexGolden.cases()) {
            String name = caseDir.getFileName().toString();
            if (name.equals("relex-span-gcn") || name.equals("relex-bert-span-gcn")) {
                tests.add(DynamicTest.dynamicTest(name, () -> check(caseDir)));
            }
        }
        assumeFalse(tests.isEmpty(), "no golden models");
        return tests;
    }

    private static void check(Path caseDir) {
        try (Checkpoint cp = Checkpoint.open(caseDir.resolve("model"), RelexGolden.tokenizerFor(caseDir));
             RelexTokenizer tok = RelexTokenizer.load(cp.requireTokenizerFile())) {
            Encoder encoder = ModelParts.encoder(cp.config(), cp.weights());
            InputBuilder builder = new InputBuilder(tok, cp.config());
            Random r = new Random(7);
            List<EncodedInput> inputs = new ArrayList<>();
            while (inputs.size() < 24) {
                List<String> labels = r.nextBoolean() ? List.of("person", "city") : List.of("organization");
                List<String> rels = r.nextBoolean() ? List.of("works for") : List.of();
                EncodedInput in = builder.build(RandomTexts.text(r), labels, rels);
                if (!in.isEmpty()) inputs.add(in);
            }
            int h = encoder.hiddenSize();
            List<float[]> single = new ArrayList<>();
            for (EncodedInput in : inputs) {
                int t = in.tokenCount();
                int[] mask = new int[t];
                Arrays.fill(mask, 1);
                float[] out = new float[t * h];
                encoder.forward(in.inputIds(), mask, 1, t, out);
                single.add(out);
            }
            for (int start = 0; start < inputs.size(); ) {
                int batch = Math.min(1 + r.nextInt(8), inputs.size() - start);
                int seqLen = 0;
                for (int b = 0; b < batch; b++) seqLen = Math.max(seqLen, inputs.get(start + b).tokenCount());
                int[] ids = new int[batch * seqLen];
                int[] mask = new int[batch * seqLen];
                for (int b = 0; b < batch; b++) {
                    int[] tokenIds = inputs.get(start + b).inputIds();
                    System.arraycopy(tokenIds, 0, ids, b * seqLen, tokenIds.length);
                    Arrays.fill(mask, b * seqLen, b * seqLen + tokenIds.length, 1);
                }
                float[] out = new float[batch * seqLen * h];
                encoder.forward(ids, mask, batch, seqLen, out);
                for (int b = 0; b < batch; b++) {
                    int t = inputs.get(start + b).tokenCount();
                    float[] row = Arrays.copyOfRange(out, b * seqLen * h, (b * seqLen + t) * h);
                    assertArrayEquals(single.get(start + b), row, "text " + (start + b) + " in a batch of " + batch);
                }
                start += batch;
            }
        }
    }
}
