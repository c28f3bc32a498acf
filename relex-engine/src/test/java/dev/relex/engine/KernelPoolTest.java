package dev.relex.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The shared kernel pool: every chunk runs once, failures propagate, no deadlock under contention or nesting. */
class KernelPoolTest {

    @Test
    void everyChunkRunsExactlyOnce() {
        for (int chunks : new int[] {1, 2, 3, 17, 100}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(chunks);
            KernelPool.run(chunks, 8, seen::incrementAndGet);
            for (int c = 0; c < chunks; c++) assertEquals(1, seen.get(c), "chunk " + c + " of " + chunks);
        }
    }

    @Test
    void chunkFailureIsRethrownToTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        var thrown = assertThrows(IllegalStateException.class, () -> KernelPool.run(8, 4, c -> {
            if (c == 5) throw boom;
        }));
        assertSame(boom, thrown);
        // The pool is still usable afterwards.
        AtomicIntegerArray seen = new AtomicIntegerArray(4);
        KernelPool.run(4, 4, seen::incrementAndGet);
        for (int c = 0; c < 4; c++) assertEquals(1, seen.get(c));
    }

    @Test
    void threadsPropertyIsReported() {
        String prop = System.getProperty("relex.threads");
        int expected = prop == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(prop.trim());
        assertEquals(expected, Ops.threads());
    }

    @Test
    void manyConcurrentCallersAndNestedCallsFinishWithIdenticalResults() throws Exception {
        Random rnd = new Random(9);
        int m = 96, n = 200, k = 150; // above the parallel threshold
        float[] a = GemmTest.randomArray(rnd, m * k);
        float[] b = GemmTest.randomArray(rnd, n * k);
        float[] expected = new float[m * n];
        Ops.kernels().gemm(true, m, n, k, a, 0, k, b, 0, k, expected, 0, n, false, null, 0, 1);

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ExecutorService callers = Executors.newFixedThreadPool(6);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int t = 0; t < 12; t++) {
                    boolean nested = t % 3 == 0;
                    results.add(callers.submit(() -> {
                        float[] c = new float[m * n];
                        if (nested) {
                            // A product issued from inside a pool chunk runs inline on that worker.
                            KernelPool.run(2, 2, chunk -> {
                                if (chunk == 0) Ops.matmulTransB(a, 0, m, k, b, 0, n, c, 0);
                            });
                        } else {
                            Ops.matmulTransB(a, 0, m, k, b, 0, n, c, 0);
                        }
                        return c;
                    }));
                }
                for (Future<float[]> f : results) assertArrayEquals(expected, f.get());
            } finally {
                callers.shutdownNow();
            }
        });
    }

    @Test
    void parallelForRunsEveryTaskAndNestedProductsAreExact() {
        Random rnd = new Random(4);
        int heads = 7, m = 60, n = 70, k = 500; // each product alone would be split (> 2M multiply-adds)
        float[] a = GemmTest.randomArray(rnd, heads * m * k);
        float[] b = GemmTest.randomArray(rnd, heads * n * k);
        float[] expected = new float[heads * m * n];
        for (int h = 0; h < heads; h++) {
            Ops.kernels().gemm(true, m, n, k, a, h * m * k, k, b, h * n * k, k, expected, h * m * n, n, false, null, 0, 1);
        }
        float[] c = new float[heads * m * n];
        Ops.parallelFor(heads, h -> Ops.matmulTransB(a, h * m * k, m, k, b, h * n * k, n, c, h * m * n));
        assertArrayEquals(expected, c);
        Ops.parallelFor(0, h -> { throw new AssertionError("no tasks"); });
        assertThrows(ArithmeticException.class, () -> Ops.parallelFor(3, h -> {
            if (h == 2) throw new ArithmeticException("task 2");
        }));
        assertTrue(!KernelPool.onWorker(), "caller flag restored after a parallel job");
    }

    @Test
    void implementationMatchesTheBootLayer() {
        boolean moduleLoaded = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        boolean disabled = "false".equalsIgnoreCase(System.getProperty("relex.vector", "true").trim());
        assertEquals(moduleLoaded && !disabled, Ops.usingVectorApi(), Ops.implementation());
        assertTrue(Ops.implementation().startsWith(Ops.usingVectorApi() ? "vector" : "scalar"));
    }
}
