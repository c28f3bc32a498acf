package dev.relex.data.formats;

import dev.relex.data.BadRecordException;
import dev.relex.data.DatasetReader;
import dev.relex.data.EntityMention;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.ExampleBuilder;
import dev.relex.data.LabelMapping;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;
import dev.relex.data.RelationMention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A {@link DatasetReader} over a format parser: the parser streams {@link Parsed} records with the dataset's own
 * labels; this maps the labels through the {@link LabelMapping} (with {@link ExampleBuilder}, so an unmapped
 * label makes the record bad and a label mapped to null is dropped and counted) and reports bad records, drops
 * and adjustments to the {@link ReadReport} as the {@link ErrorPolicy} says. Records left out on purpose
 * ({@link Parsed.Excluded}) are counted as read and reported as adjustments with their reason.
 */
public abstract class ParsedReader implements DatasetReader {

    /** Streams the records of {@code file}; the stream is closed after reading. */
    public abstract Stream<Parsed> parse(Path file) throws IOException;

    @Override
    public final void read(Path file, LabelMapping mapping, ErrorPolicy policy, ReadReport report,
                           Consumer<? super Example> sink) throws IOException {
        try (Stream<Parsed> records = parse(file)) {
            Iterator<Parsed> it = records.iterator();
            while (it.hasNext()) {
                Parsed p = it.next();
                report.recordRead();
                switch (p) {
                    case Parsed.Bad b -> report.reject(new RecordError(b.file(), b.record(), b.message()), policy);
                    case Parsed.Excluded x -> report.adjusted("record left out: " + x.reason(),
                            new RecordError(x.file(), x.record(), "left out: " + x.reason()));
                    case Parsed.Ok ok -> {
                        Example mapped;
                        try {
                            mapped = map(ok, mapping, report);
                        } catch (BadRecordException e) {
                            report.reject(new RecordError(ok.file(), ok.record(), e.getMessage()), policy);
                            continue;
                        }
                        for (Parsed.Note n : ok.notes()) {
                            RecordError where = new RecordError(ok.file(), ok.record(), n.detail());
                            switch (n.kind()) {
                                case ENTITY_DROPPED -> report.entityDropped(n.reason(), where);
                                case RELATION_DROPPED -> report.relationDropped(n.reason(), where);
                                case ADJUSTED -> report.adjusted(n.reason(), where);
                            }
                        }
                        sink.accept(mapped);
                        report.exampleProduced();
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The example with mapped labels; throws {@link BadRecordException} for an unmapped label. */
    static Example map(Parsed.Ok ok, LabelMapping mapping, ReadReport report) {
        Example raw = ok.example();
        ExampleBuilder b = new ExampleBuilder(raw.id(), raw.words(), mapping, report, ok.file(), ok.record());
        int[] index = new int[raw.entities().size()];
        for (int i = 0; i < index.length; i++) {
            EntityMention e = raw.entities().get(i);
            index[i] = b.entity(e.start(), e.end(), e.label());
        }
        for (RelationMention r : raw.relations()) b.relation(index[r.head()], index[r.tail()], r.label());
        return b.build();
    }
}
