package dev.relex.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The process environment a command runs in: standard streams and the model loader. Everything the
 * CLI writes is UTF-8 whatever the platform locale is, because JSONL consumers expect UTF-8.
 */
public final class CliContext {
    private final InputStream stdin;
    private final OutputStream stdout;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ModelLoader loader;

    public CliContext(InputStream stdin, OutputStream stdout, OutputStream stderr, ModelLoader loader) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        this.err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        this.loader = loader;
    }

    /** The real process: System streams and {@link RelexModelExtractor#load}. */
    public static CliContext system() {
        return new CliContext(System.in, System.out, System.err, RelexModelExtractor::load);
    }

    public InputStream stdin() {
        return stdin;
    }

    /** Raw standard output, for JSONL results (wrapped in a UTF-8 writer by the caller). */
    public OutputStream stdout() {
        return stdout;
    }

    /** Human-readable output (help, info). */
    public PrintWriter out() {
        return out;
    }

    /** Diagnostics. */
    public PrintWriter err() {
        return err;
    }

    public ModelLoader loader() {
        return loader;
    }
}
