package dev.relex.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts small JVMs to check which kernels are picked: the engine must run (scalar) without
 * {@code --add-modules jdk.incubator.vector}, and {@code -Drelex.vector=false} forces scalar.
 */
class ImplementationSelectionTest {

    /** Entry point of the child JVMs: prints the implementation and checks one product. */
    public static void main(String[] args) {
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] c = new float[4];
        Ops.matmulTransB(a, 0, 2, 3, a, 0, 2, c, 0);
        System.out.println(Ops.implementation() + " " + Ops.usingVectorApi() + " " + Ops.threads() + " "
                + (int) c[0] + "," + (int) c[1] + "," + (int) c[2] + "," + (int) c[3]);
    }

    private static String run(String... jvmArgs) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = codeSource(Ops.class) + File.pathSeparator + codeSource(ImplementationSelectionTest.class);
        List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", cp, ImplementationSelectionTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.strip().split("\\R");
        return lines[lines.length - 1];
    }

    private static String codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void scalarWithoutTheModuleVectorWithItAndForcedScalar() throws Exception {
        // 14 = 1*1+2*2+3*3, 32 = 1*4+2*5+3*6, 77 = 16+25+36.
        assertEquals("scalar false 3 14,32,32,77", run("-Drelex.threads=3"));
        assertTrue(run("--add-modules", "jdk.incubator.vector", "-Drelex.threads=1")
                .matches("vector\\(\\d+-bit\\) true 1 14,32,32,77"));
        assertEquals("scalar false 2 14,32,32,77",
                run("--add-modules", "jdk.incubator.vector", "-Drelex.vector=false", "-Drelex.threads=2"));
    }
}
