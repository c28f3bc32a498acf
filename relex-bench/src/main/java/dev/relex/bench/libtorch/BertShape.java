package dev.relex.bench.libtorch;

/**
 * The sizes of a BERT encoder (Hugging Face {@code BertConfig} fields that fix the parameter shapes).
 *
 * @param vocab          word embedding rows
 * @param hidden         model width
 * @param layers         transformer layers
 * @param heads          attention heads (must divide {@code hidden})
 * @param ffn            intermediate width of the feed-forward block
 * @param maxPositions   position embedding rows
 * @param typeVocab      token type embedding rows
 * @param layerNormEps   LayerNorm epsilon
 */
public record BertShape(int vocab, int hidden, int layers, int heads, int ffn, int maxPositions, int typeVocab,
                        double layerNormEps) {

    /** bge-small-en-v1.5: 12 layers, hidden 384, 12 heads, FFN 1536, vocabulary 30,522. */
    public static final BertShape BGE_SMALL = new BertShape(30522, 384, 12, 12, 1536, 512, 2, 1e-12);

    public BertShape {
        if (vocab < 1 || hidden < 1 || layers < 1 || heads < 1 || ffn < 1 || maxPositions < 1 || typeVocab < 1) {
            throw new IllegalArgumentException("BERT sizes must be positive: " + this);
        }
        if (hidden % heads != 0) throw new IllegalArgumentException("hidden " + hidden + " is not a multiple of heads " + heads);
    }

    public int headDim() {
        return hidden / heads;
    }

    /** Number of trainable values (embeddings, all layers; no pooler). */
    public long parameterCount() {
        long h = hidden;
        long embeddings = (long) (vocab + maxPositions + typeVocab) * h + 2 * h;
        long layer = 4 * (h * h + h) + 2 * h + (h * ffn + ffn) + ((long) ffn * h + h) + 2 * h;
        return embeddings + layers * layer;
    }
}
