package dev.relex.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code relex bench ARGS...}: hands every argument to {@code dev.relex.bench.BenchMain} (module
 * relex-bench) when it is on the classpath. The CLI does not depend on that module, because it
 * pulls in ONNX Runtime; {@code bin/relex bench} starts BenchMain with the bench classpath directly.
 */
@Command(name = "bench", description = {"Run the benchmarks (delegates to dev.relex.bench.BenchMain).",
        "All arguments are passed through; 'bin/relex bench --help' shows BenchMain's own help."})
final class BenchCommand implements Callable<Integer> {
    static final String BENCH_MAIN = "dev.relex.bench.BenchMain";

    @Parameters(paramLabel = "ARG", arity = "0..*", description = "Arguments for BenchMain.")
    List<String> args;

    private final CliContext ctx;

    BenchCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Class<?> main;
        try {
            main = Class.forName(BENCH_MAIN);
        } catch (ClassNotFoundException e) {
            ctx.err().println("relex: " + BENCH_MAIN + " is not on the classpath; run 'bin/relex bench', which "
                    + "builds module relex-bench and starts it");
            return ExitCodes.FATAL;
        }
        Method m = main.getMethod("main", String[].class);
        String[] argv = args == null ? new String[0] : args.toArray(String[]::new);
        try {
            m.invoke(null, (Object) argv);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            throw e;
        }
        return ExitCodes.OK;
    }
}
