package dev.relex.engine;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The shared kernel thread pool. Work is cut into a fixed number of chunks that the calling thread and
 * up to {@code threads - 1} pool workers claim from an atomic counter; the caller only waits for chunks
 * a helper has already started, so a job never waits on a queued task and cannot deadlock, however
 * many threads call in at once. Calls made from a pool worker run inline.
 *
 * <p>Size: system property {@code relex.threads} (default {@link Runtime#availableProcessors()}).
 */
final class KernelPool {
    /** One unit of parallel work; chunk indices run from 0 to chunks - 1. */
    @FunctionalInterface
    interface ChunkBody {
        void run(int chunk);
    }

    private static final int THREADS = configuredThreads();
    private static final ThreadLocal<Boolean> IS_WORKER = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static volatile ThreadPoolExecutor executor;

    private KernelPool() {}

    /** Configured kernel parallelism (at least 1). */
    static int threads() {
        return THREADS;
    }

    /**
     * True on a kernel pool worker, or on a caller thread while it works on chunks of a parallel job:
     * nested parallel calls there run inline (the other threads are already busy with the same job).
     */
    static boolean onWorker() {
        return IS_WORKER.get();
    }

    private static int configuredThreads() {
        String prop = System.getProperty("relex.threads");
        int n = Runtime.getRuntime().availableProcessors();
        if (prop != null && !prop.isBlank()) {
            try {
                n = Integer.parseInt(prop.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property relex.threads must be an integer, got '" + prop + "'", e);
            }
            if (n < 1) {
                throw new IllegalArgumentException("system property relex.threads must be >= 1, got " + n);
            }
        }
        return Math.max(1, n);
    }

    private static ThreadPoolExecutor executor() {
        ThreadPoolExecutor e = executor;
        if (e == null) {
            synchronized (KernelPool.class) {
                e = executor;
                if (e == null) {
                    int workers = Math.max(1, THREADS - 1);
                    AtomicInteger ids = new AtomicInteger();
                    ThreadFactory factory = r -> {
                        Thread t = new Thread(() -> {
                            IS_WORKER.set(Boolean.TRUE);
                            r.run();
                        }, "relex-kernel-" + ids.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    };
                    e = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
                    e.allowCoreThreadTimeOut(true);
                    executor = e;
                }
            }
        }
        return e;
    }

    /**
     * Runs body for every chunk in [0, chunks) using at most {@code maxThreads} threads (the caller
     * included) and returns when all chunks are done. Exceptions from any chunk are rethrown.
     */
    static void run(int chunks, int maxThreads, ChunkBody body) {
        int helpers = Math.min(Math.min(maxThreads, THREADS), chunks) - 1;
        if (helpers <= 0 || onWorker()) {
            for (int c = 0; c < chunks; c++) body.run(c);
            return;
        }
        Job job = new Job(chunks, body, Thread.currentThread());
        ThreadPoolExecutor e = executor();
        for (int h = 0; h < helpers; h++) e.execute(job::work);
        IS_WORKER.set(Boolean.TRUE);
        try {
            job.work();
        } finally {
            IS_WORKER.set(Boolean.FALSE);
        }
        while (job.remaining.get() > 0) {
            LockSupport.park(job);
        }
        Throwable t = job.failure;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error err) throw err;
        if (t != null) throw new IllegalStateException(t);
    }

    private static final class Job {
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger remaining;
        final int chunks;
        final ChunkBody body;
        final Thread caller;
        volatile Throwable failure;

        Job(int chunks, ChunkBody body, Thread caller) {
            this.chunks = chunks;
            this.body = body;
            this.caller = caller;
            this.remaining = new AtomicInteger(chunks);
        }

        void work() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    if (failure == null) body.run(c);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    if (remaining.decrementAndGet() == 0) LockSupport.unpark(caller);
                }
            }
        }
    }
}
