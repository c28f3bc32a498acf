package dev.relex.train;

import dev.relex.data.DatasetInfo;
import dev.relex.data.DatasetReader;
import dev.relex.data.Datasets;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.LabelMapping;
import dev.relex.data.LabelMappings;
import dev.relex.data.ReadReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The endless, deterministic stream of training examples of a run: several sources (files in any
 * format of the {@link Datasets} registry) mixed by weight, each read by its streaming reader on a
 * background thread (so a corpus larger than memory trains) and shuffled within a buffer of
 * {@code shuffleBuffer} examples; a source that runs out starts its next epoch.
 *
 * <p>The sequence of examples depends only on the files, the configuration and the seed, so a resumed run
 * gets the same stream by drawing (and discarding) as many examples as the interrupted run had consumed
 * ({@link #skip}); reading is cheap next to training. Bad records follow the error policy and are counted
 * in each source's {@link ReadReport} (of its first epoch; later epochs read the same file).
 */
public final class TrainingData implements AutoCloseable {
    private final List<SourceStream> sources = new ArrayList<>();
    private final double[] cumulative;
    private final SplittableRandom choice;
    private long drawn;

    public TrainingData(List<TrainerConfig.Source> configured, LabelMappings mappings, ErrorPolicy policy,
                        int shuffleBuffer, long seed) {
        if (configured.isEmpty()) throw new IllegalArgumentException("no training sources");
        cumulative = new double[configured.size()];
        double total = 0;
        for (int i = 0; i < configured.size(); i++) {
            TrainerConfig.Source s = configured.get(i);
            total += s.weight();
            cumulative[i] = total;
            sources.add(new SourceStream(s, mapping(s, mappings), policy, shuffleBuffer, seed * 1_000_003L + 7919L * (i + 1)));
        }
        for (int i = 0; i < cumulative.length; i++) cumulative[i] /= total;
        choice = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /** The label mapping of a source: its dataset's built-in one, overridden by the source's user file. */
    static LabelMapping mapping(TrainerConfig.Source s, LabelMappings builtin) {
        DatasetInfo info = info(s);
        LabelMappings m = builtin;
        if (s.labels() != null) {
            try {
                m = builtin.overriddenBy(LabelMappings.load(Path.of(s.labels())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read label mapping " + s.labels() + ": " + e.getMessage(), e);
            }
        }
        return info.labelMapping(m);
    }

    static DatasetInfo info(TrainerConfig.Source s) {
        if (!Datasets.has(s.dataset())) {
            List<String> names = Datasets.all().stream().map(DatasetInfo::name).sorted().toList();
            throw new IllegalArgumentException("unknown dataset '" + s.dataset() + "' for " + s.path() + " (known: "
                    + String.join(", ", names) + ")");
        }
        if (!Files.isRegularFile(Path.of(s.path())) && !Files.isDirectory(Path.of(s.path()))) {
            throw new IllegalArgumentException("training source " + s.path() + " does not exist");
        }
        return Datasets.get(s.dataset());
    }

    /** The next example. */
    public Example next() {
        double u = choice.nextDouble();
        int i = 0;
        while (i < cumulative.length - 1 && u >= cumulative[i]) i++;
        drawn++;
        return sources.get(i).next();
    }

    /** The next {@code n} examples. */
    public List<Example> next(int n) {
        List<Example> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) out.add(next());
        return out;
    }

    /** Draws and discards {@code n} examples (resuming a run at the position it had reached). */
    public void skip(long n) {
        for (long k = 0; k < n; k++) next();
    }

    /** Examples drawn so far. */
    public long drawn() {
        return drawn;
    }

    /** Per source: its file, the epochs started, and the read report of its first epoch. */
    public List<SourceSummary> summaries() {
        List<SourceSummary> out = new ArrayList<>();
        for (SourceStream s : sources) out.add(new SourceSummary(s.source, s.epoch, s.firstReport));
        return out;
    }

    public record SourceSummary(TrainerConfig.Source source, int epochs, ReadReport report) {}

    @Override
    public void close() {
        for (SourceStream s : sources) s.stop();
    }

    /** One source: reader thread → queue → shuffle buffer. */
    private static final class SourceStream {
        private static final Object END = new Object();
        private final TrainerConfig.Source source;
        private final LabelMapping mapping;
        private final ErrorPolicy policy;
        private final DatasetReader reader;
        private final int bufferSize;
        private final SplittableRandom rng;
        private final List<Example> buffer = new ArrayList<>();
        private BlockingQueue<Object> queue;
        private Thread thread;
        private boolean exhausted;
        private int epoch;
        private long producedThisEpoch;
        private ReadReport firstReport;

        SourceStream(TrainerConfig.Source source, LabelMapping mapping, ErrorPolicy policy, int bufferSize, long seed) {
            this.source = source;
            this.mapping = mapping;
            this.policy = policy;
            this.reader = info(source).newReader();
            this.bufferSize = bufferSize;
            this.rng = new SplittableRandom(seed);
        }

        Example next() {
            for (int attempt = 0; attempt < 2; attempt++) {
                if (queue == null || (exhausted && buffer.isEmpty())) startEpoch();
                fill();
                if (!buffer.isEmpty()) {
                    int k = rng.nextInt(buffer.size());
                    Example e = buffer.get(k);
                    Example last = buffer.remove(buffer.size() - 1);
                    if (k < buffer.size()) buffer.set(k, last);
                    return e;
                }
            }
            throw new IllegalStateException("training source " + source.path() + " (" + source.dataset()
                    + ") has no usable examples: " + (firstReport == null ? "" : firstReport.summary()));
        }

        private void fill() {
            while (!exhausted && buffer.size() < bufferSize) {
                Object o = take();
                if (o == END) {
                    exhausted = true;
                } else if (o instanceof RuntimeException e) {
                    exhausted = true;
                    throw e;
                } else if (source.limit() == 0 || producedThisEpoch < source.limit()) {
                    buffer.add((Example) o);
                    producedThisEpoch++;
                }
            }
        }

        private Object take() {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + source.path(), e);
            }
        }

        private void startEpoch() {
            stop();
            epoch++;
            exhausted = false;
            producedThisEpoch = 0;
            BlockingQueue<Object> q = new ArrayBlockingQueue<>(1024);
            queue = q;
            ReadReport report = new ReadReport();
            if (firstReport == null) firstReport = report;
            Path file = Path.of(source.path());
            thread = Thread.ofPlatform().daemon().name("relex-data-" + file.getFileName()).start(() -> {
                try {
                    reader.read(file, mapping, policy, report, e -> put(q, e));
                    put(q, END);
                } catch (IOException e) {
                    put(q, new UncheckedIOException(file + ": " + e.getMessage(), e));
                } catch (StopReading e) {
                    // stopped by close()
                } catch (RuntimeException e) {
                    put(q, e);
                }
            });
        }

        private static void put(BlockingQueue<Object> q, Object o) {
            try {
                q.put(o);
            } catch (InterruptedException e) {
                throw new StopReading();
            }
        }

        void stop() {
            if (thread != null) {
                thread.interrupt();
                thread = null;
            }
        }
    }

    private static final class StopReading extends RuntimeException {
        StopReading() {
            super(null, null, false, false);
        }
    }
}
