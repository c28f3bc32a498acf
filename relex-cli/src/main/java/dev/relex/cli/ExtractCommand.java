package dev.relex.cli;

import dev.relex.ExtractionRequest;
import dev.relex.ExtractionResult;
import dev.relex.OffsetUnit;
import dev.relex.checkpoint.CheckpointException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code relex extract}: reads texts (arguments, a JSONL/text file or standard input), runs the model
 * in batches and writes one JSON line per non-blank input, in input order. A bad line becomes an error
 * line and the others still run; the exit code then is {@link ExitCodes#LINE_ERRORS}.
 */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Extract entities and relations. Writes one JSON line per input (JSONL).",
                "Inputs: TEXT arguments, or --input FILE, or standard input when neither is given."},
        footer = {"", "Exit codes: 0 all inputs processed; 1 some input lines failed (each has an",
                "error line in the output); 2 invalid command line; 3 model or file unusable."})
final class ExtractCommand implements Callable<Integer> {

    enum InputFormat { jsonl, text }

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR",
            description = "Checkpoint directory (gliner_config.json, model.safetensors, tokenizer.json).")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.json to use when the checkpoint directory has none.")
    Path tokenizer;

    @Option(names = {"-e", "--entities"}, paramLabel = "LIST",
            description = "Comma-separated entity labels; repeatable.")
    List<String> entityLists;

    @Option(names = "--entity", paramLabel = "LABEL",
            description = "One entity label taken verbatim (may contain commas); repeatable.")
    List<String> entitySingles;

    @Option(names = "--entities-file", paramLabel = "FILE",
            description = "Entity labels, one per line (blank lines and lines starting with # skipped).")
    Path entitiesFile;

    @Option(names = {"-r", "--relations"}, paramLabel = "LIST",
            description = "Comma-separated relation labels; repeatable. None: entities only.")
    List<String> relationLists;

    @Option(names = "--relation", paramLabel = "LABEL",
            description = "One relation label taken verbatim (may contain commas); repeatable.")
    List<String> relationSingles;

    @Option(names = "--relations-file", paramLabel = "FILE", description = "Relation labels, one per line.")
    Path relationsFile;

    @Option(names = {"-t", "--threshold"}, defaultValue = "0.5", paramLabel = "P",
            description = "Entity threshold; also selects relation candidates (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--adjacency-threshold", paramLabel = "P",
            description = "Pair selection threshold of the adjacency layer (default: the entity threshold).")
    Double adjacencyThreshold;

    @Option(names = "--relation-threshold", paramLabel = "P",
            description = "Relation probability threshold (default: the entity threshold).")
    Double relationThreshold;

    @Option(names = "--nested", description = "Allow nested entities (flat_ner = false).")
    boolean nested;

    @Option(names = "--multi-label", description = "Allow several labels for the same span.")
    boolean multiLabel;

    @Option(names = "--fail-on-truncation",
            description = "A text longer than the model reads (max_len words) becomes an error line instead of a "
                    + "truncated result.")
    boolean failOnTruncation;

    @Option(names = "--offsets", defaultValue = "utf16", paramLabel = "UNIT", converter = OffsetUnitConverter.class,
            description = "Offset unit: utf16 (Java string indices) or codepoints (Python's) (default: utf16).")
    OffsetUnit offsets;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Batches in flight at once; each batch already uses all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N",
            description = "Texts per model batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE",
            description = "Input file, '-' for standard input. One JSON object per line (see --input-format).")
    Path input;

    @Option(names = "--input-format", defaultValue = "jsonl", paramLabel = "FORMAT",
            description = "jsonl: {\"text\": ..., overrides} or a JSON string per line; text: each line is a text "
                    + "(default: ${DEFAULT-VALUE}).")
    InputFormat inputFormat;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Output JSONL file (default: standard output).")
    Path output;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to process (use -- before a text starting with -).")
    List<String> texts;

    private final CliContext ctx;
    private boolean outputFailed;

    ExtractCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        RequestDefaults defaults = validate();
        InputParser parser = new InputParser(defaults);

        BufferedReader reader = null;
        Writer writer;
        try {
            if (texts == null || texts.isEmpty()) reader = openInput();
            writer = openOutput();
        } catch (IOException | UncheckedIOException e) {
            ctx.err().println("relex: " + e.getMessage());
            closeQuietly(reader);
            return ExitCodes.FATAL;
        }

        Extractor extractor;
        try {
            extractor = ctx.loader().load(model, tokenizer);
        } catch (RuntimeException e) {
            ctx.err().println("relex: cannot load model " + model + ": " + describe(e));
            closeQuietly(reader);
            closeOutput(writer);
            return ExitCodes.FATAL;
        }

        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "relex-extract");
            t.setDaemon(true);
            return t;
        }) : null;
        Sink sink = new Sink(writer);
        try (extractor) {
            int chunkSize = batchSize * threads;
            List<InputItem> chunk = new ArrayList<>(chunkSize);
            if (reader == null) {
                for (int i = 0; i < texts.size(); i++) {
                    chunk.add(parser.plainText(i + 1, texts.get(i)));
                    if (chunk.size() >= chunkSize) flush(chunk, extractor, pool, sink);
                }
            } else {
                int lineNo = 0;
                for (String line; (line = reader.readLine()) != null; ) {
                    lineNo++;
                    if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                    if (line.isBlank()) continue;
                    chunk.add(inputFormat == InputFormat.text ? parser.plainText(lineNo, line)
                            : parser.jsonLine(lineNo, line));
                    if (chunk.size() >= chunkSize) flush(chunk, extractor, pool, sink);
                }
            }
            flush(chunk, extractor, pool, sink);
        } catch (IOException | UncheckedIOException e) {
            ctx.err().println("relex: I/O error: " + e.getMessage());
            return ExitCodes.FATAL;
        } finally {
            if (pool != null) pool.shutdownNow();
            closeQuietly(reader);
            closeOutput(writer);
        }
        if (outputFailed) return ExitCodes.FATAL;
        if (sink.failures > 0) {
            ctx.err().println("relex: " + sink.failures + " of " + sink.total + " inputs failed");
            return ExitCodes.LINE_ERRORS;
        }
        return ExitCodes.OK;
    }

    private RequestDefaults validate() {
        checkProbability("--threshold", threshold);
        if (adjacencyThreshold != null) checkProbability("--adjacency-threshold", adjacencyThreshold);
        if (relationThreshold != null) checkProbability("--relation-threshold", relationThreshold);
        if (threads < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        if (batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        }
        boolean hasTexts = texts != null && !texts.isEmpty();
        if (hasTexts && input != null) {
            throw new ParameterException(spec.commandLine(), "give either TEXT arguments or --input, not both");
        }
        List<String> entities;
        List<String> relations;
        try {
            entities = Labels.collect(entityLists, entitySingles, entitiesFile);
            relations = Labels.collect(relationLists, relationSingles, relationsFile);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (hasTexts && entities.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                    "no entity labels: give --entities, --entity or --entities-file");
        }
        return new RequestDefaults(entities, relations, threshold, adjacencyThreshold, relationThreshold, nested,
                multiLabel, offsets, failOnTruncation);
    }

    private void checkProbability(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new ParameterException(spec.commandLine(),
                    option + " must be a probability in [0, 1], got " + value);
        }
    }

    private BufferedReader openInput() throws IOException {
        if (input == null || input.toString().equals("-")) {
            if (input == null && ctx.stdin() == System.in && System.console() != null) {
                ctx.err().println("relex: reading JSONL from standard input (end with Ctrl-D; --help for options)");
            }
            return new BufferedReader(new InputStreamReader(ctx.stdin(), StandardCharsets.UTF_8));
        }
        if (!Files.isRegularFile(input)) throw new IOException("input file does not exist: " + input);
        return Files.newBufferedReader(input, StandardCharsets.UTF_8);
    }

    private Writer openOutput() throws IOException {
        if (output == null || output.toString().equals("-")) {
            return new BufferedWriter(new OutputStreamWriter(nonClosing(ctx.stdout()), StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot write output file " + output + ": " + e.getMessage(), e);
        }
    }

    /** Runs the requests of a chunk (in parallel batches if a pool is given) and writes all its items in order. */
    private void flush(List<InputItem> chunk, Extractor extractor, ExecutorService pool, Sink sink) throws IOException {
        if (chunk.isEmpty()) return;
        List<InputItem.Request> requests = new ArrayList<>();
        for (InputItem item : chunk) if (item instanceof InputItem.Request r) requests.add(r);

        List<Object> outcomes = new ArrayList<>(requests.size());
        List<List<InputItem.Request>> batches = new ArrayList<>();
        for (int i = 0; i < requests.size(); i += batchSize) {
            batches.add(requests.subList(i, Math.min(requests.size(), i + batchSize)));
        }
        if (pool == null || batches.size() < 2) {
            for (List<InputItem.Request> batch : batches) outcomes.addAll(runBatch(extractor, batch));
        } else {
            List<Future<List<Object>>> futures = new ArrayList<>();
            for (List<InputItem.Request> batch : batches) futures.add(pool.submit(() -> runBatch(extractor, batch)));
            for (Future<List<Object>> f : futures) {
                try {
                    outcomes.addAll(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                } catch (ExecutionException e) {
                    // runBatch catches RuntimeExceptions itself; only Errors end up here.
                    if (e.getCause() instanceof Error err) throw err;
                    throw new IllegalStateException(e.getCause());
                }
            }
        }

        int k = 0;
        for (InputItem item : chunk) {
            switch (item) {
                case InputItem.Failure f -> sink.error(f.line(), f.id(), f.error());
                case InputItem.Request r -> {
                    Object outcome = outcomes.get(k++);
                    if (outcome instanceof ExtractionResult res) sink.result(r, res);
                    else sink.error(r.line(), r.id(), (String) outcome);
                }
            }
        }
        sink.flush();
        chunk.clear();
    }

    /**
     * One outcome per request: an {@link ExtractionResult} or an error message. If the batch fails,
     * each request is retried alone so that one bad text does not take its batch-mates down.
     */
    private static List<Object> runBatch(Extractor extractor, List<InputItem.Request> batch) {
        List<ExtractionRequest> requests = batch.stream().map(InputItem.Request::request).toList();
        if (requests.size() > 1) {
            try {
                List<ExtractionResult> results = extractor.extractBatch(requests);
                if (results.size() == requests.size()) return new ArrayList<>(results);
            } catch (RuntimeException batchFailure) {
                // fall through: find out which texts fail
            }
        }
        List<Object> out = new ArrayList<>(requests.size());
        for (ExtractionRequest request : requests) {
            try {
                out.add(extractor.extract(request));
            } catch (RuntimeException e) {
                out.add(describe(e));
            }
        }
        return out;
    }

    /** The message of an expected failure; unexpected exception types also name their class. */
    static String describe(RuntimeException e) {
        String msg = e.getMessage();
        if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException
                || e instanceof CheckpointException) {
            return msg != null ? msg : e.getClass().getSimpleName();
        }
        return msg != null ? e.getClass().getSimpleName() + ": " + msg : e.getClass().getName();
    }

    /** Writes output lines and mirrors error lines to standard error. */
    private final class Sink {
        private final Writer writer;
        int total;
        int failures;

        Sink(Writer writer) {
            this.writer = writer;
        }

        void result(InputItem.Request r, ExtractionResult res) throws IOException {
            total++;
            write(ResultJson.result(r.line(), r.id(), res).toString());
        }

        void error(int line, com.fasterxml.jackson.databind.JsonNode id, String message) throws IOException {
            total++;
            failures++;
            String where = texts != null && !texts.isEmpty() ? "text " + line : "line " + line;
            ctx.err().println("relex: " + where + ": " + message);
            write(ResultJson.error(line, id, message).toString());
        }

        private void write(String json) throws IOException {
            writer.write(json);
            writer.write('\n');
        }

        void flush() throws IOException {
            writer.flush();
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing useful to do: the results were already written
        }
    }

    private void closeOutput(Writer writer) {
        try {
            writer.close();
        } catch (IOException e) {
            outputFailed = true;
            ctx.err().println("relex: cannot finish writing output: " + e.getMessage());
        }
    }
}
