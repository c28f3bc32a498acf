package dev.relex.cli;

import dev.relex.checkpoint.Checkpoint;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.EncoderConfig;
import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.TensorInfo;
import dev.relex.checkpoint.TensorSource;
import dev.relex.checkpoint.ValidationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code relex info}: prints what a checkpoint directory contains (config summary, weights, tokenizer)
 * and the result of validating the weights against the config. Exit code 0 if the checkpoint is
 * usable, {@link ExitCodes#FATAL} if not.
 */
@Command(name = "info", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Summarise a checkpoint directory and validate its weights against gliner_config.json.")
final class InfoCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Checkpoint directory.")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.json to use when the directory has none (used to check the marker token ids).")
    Path tokenizer;

    private final CliContext ctx;

    InfoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        PrintWriter out = ctx.out();
        out.println("checkpoint: " + model.toAbsolutePath().normalize());
        GlinerConfig config;
        try {
            config = GlinerConfig.read(model.resolve(Checkpoint.CONFIG_FILE));
        } catch (CheckpointException e) {
            ctx.err().println("relex: " + e.getMessage());
            return ExitCodes.FATAL;
        }
        printConfig(out, config);

        try (Checkpoint checkpoint = Checkpoint.open(model, tokenizer)) {
            printWeights(out, checkpoint);
            out.println("tokenizer: " + (checkpoint.tokenizerFile() == null
                    ? "MISSING (no tokenizer.json; extraction needs one)" : checkpoint.tokenizerFile()));
            ValidationReport report = checkpoint.validationReport();
            out.println("validation: OK" + (report.warnings().isEmpty() ? "" : " with warnings"));
            printList(out, "unexpected keys (ignored, as the reference loads non-strictly)", report.unexpectedKeys());
            printList(out, "known unused keys", report.ignoredKeys());
            printList(out, "warnings", report.warnings());
            boolean usable = checkpoint.tokenizerFile() != null;
            out.println("usable for extraction: " + (usable ? "yes" : "no (tokenizer.json missing; pass --tokenizer to check one)"));
            out.flush();
            return usable ? ExitCodes.OK : ExitCodes.FATAL;
        } catch (CheckpointException e) {
            out.println("validation: FAILED");
            out.println("  " + e.getMessage().replace("\n", "\n  "));
            out.println("usable for extraction: no");
            out.flush();
            return ExitCodes.FATAL;
        }
    }

    private static void printConfig(PrintWriter out, GlinerConfig c) {
        String kind;
        try {
            kind = c.modelKind().toString();
        } catch (CheckpointException e) {
            kind = "not a relex model (" + e.getMessage() + ")";
        }
        EncoderConfig enc = c.encoder();
        out.println("config: " + Checkpoint.CONFIG_FILE);
        out.println("  model kind:        " + kind);
        out.println("  model_name:        " + c.modelName());
        out.println("  span_mode:         " + c.spanMode() + " (max_width " + c.maxWidth() + ")");
        out.println("  encoder:           " + enc.modelType() + ", hidden " + enc.hiddenSize() + ", layers "
                + enc.numHiddenLayers() + ", heads " + enc.numAttentionHeads() + ", ffn " + enc.intermediateSize()
                + ", vocab " + enc.vocabSize() + ", act " + enc.hiddenAct());
        out.println("  head width:        " + c.hiddenSize()
                + (c.hasProjection() ? " (projection " + enc.hiddenSize() + " -> " + c.hiddenSize() + ")" : ""));
        out.println("  rnn layers:        " + c.numRnnLayers());
        out.println("  relations_layer:   " + c.relationsLayer());
        out.println("  triples_layer:     " + c.triplesLayer());
        out.println("  max_len:           " + c.maxLen() + " words");
        out.println("  words splitter:    " + c.wordsSplitterType() + ", subtoken pooling " + c.subtokenPooling());
        out.println("  marker tokens:     " + c.entToken() + "=" + c.classTokenIndex() + ", " + c.relToken() + "="
                + c.relTokenIndex() + ", " + c.sepToken());
        out.println("  vocab size:        " + c.vocabSize());
        if (c.fuseLayers()) out.println("  fuse_layers:       true");
        if (c.precomputedPromptsMode() != null) out.println("  precomputed prompts: " + c.precomputedPromptsMode());
    }

    private static void printWeights(PrintWriter out, Checkpoint checkpoint) {
        TensorSource w = checkpoint.weights();
        long params = 0;
        long bytes = 0;
        Map<dev.relex.checkpoint.DType, Integer> dtypes = new EnumMap<>(dev.relex.checkpoint.DType.class);
        for (String name : w.names()) {
            TensorInfo info = w.info(name);
            params += info.numel();
            bytes += info.byteLength();
            dtypes.merge(info.dtype(), 1, Integer::sum);
        }
        long fileBytes = 0;
        try {
            fileBytes = Files.size(checkpoint.weightsFile());
        } catch (java.io.IOException ignored) {
            // size is informative only
        }
        out.println("weights: " + checkpoint.weightsFile().getFileName() + " (" + w.names().size() + " tensors, "
                + String.format(Locale.ROOT, "%,d", params) + " parameters, " + mib(bytes) + " of tensor data"
                + (fileBytes > 0 ? ", file " + mib(fileBytes) : "") + ", dtypes " + dtypes + ")");
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static void printList(PrintWriter out, String title, List<String> items) {
        if (items.isEmpty()) return;
        out.println("  " + title + " (" + items.size() + "):");
        for (String item : items) out.println("    " + item);
    }
}
