package dev.relex.bench.libtorch;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * One libtorch training step of a {@link TorchBertEncoder}: forward with autograd, a scalar loss over the
 * last hidden states (mean over real tokens of the squared hidden values), {@code loss.backward()}, and
 * {@code torch::optim::AdamW::step()} followed by {@code zero_grad()} (set to none, libtorch's default).
 * Each phase is timed separately; libtorch runs its CPU ops synchronously, so the split is exact.
 */
public final class TorchTrainStep implements AutoCloseable {

    /** Wall-clock nanoseconds of each phase of one step, and the loss it computed. */
    public record Times(long forwardNanos, long backwardNanos, long optimizerNanos, double loss) {
        public long totalNanos() {
            return forwardNanos + backwardNanos + optimizerNanos;
        }
    }

    private final TorchBertEncoder encoder;
    private final TensorVector params;
    private final AdamW optimizer;

    /** AdamW with the given learning rate and weight decay (betas 0.9/0.999, eps 1e-8) over all parameters. */
    public TorchTrainStep(TorchBertEncoder encoder, double learningRate, double weightDecay) {
        this.encoder = encoder;
        this.params = encoder.parameterVector();
        AdamWOptions options = new AdamWOptions(learningRate);
        options.weight_decay().put(weightDecay);
        this.optimizer = new AdamW(params, options);
    }

    /** Runs one step on {@code batch}. */
    public Times step(TorchBatch batch) {
        try (PointerScope scope = new PointerScope()) {
            long t0 = System.nanoTime();
            Tensor hidden = encoder.forward(batch);
            Tensor loss = hidden.pow(new Scalar(2.0)).mul(batch.tokenMask()).sum()
                    .div(new Scalar((double) batch.realTokens() * encoder.shape().hidden()));
            long t1 = System.nanoTime();
            loss.backward();
            long t2 = System.nanoTime();
            optimizer.step();
            optimizer.zero_grad();
            long t3 = System.nanoTime();
            return new Times(t1 - t0, t2 - t1, t3 - t2, loss.item_float());
        }
    }

    @Override
    public void close() {
        optimizer.close();
        params.close();
    }
}
