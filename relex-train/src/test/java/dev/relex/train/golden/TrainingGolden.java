package dev.relex.train.golden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.golden.RelexGolden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates and reads {@code ../shared/golden/training} (README there). */
public final class TrainingGolden {
    private TrainingGolden() {}

    public static Path root() {
        return RelexGolden.golden().resolve("training");
    }

    /** Every case folder, sorted; empty if the shared data is absent. */
    public static List<Path> cases() {
        Path r = root();
        if (!Files.isDirectory(r)) return List.of();
        try (Stream<Path> s = Files.list(r)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(Path file) {
        try {
            return RelexGolden.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    public static int[] ints(SafeTensors st, String name) {
        long[] l = st.longs(name);
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) out[i] = Math.toIntExact(l[i]);
        return out;
    }

    public static int[] shape(SafeTensors st, String name) {
        return st.info(name).intShape();
    }
}
