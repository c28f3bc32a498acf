package dev.relex.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.RelexModel;
import dev.relex.checkpoint.CheckpointException;
import dev.relex.eval.run.ClassificationRun;
import dev.relex.eval.run.EvaluationConfig;
import dev.relex.eval.run.EvaluationResult;
import dev.relex.eval.run.Evaluator;
import dev.relex.eval.run.LoadedDataset;
import dev.relex.eval.run.ProgressListener;
import dev.relex.eval.run.Provenance;
import dev.relex.eval.run.ReportJson;
import dev.relex.eval.run.SweepConfig;
import dev.relex.eval.run.TextTable;
import dev.relex.eval.run.ThresholdSweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code relex eval}: scores a checkpoint on a dataset split (the metrics of module relex-eval), prints a table
 * and writes a JSON report with provenance. Extraction mode (entities and relations found by the model) or
 * relation-classification mode with given arguments (FewRel single-label, CrossRE multi-label; the default for
 * those datasets).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Evaluate a checkpoint on a dataset split: entity and relation P/R/F1 (strict, boundaries, "
                + "text-level), threshold sweeps, relation classification (FewRel, CrossRE).")
final class EvalCommand implements Callable<Integer> {
    enum Mode { extraction, classification }

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Checkpoint directory.")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json when the checkpoint has none.")
    Path tokenizer;

    @Option(names = {"-d", "--dataset"}, required = true, paramLabel = "NAME",
            description = "Dataset name: conll04, scierc, ade, crossre, docred-sentences, fewrel, fewrel2-pubmed, gliner-json, ...")
    String dataset;

    @Option(names = {"-s", "--split"}, required = true, paramLabel = "FILE|NAME",
            description = "Split file, or a split name of the dataset (e.g. test) looked up under --datasets-dir.")
    String split;

    @Option(names = "--datasets-dir", paramLabel = "DIR",
            description = "Folder of the shared datasets (default: <relex.shared>/datasets, else ../shared/datasets).")
    Path datasetsDir;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "extraction or classification (default: classification for fewrel*, crossre; else extraction).")
    Mode mode;

    @Option(names = "--fewrel-split", paramLabel = "FILE",
            description = "FewRel zero-shot split file (zs_splits/fewrel_rel2id_<m>_ori.json): score its m test relations.")
    Path fewRelSplit;

    @Option(names = {"-t", "--threshold"}, paramLabel = "P", defaultValue = "0.5", description = "Entity threshold (default 0.5).")
    double threshold;

    @Option(names = "--adjacency-threshold", paramLabel = "P", description = "Adjacency threshold (default: the entity threshold).")
    Double adjacencyThreshold;

    @Option(names = "--relation-threshold", paramLabel = "P",
            description = "Relation threshold (default: the entity threshold); classification multi-label threshold.")
    Double relationThreshold;

    @Option(names = "--nested", description = "Allow nested entities (default flat, as inference).")
    boolean nested;

    @Option(names = "--multi-label", description = "Allow several labels per span.")
    boolean multiLabel;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Evaluate only the first N examples.")
    int limit;

    @Option(names = "--sweep", description = "Threshold sweep (2 entity x 5 adjacency x 10 relation thresholds, "
            + "relation refined in steps of 0.01) instead of one evaluation.")
    boolean sweep;

    @Option(names = "--sweep-entity", split = ",", paramLabel = "LIST",
            description = "Sweep: entity thresholds (default 0.3,0.5); each one re-runs the heads.")
    double[] sweepEntity;

    @Option(names = "--sweep-adjacency", split = ",", paramLabel = "LIST",
            description = "Sweep: adjacency thresholds (default 0.3,0.4,0.5,0.6,0.7).")
    double[] sweepAdjacency;

    @Option(names = "--sweep-relation", split = ",", paramLabel = "LIST",
            description = "Sweep: coarse relation thresholds (default 0.35,0.4,...,0.8), refined in steps of --sweep-step.")
    double[] sweepRelation;

    @Option(names = "--sweep-step", paramLabel = "P", defaultValue = "0.01", description = "Sweep: relation refinement step (default 0.01).")
    double sweepStep;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8", description = "Texts per model call (default 8).")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Batches in flight (default 1).")
    int threads;

    @Option(names = "--text-max-labels", paramLabel = "K", defaultValue = "0",
            description = "Text-level metric: keep at most K relations per (head, tail) text pair (0 = all).")
    int textMaxLabels;

    @Option(names = "--window-words", paramLabel = "N", defaultValue = "0",
            description = "DocRED: words per sentence window (default 0 = the model's max_len).")
    int windowWords;

    @Option(names = "--ign-reference", paramLabel = "FILE",
            description = "DocRED: a DocRED-format file whose facts Ign F1 excludes (normally train_annotated.json, "
                    + "which is not available here); default none, then Ign F1 = F1.")
    Path ignReference;

    @Option(names = "--no-end-to-end", description = "DocRED: only the gold-entity protocol, no end-to-end extraction.")
    boolean noEndToEnd;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the JSON report here.")
    Path output;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    private final CliContext ctx;

    EvalCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = ctx.err();
        EvaluationConfig config;
        try {
            config = EvaluationConfig.builder().threshold(threshold)
                    .adjacencyThreshold(adjacencyThreshold == null ? Double.NaN : adjacencyThreshold)
                    .relationThreshold(relationThreshold == null ? Double.NaN : relationThreshold).flatNer(!nested)
                    .multiLabel(multiLabel).batchSize(batchSize).threads(threads).textMaxLabelsPerPair(textMaxLabels).build();
        } catch (IllegalArgumentException e) {
            err.println("relex: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        SweepConfig grid;
        try {
            SweepConfig d = SweepConfig.defaults();
            grid = new SweepConfig(sweepEntity != null ? sweepEntity : d.entityThresholds(),
                    sweepAdjacency != null ? sweepAdjacency : d.adjacencyThresholds(),
                    sweepRelation != null ? sweepRelation : d.relationThresholds(), sweepStep);
        } catch (IllegalArgumentException e) {
            err.println("relex: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Mode m = mode != null ? mode
                : dataset.startsWith("fewrel") || dataset.equals("crossre") ? Mode.classification : Mode.extraction;
        if (dataset.equals("docred") || dataset.equals("dwie")) return documents(config, err);
        LoadedDataset data;
        try {
            data = LoadedDataset.load(dataset, split, datasetsDir != null ? datasetsDir : defaultDatasetsDir(), limit, fewRelSplit);
        } catch (IllegalArgumentException | IOException e) {
            err.println("relex: " + e.getMessage());
            return ExitCodes.FATAL;
        }
        if (data.report().recordsSkipped() > 0) {
            err.println("relex: " + data.report().recordsSkipped() + " bad records skipped in " + data.file()
                    + (data.report().errors().isEmpty() ? "" : "; first: " + data.report().errors().get(0)));
        }
        config = config.toBuilder().datasetEntityLabels(data.entityLabels()).datasetRelationLabels(data.relationLabels()).build();
        RelexModel relex;
        try {
            relex = RelexModel.load(model, tokenizer);
        } catch (CheckpointException | IllegalArgumentException e) {
            err.println("relex: " + e.getMessage());
            return ExitCodes.FATAL;
        }
        ProgressListener progress = noProgress ? ProgressListener.NONE : new ProgressBar(err);
        ObjectNode report;
        String table;
        try (relex) {
            if (m == Mode.classification) {
                ClassificationRun.Protocol protocol = dataset.startsWith("fewrel")
                        ? ClassificationRun.Protocol.SINGLE_LABEL : ClassificationRun.Protocol.MULTI_LABEL;
                ClassificationRun.Result r = new ClassificationRun(protocol, data.relationLabels(), config.relationThreshold(), threads)
                        .run(relex, data.examples(), progress);
                report = ReportJson.classification(r);
                table = TextTable.classification(r);
            } else if (sweep) {
                ThresholdSweep.Result r = new ThresholdSweep(config, grid).run(relex, data.examples(), progress);
                report = ReportJson.sweep(r);
                table = TextTable.sweep(r);
            } else {
                EvaluationResult r = new Evaluator(config).evaluate(relex, data.examples(), progress);
                report = ReportJson.evaluation(r);
                table = TextTable.evaluation(r);
            }
        }
        if (!noProgress) err.println();
        report.set("model", Provenance.model(model));
        report.set("dataset", data.toJson());
        // keep the clock-dependent part last
        report.set("timings", report.remove("timings"));
        ctx.out().print(table);
        ctx.out().flush();
        if (output != null) {
            try {
                Files.writeString(output, ReportJson.MAPPER.writeValueAsString(report) + "\n");
            } catch (IOException e) {
                err.println("relex: cannot write " + output + ": " + e.getMessage());
                return ExitCodes.FATAL;
            }
        }
        return ExitCodes.OK;
    }

    /** DocRED-format datasets: sentence windows, gold-entity protocol and end-to-end text level. */
    private int documents(EvaluationConfig config, PrintWriter err) throws IOException {
        dev.relex.eval.docred.LoadedDocuments docs;
        java.util.Set<dev.relex.eval.metrics.DocumentRelationMetrics.NamedFact> reference = java.util.Set.of();
        Path file;
        try {
            file = resolveSplit(dataset, split, datasetsDir != null ? datasetsDir : defaultDatasetsDir());
            docs = dev.relex.eval.docred.LoadedDocuments.load(dataset, file, limit);
            if (ignReference != null) reference = dev.relex.eval.docred.LoadedDocuments.load(dataset, ignReference, 0).namedFacts();
        } catch (IllegalArgumentException | IOException e) {
            err.println("relex: " + e.getMessage());
            return ExitCodes.FATAL;
        }
        RelexModel relex;
        try {
            relex = RelexModel.load(model, tokenizer);
        } catch (CheckpointException | IllegalArgumentException e) {
            err.println("relex: " + e.getMessage());
            return ExitCodes.FATAL;
        }
        ProgressListener progress = noProgress ? ProgressListener.NONE : new ProgressBar(err);
        dev.relex.eval.docred.DocumentEvaluation.Result r;
        try (relex) {
            r = new dev.relex.eval.docred.DocumentEvaluation(config, windowWords, reference)
                    .run(relex, docs.documents(), docs.mapping(), !noEndToEnd, progress);
        }
        if (!noProgress) err.println();
        String ign = ignReference == null ? "none (no training file here): Ign F1 = F1"
                : "facts of " + ignReference.toAbsolutePath().normalize() + " (sha256 " + Provenance.sha256(ignReference) + ")";
        ObjectNode report = ReportJson.document(r, !noEndToEnd, ign, config);
        report.set("model", Provenance.model(model));
        ObjectNode ds = report.putObject("dataset");
        ds.put("name", dataset);
        ds.put("file", file.toAbsolutePath().normalize().toString());
        ds.put("sha256", Provenance.sha256(file));
        ds.put("records_read", docs.report().recordsRead());
        ds.put("records_skipped", docs.report().recordsSkipped());
        ds.put("window_words", windowWords > 0 ? windowWords : -1);
        report.set("timings", report.remove("timings"));
        ctx.out().print(dev.relex.eval.run.TextTable.document(r, !noEndToEnd));
        ctx.out().flush();
        if (output != null) Files.writeString(output, ReportJson.MAPPER.writeValueAsString(report) + "\n");
        return ExitCodes.OK;
    }

    static Path resolveSplit(String dataset, String split, Path datasetsDir) {
        Path f = Path.of(split);
        if (Files.isRegularFile(f)) return f;
        String rel = dev.relex.data.Datasets.get(dataset).splits().get(split);
        if (rel == null || !Files.isRegularFile(datasetsDir.resolve(rel))) {
            throw new IllegalArgumentException("split '" + split + "' is neither a file nor an available split of " + dataset);
        }
        return datasetsDir.resolve(rel);
    }

    static Path defaultDatasetsDir() {
        return Path.of(System.getProperty("relex.shared", "../shared")).resolve("datasets");
    }

    /** A one-line bar on stderr, redrawn with a carriage return. */
    static final class ProgressBar implements ProgressListener {
        private final PrintWriter err;

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void progress(int done, int total) {
            int width = 30, filled = total == 0 ? width : (int) ((long) done * width / total);
            err.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d", "#".repeat(filled), ".".repeat(width - filled), done, total));
            err.flush();
        }
    }
}
