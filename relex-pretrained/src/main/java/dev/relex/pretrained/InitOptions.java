package dev.relex.pretrained;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What {@link ModelInitializer} builds: the pretrained encoder and the GLiNER-Relex settings of the new
 * model. Defaults follow the reference's relex configuration (the golden {@code relex-bert-span-gcn}
 * case): markerV0 span head, GCN adjacency, one BiLSTM layer, max_width 12, max_len 384, dropout 0.4,
 * and the GLiNER width equal to the encoder's (no projection layer).
 */
public final class InitOptions {
    /** The span modes relex-core runs. */
    public static final Set<String> SPAN_MODES = Set.of("markerV0", "token_level");
    /** The adjacency layers relex-core runs (ArchitectureSpec checks again when the config is built). */
    public static final Set<String> RELATIONS_LAYERS = Set.of("gcn", "dot", "none", "bilinear", "mlp", "attention", "attn", "gat");

    private final PretrainedEncoder encoder;
    private final String spanMode;
    private final String relationsLayer;
    private final int hiddenSize;
    private final int rnnLayers;
    private final int maxWidth;
    private final int maxLen;
    private final long seed;
    private final double dropout;
    private final boolean overwrite;
    private final Path cacheDirectory;
    private final MavenResolver resolver;
    private final Consumer<String> log;

    private InitOptions(Builder b) {
        this.encoder = Objects.requireNonNull(b.encoder, "encoder");
        this.spanMode = b.spanMode;
        this.relationsLayer = b.relationsLayer;
        this.hiddenSize = b.hiddenSize;
        this.rnnLayers = b.rnnLayers;
        this.maxWidth = b.maxWidth;
        this.maxLen = b.maxLen;
        this.seed = b.seed;
        this.dropout = b.dropout;
        this.overwrite = b.overwrite;
        this.cacheDirectory = b.cacheDirectory != null ? b.cacheDirectory : PretrainedFiles.defaultCacheDirectory();
        this.resolver = b.resolver != null ? b.resolver : MavenResolver.builder().log(b.log).build();
        this.log = b.log;
    }

    public static Builder builder(PretrainedEncoder encoder) {
        return new Builder(encoder);
    }

    public PretrainedEncoder encoder() { return encoder; }
    public String spanMode() { return spanMode; }
    public String relationsLayer() { return relationsLayer; }
    /** GLiNER width D; the encoder's width when not set. */
    public int hiddenSize() { return hiddenSize > 0 ? hiddenSize : encoder.hiddenSize(); }
    public int rnnLayers() { return rnnLayers; }
    public int maxWidth() { return maxWidth; }
    public int maxLen() { return maxLen; }
    public long seed() { return seed; }
    public double dropout() { return dropout; }
    /** Whether an existing checkpoint in the output directory may be replaced. */
    public boolean overwrite() { return overwrite; }
    public Path cacheDirectory() { return cacheDirectory; }
    public MavenResolver resolver() { return resolver; }
    public Consumer<String> log() { return log; }

    public static final class Builder {
        private final PretrainedEncoder encoder;
        private String spanMode = "markerV0";
        private String relationsLayer = "gcn";
        private int hiddenSize;
        private int rnnLayers = 1;
        private int maxWidth = 12;
        private int maxLen = 384;
        private long seed = 42;
        private double dropout = 0.4;
        private boolean overwrite;
        private Path cacheDirectory;
        private MavenResolver resolver;
        private Consumer<String> log = m -> { };

        private Builder(PretrainedEncoder encoder) {
            this.encoder = Objects.requireNonNull(encoder, "encoder");
        }

        public Builder spanMode(String mode) {
            if (!SPAN_MODES.contains(mode)) {
                throw new IllegalArgumentException("span mode must be one of " + SPAN_MODES + ", got '" + mode + "'");
            }
            this.spanMode = mode;
            return this;
        }

        /** One of {@link #RELATIONS_LAYERS}. */
        public Builder relationsLayer(String layer) {
            if (!RELATIONS_LAYERS.contains(layer)) {
                throw new IllegalArgumentException("relations layer must be one of " + new java.util.TreeSet<>(RELATIONS_LAYERS)
                        + ", got '" + layer + "'");
            }
            this.relationsLayer = layer;
            return this;
        }

        /** GLiNER width D (0 = the encoder's width; otherwise a projection Denc→D is added). */
        public Builder hiddenSize(int d) {
            if (d < 0) throw new IllegalArgumentException("hidden size must be positive, got " + d);
            this.hiddenSize = d;
            return this;
        }

        public Builder rnnLayers(int n) {
            if (n < 0) throw new IllegalArgumentException("rnn layers must be >= 0, got " + n);
            this.rnnLayers = n;
            return this;
        }

        public Builder maxWidth(int k) {
            if (k < 1) throw new IllegalArgumentException("max width must be >= 1, got " + k);
            this.maxWidth = k;
            return this;
        }

        public Builder maxLen(int words) {
            if (words < 1) throw new IllegalArgumentException("max len must be >= 1, got " + words);
            this.maxLen = words;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder dropout(double p) {
            if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
            this.dropout = p;
            return this;
        }

        public Builder overwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        public Builder cacheDirectory(Path dir) {
            this.cacheDirectory = dir;
            return this;
        }

        public Builder resolver(MavenResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        public Builder log(Consumer<String> log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        public InitOptions build() {
            return new InitOptions(this);
        }
    }
}
