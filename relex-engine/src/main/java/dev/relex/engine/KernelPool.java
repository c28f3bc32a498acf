package dev.relex.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The shared kernel thread pool. Work is cut into a fixed number of chunks that the calling thread and
 * up to {@code threads - 1} pool workers claim from an atomic counter; the caller only waits for chunks
 * a helper has already started, so a job never waits on a queued task and cannot deadlock, however
 * many threads call in at once. Calls made from a pool worker run inline.
 *
 * <p>An idle worker spins for a short while ({@code relex.spin.micros}, default 50 µs) before it parks:
 * a forward pass issues a parallel job every few hundred microseconds, and waking a parked thread costs
 * tens of microseconds on a VM, which would otherwise delay every job's second thread. Set it to 0 to
 * park at once (e.g. when many more threads than cores compete).
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
    private static final long SPIN_NANOS = configuredSpinMicros() * 1000L;
    private static final ThreadLocal<Boolean> IS_WORKER = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** Helper slots of posted jobs: each entry asks one worker to join that job. */
    private static final ConcurrentLinkedQueue<Job> QUEUE = new ConcurrentLinkedQueue<>();
    private static volatile Worker[] workers;

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

    private static long configuredSpinMicros() {
        String prop = System.getProperty("relex.spin.micros");
        if (prop == null || prop.isBlank()) return 50;
        try {
            long v = Long.parseLong(prop.trim());
            if (v < 0) throw new IllegalArgumentException("system property relex.spin.micros must be >= 0, got " + v);
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property relex.spin.micros must be an integer, got '" + prop + "'", e);
        }
    }

    private static Worker[] workers() {
        Worker[] w = workers;
        if (w == null) {
            synchronized (KernelPool.class) {
                w = workers;
                if (w == null) {
                    w = new Worker[Math.max(1, THREADS - 1)];
                    for (int i = 0; i < w.length; i++) {
                        w[i] = new Worker("relex-kernel-" + (i + 1));
                        w[i].thread.start();
                    }
                    workers = w;
                }
            }
        }
        return w;
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
        Worker[] pool = workers();
        for (int h = 0; h < helpers; h++) QUEUE.add(job);
        for (Worker w : pool) {
            if (w.parked) LockSupport.unpark(w.thread);
        }
        IS_WORKER.set(Boolean.TRUE);
        try {
            job.work();
        } finally {
            IS_WORKER.set(Boolean.FALSE);
        }
        // A helper that started a chunk finishes it soon: spin briefly, then park.
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (job.remaining.get() > 0) {
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(job);
            }
        }
        Throwable t = job.failure;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error err) throw err;
        if (t != null) throw new IllegalStateException(t);
    }

    /** A daemon thread that takes helper slots from the queue, spinning a little before it parks. */
    private static final class Worker implements Runnable {
        final Thread thread;
        volatile boolean parked;

        Worker(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            IS_WORKER.set(Boolean.TRUE);
            while (true) {
                Job job = QUEUE.poll();
                if (job != null) {
                    job.work();
                    continue;
                }
                long deadline = System.nanoTime() + SPIN_NANOS;
                while (QUEUE.isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
                if (!QUEUE.isEmpty()) continue;
                // Publish 'parked' before the last look at the queue: a poster that enqueues after that
                // look sees the flag and unparks us (an unpark before park makes park return at once).
                parked = true;
                if (QUEUE.isEmpty()) LockSupport.park(this);
                parked = false;
            }
        }
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
