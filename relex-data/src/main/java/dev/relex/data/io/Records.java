package dev.relex.data.io;

import dev.relex.data.BadRecordException;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;

import java.util.function.Consumer;

/** The per-record step every reader shares: count the record, run its conversion, turn failures into errors. */
public final class Records {
    private Records() {}

    /**
     * Counts one record read and runs {@code body}; a {@link BadRecordException} (or an
     * {@link IllegalArgumentException} from a record constructor) becomes a {@link RecordError} for
     * {@code file}/{@code record}, handled by {@code policy} (skip and report, or throw).
     */
    public static void process(String file, long record, ErrorPolicy policy, ReadReport report, Runnable body) {
        report.recordRead();
        try {
            body.run();
        } catch (BadRecordException | IllegalArgumentException e) {
            report.reject(new RecordError(file, record, e.getMessage()), policy);
        }
    }

    /** Sends an example to the sink and counts it. */
    public static void emit(Example example, ReadReport report, Consumer<? super Example> sink) {
        sink.accept(example);
        report.exampleProduced();
    }
}
