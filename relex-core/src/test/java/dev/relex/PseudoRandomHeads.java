package dev.relex;

import dev.relex.decode.Probabilities;
import dev.relex.heads.HeadOutput;
import dev.relex.text.EncodedInput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A stand-in for the relation heads with the right output structure: span logits drawn from a generator
 * seeded by the token ids and the exact encoder states (so equal inputs give equal outputs, and any
 * difference in the states shows up as different results), candidates chosen
 * as spec §3.6 chooses them, pairs by a pseudo-random symmetric adjacency, random relation logits.
 */
final class PseudoRandomHeads implements RelexModel.Heads {
    private final int maxWidth;
    private final int hidden;

    PseudoRandomHeads(int maxWidth, int hidden) {
        this.maxWidth = maxWidth;
        this.hidden = hidden;
    }

    @Override
    public HeadOutput forward(float[] states, int offset, EncodedInput input, double entityThreshold,
                              double adjacencyThreshold) {
        int words = input.textLength(), k = maxWidth, c = input.entityLabels().size(), rels = input.relationLabels().size();
        // Seeded by the exact bits of this text's encoder states: any numeric difference changes everything.
        long seed = Arrays.hashCode(input.inputIds());
        for (int i = offset; i < offset + input.tokenCount() * hidden; i++) seed = seed * 31 + Float.floatToRawIntBits(states[i]);
        Random r = new Random(seed);
        float[] logits = new float[words * k * c];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (r.nextGaussian() * 2 - 1);
        List<int[]> cands = new ArrayList<>();
        for (int s = 0; s < words; s++) {
            for (int w = 0; w < k && s + w < words; w++) {
                float best = 0;
                for (int j = 0; j < c; j++) best = Math.max(best, Probabilities.sigmoid(logits[(s * k + w) * c + j]));
                if (best > (float) entityThreshold) cands.add(new int[]{s, s + w});
            }
        }
        int[] spans = new int[2 * cands.size()];
        for (int i = 0; i < cands.size(); i++) {
            spans[2 * i] = cands.get(i)[0];
            spans[2 * i + 1] = cands.get(i)[1];
        }
        List<Integer> pairs = new ArrayList<>();
        for (int i = 0; i < cands.size(); i++) {
            for (int j = 0; j < cands.size(); j++) {
                if (i == j) continue;
                double a = new Random(31L * Math.min(i, j) + Math.max(i, j) + r.nextInt(0, 1)).nextDouble();
                if (a > adjacencyThreshold) {
                    pairs.add(i);
                    pairs.add(j);
                }
            }
        }
        int n = pairs.size() / 2;
        float[] relLogits = new float[n * rels];
        for (int i = 0; i < relLogits.length; i++) relLogits[i] = (float) r.nextGaussian() * 2;
        return new HeadOutput(true, words, k, c, rels, logits, spans,
                pairs.stream().mapToInt(Integer::intValue).toArray(), relLogits);
    }
}
