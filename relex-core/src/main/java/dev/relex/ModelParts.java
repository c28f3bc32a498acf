package dev.relex;

import dev.relex.checkpoint.GlinerConfig;
import dev.relex.checkpoint.TensorSource;
import dev.relex.encoder.Encoder;
import dev.relex.encoder.Encoders;
import dev.relex.heads.HeadOutput;
import dev.relex.heads.RelexHeads;
import dev.relex.text.EncodedInput;

/** Builds the network parts of a checkpoint (kept apart so that {@link RelexModel} can be tested with fakes). */
final class ModelParts {
    private ModelParts() {}

    static Encoder encoder(GlinerConfig config, TensorSource weights) {
        return Encoders.create(config.encoder(), weights, Encoders.GLINER_PREFIX);
    }

    static RelexModel.Heads heads(GlinerConfig config, TensorSource weights) {
        return wrap(RelexHeads.create(config, weights));
    }

    static RelexModel.Heads wrap(RelexHeads heads) {
        return new RelexModel.Heads() {
            @Override
            public HeadOutput forward(float[] states, int offset, EncodedInput input, double ent, double adj) {
                return heads.forward(states, offset, input, ent, adj);
            }

            @Override
            public HeadOutput scoreGivenPairs(float[] states, int offset, EncodedInput input, int[] spans, int[] pairs) {
                return heads.scoreGivenPairs(states, offset, input, spans, pairs);
            }
        };
    }
}
