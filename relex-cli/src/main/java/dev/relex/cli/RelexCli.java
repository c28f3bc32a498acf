package dev.relex.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * Entry point of {@code bin/relex}. Subcommands: {@code extract}, {@code info}, {@code download},
 * {@code bench}, {@code train}.
 * {@link #run} returns the exit code instead of exiting, for tests.
 */
@Command(name = "relex", mixinStandardHelpOptions = true, version = "relex 0.1.0-SNAPSHOT",
        description = "GLiNER-Relex in pure Java: zero-shot entity and relation extraction.",
        footer = {"", "Run 'relex COMMAND --help' for a command's options."})
public final class RelexCli implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final CliContext ctx;

    private RelexCli(CliContext ctx) {
        this.ctx = ctx;
    }

    public static void main(String[] args) {
        // One-line log records on stderr (the library logs e.g. ignored checkpoint keys) unless configured otherwise.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "relex: %4$s: %5$s%6$s%n");
        }
        int code = run(CliContext.system(), args);
        System.exit(code);
    }

    /** Parses and runs one command line; returns the process exit code. */
    public static int run(CliContext ctx, String... args) {
        CommandLine cl = commandLine(ctx);
        int code = cl.execute(args);
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    static CommandLine commandLine(CliContext ctx) {
        CommandLine cl = new CommandLine(new RelexCli(ctx));
        cl.addSubcommand(new ExtractCommand(ctx));
        cl.addSubcommand(new InfoCommand(ctx));
        cl.addSubcommand(new DownloadCommand(ctx));
        cl.addSubcommand(new BenchCommand(ctx));
        cl.addSubcommand(new TrainCommand(ctx, dev.relex.train.EvaluatorDevEvaluation::of));
        cl.addSubcommand(new EvalCommand(ctx));
        cl.addSubcommand(new InitModelCommand(ctx));
        cl.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
        cl.getSubcommands().get("extract").setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("relex: " + ex);
            commandLine.getErr().flush();
            return ExitCodes.FATAL;
        });
        return cl;
    }

    /** {@code relex} without a subcommand prints the usage and fails. */
    @Override
    public Integer call() {
        spec.commandLine().usage(ctx.err());
        return ExitCodes.USAGE;
    }
}
