package dev.relex.eval.run;

/** Called after each finished batch with the number of texts done so far (from the calling thread or a worker). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> {};

    void progress(int done, int total);
}
