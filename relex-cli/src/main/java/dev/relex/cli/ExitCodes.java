package dev.relex.cli;

/** Process exit codes of {@code relex}; documented in the README. */
public final class ExitCodes {
    /** Everything worked. */
    public static final int OK = 0;
    /** The run finished but at least one input line failed (its error line is in the output). */
    public static final int LINE_ERRORS = 1;
    /** Invalid command line (picocli's usage error code). */
    public static final int USAGE = 2;
    /** The model or an input/output file could not be used; nothing (more) was processed. */
    public static final int FATAL = 3;

    private ExitCodes() {}
}
