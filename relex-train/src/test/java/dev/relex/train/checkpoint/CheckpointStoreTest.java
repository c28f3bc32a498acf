package dev.relex.train.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointStoreTest {
    @TempDir
    Path tmp;

    private static void state(Path dir, String content) throws IOException {
        Files.writeString(dir.resolve("state.json"), content);
    }

    @Test
    void latestIsTheNewestCompleteStateAndOldOnesArePruned() throws IOException {
        CheckpointStore store = CheckpointStore.open(tmp.resolve("run"), 2);
        assertTrue(store.latest().isEmpty());
        for (int step = 1; step <= 4; step++) {
            String c = "s" + step;
            store.save(step * 10, d -> state(d, c));
        }
        assertEquals(Path.of("step-00000040"), store.latest().orElseThrow().getFileName());
        assertEquals("s4", Files.readString(store.latest().orElseThrow().resolve("state.json")));
        assertEquals(List.of(30L, 40L), store.completeStates().stream().map(CheckpointStore::stepOf).toList());
    }

    @Test
    void aFailedWriteKeepsThePreviousStateAndLeavesNoVisibleLeftovers() throws IOException {
        CheckpointStore store = CheckpointStore.open(tmp.resolve("run"), 3);
        store.save(5, d -> state(d, "good"));
        assertThrows(RuntimeException.class, () -> store.save(6, d -> {
            state(d, "half");
            throw new IOException("disk full (simulated)");
        }));
        assertEquals(5, CheckpointStore.stepOf(store.latest().orElseThrow()));
        try (var files = Files.list(store.root())) {
            assertEquals(List.of("LATEST", "step-00000005"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void anInterruptedWriteIsIgnoredAndCleanedOnReopen() throws IOException {
        Path root = tmp.resolve("run");
        CheckpointStore store = CheckpointStore.open(root, 3);
        store.save(1, d -> state(d, "one"));
        // A process killed mid-write leaves a temporary directory, and possibly a state without marker
        // (e.g. copied by hand) and a pointer naming something that is not complete.
        Files.createDirectories(root.resolve(".tmp-step-00000002-123"));
        state(root.resolve(".tmp-step-00000002-123"), "partial");
        Files.createDirectories(root.resolve("step-00000003"));
        Files.writeString(root.resolve("LATEST"), "step-00000003\n");
        CheckpointStore reopened = CheckpointStore.open(root, 3);
        assertFalse(Files.exists(root.resolve(".tmp-step-00000002-123")));
        assertEquals(1, CheckpointStore.stepOf(reopened.latest().orElseThrow()));
    }

    @Test
    void savingTheSameStepAgainReplacesItWhole() throws IOException {
        CheckpointStore store = CheckpointStore.open(tmp.resolve("run"), 3);
        store.save(7, d -> {
            state(d, "first");
            Files.writeString(d.resolve("extra"), "x");
        });
        store.save(7, d -> state(d, "second"));
        Path latest = store.latest().orElseThrow();
        assertEquals("second", Files.readString(latest.resolve("state.json")));
        assertFalse(Files.exists(latest.resolve("extra")));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> CheckpointStore.open(tmp, 0));
        assertThrows(IllegalArgumentException.class, () -> CheckpointStore.name(-1));
        assertThrows(IllegalArgumentException.class, () -> CheckpointStore.stepOf(Path.of("best")));
    }
}
