package dev.relex.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A right-padded batch of token ids (pad id 0) with its attention mask, as both encoders take it.
 *
 * @param ids     [batch * seqLen]
 * @param mask    [batch * seqLen], 1 for real tokens
 * @param batch   number of sequences
 * @param seqLen  padded length
 * @param lengths real length of each sequence
 */
public record TokenBatch(int[] ids, int[] mask, int batch, int seqLen, int[] lengths) {

    /**
     * Loads a {@code tokenizer.json} with padding off and truncation at {@code maxLength} tokens
     * (special tokens included), whatever the file itself says.
     */
    public static HuggingFaceTokenizer tokenizer(Path tokenizerJson, int maxLength) {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("OPT_OUT_TRACKING") == null) System.setProperty("OPT_OUT_TRACKING", "true");
        try {
            return HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "addSpecialTokens", "true",
                    "truncation", "true",
                    "maxLength", Integer.toString(maxLength),
                    "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer " + tokenizerJson, e);
        }
    }

    /** Tokenizes each text and right-pads the batch to its longest sequence. */
    public static TokenBatch of(HuggingFaceTokenizer tokenizer, List<String> texts) {
        long[][] seqs = new long[texts.size()][];
        int longest = 0;
        for (int i = 0; i < seqs.length; i++) {
            Encoding e = tokenizer.encode(texts.get(i));
            seqs[i] = e.getIds();
            longest = Math.max(longest, seqs[i].length);
        }
        return pad(seqs, longest);
    }

    /** {@code batch} copies of one text cut or padded to exactly {@code seqLen} real tokens (for timing). */
    public static TokenBatch fixedLength(HuggingFaceTokenizer tokenizer, String longText, int seqLen, int batch) {
        long[] ids = tokenizer.encode(longText).getIds();
        if (ids.length < seqLen) {
            throw new IllegalArgumentException("text has only " + ids.length + " tokens, need " + seqLen);
        }
        long[] cut = java.util.Arrays.copyOf(ids, seqLen);
        cut[seqLen - 1] = ids[ids.length - 1]; // keep the final [SEP]
        long[][] seqs = new long[batch][];
        for (int b = 0; b < batch; b++) seqs[b] = cut;
        return pad(seqs, seqLen);
    }

    /**
     * One sequence per entry of {@code lengths}: sequence {@code b} is {@code [CLS]}, a window of the
     * text's tokens starting {@code b * stride} tokens in, and {@code [SEP]}, {@code lengths[b]} tokens in
     * all; the batch is right-padded to the longest.
     */
    public static TokenBatch windows(HuggingFaceTokenizer tokenizer, String longText, int[] lengths, int stride) {
        long[] ids = tokenizer.encode(longText).getIds();
        long[][] seqs = new long[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            int len = lengths[b];
            if (len < 2) throw new IllegalArgumentException("sequence length " + len + " < 2 ([CLS] and [SEP])");
            int start = 1 + b * stride;
            if (start + len - 2 > ids.length - 1) {
                throw new IllegalArgumentException("text has only " + ids.length + " tokens, need " + (start + len - 1)
                        + " for sequence " + b);
            }
            long[] seq = new long[len];
            seq[0] = ids[0];
            System.arraycopy(ids, start, seq, 1, len - 2);
            seq[len - 1] = ids[ids.length - 1];
            seqs[b] = seq;
        }
        int longest = 0;
        for (int len : lengths) longest = Math.max(longest, len);
        return pad(seqs, longest);
    }

    private static TokenBatch pad(long[][] seqs, int seqLen) {
        int batch = seqs.length;
        int[] ids = new int[batch * seqLen], mask = new int[batch * seqLen], lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = seqs[b].length;
            for (int t = 0; t < seqs[b].length; t++) {
                ids[b * seqLen + t] = Math.toIntExact(seqs[b][t]);
                mask[b * seqLen + t] = 1;
            }
        }
        return new TokenBatch(ids, mask, batch, seqLen, lengths);
    }
}
