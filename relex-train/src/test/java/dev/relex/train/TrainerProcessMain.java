package dev.relex.train;

import java.nio.file.Path;

/** Runs a training configuration in its own JVM (for the kill -9 test): {@code CONFIG.json [--resume]}. */
public final class TrainerProcessMain {
    private TrainerProcessMain() {}

    public static void main(String[] args) throws Exception {
        TrainerConfig cfg = TrainerConfig.read(Path.of(args[0]));
        new Trainer(cfg, null, null).run(args.length > 1 && args[1].equals("--resume"));
    }
}
