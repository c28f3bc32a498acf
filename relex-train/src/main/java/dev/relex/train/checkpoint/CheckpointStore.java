package dev.relex.train.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The states of one training run, each a directory {@code step-NNNNNNNN} under {@code root}:
 * <ol>
 *   <li>a state is written into a hidden temporary directory ({@code .tmp-step-…}) by the caller,</li>
 *   <li>every file in it is forced to disk, a {@value #COMPLETE} marker is written and forced last,</li>
 *   <li>the directory is renamed to its final name (atomic on one file system), and</li>
 *   <li>the pointer file {@value #LATEST} is replaced atomically (write a sibling, rename over).</li>
 * </ol>
 * A run killed at any point leaves either the previous state or the new one as the latest complete
 * state; leftovers of an interrupted write are hidden temporaries, removed on the next {@link #open}.
 * {@link #latest()} trusts the pointer only if it names a complete state, else takes the newest complete
 * one. Older states beyond {@code keep} are deleted after a new one is in place.
 */
public final class CheckpointStore {
    public static final String COMPLETE = "COMPLETE";
    public static final String LATEST = "LATEST";
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{8,})");

    /** Writes the files of one state into an empty directory. */
    @FunctionalInterface
    public interface StateWriter {
        void write(Path dir) throws IOException;
    }

    private final Path root;
    private final int keep;

    private CheckpointStore(Path root, int keep) {
        this.root = root;
        this.keep = keep;
    }

    /**
     * Opens (creating if needed) the state directory {@code root}, removing temporaries of interrupted writes.
     *
     * @param keep how many complete states to keep (at least 1)
     */
    public static CheckpointStore open(Path root, int keep) {
        if (keep < 1) throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        try {
            Files.createDirectories(root);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, ".tmp-*")) {
                for (Path p : ds) deleteTree(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare checkpoint directory " + root + ": " + e.getMessage(), e);
        }
        return new CheckpointStore(root, keep);
    }

    public Path root() {
        return root;
    }

    /** Directory name of the state after {@code step} optimizer steps. */
    public static String name(long step) {
        if (step < 0) throw new IllegalArgumentException("negative step " + step);
        return String.format("step-%08d", step);
    }

    /**
     * Writes the state of {@code step} through {@code writer} as described in the class comment and returns
     * its final directory. A state of the same step already present is replaced (as a whole).
     */
    public Path save(long step, StateWriter writer) {
        String name = name(step);
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory(root, ".tmp-" + name + "-");
            writer.write(tmp);
            forceTree(tmp);
            Path marker = tmp.resolve(COMPLETE);
            Files.writeString(marker, name + "\n", StandardCharsets.UTF_8);
            force(marker);
            Path target = root.resolve(name);
            if (Files.exists(target)) {
                Path old = Files.createTempDirectory(root, ".tmp-old-" + name + "-");
                Files.delete(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                moveAtomically(tmp, target);
                deleteTree(old);
            } else {
                moveAtomically(tmp, target);
            }
            tmp = null;
            forceDirectory(root);
            writePointer(name);
            prune();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training state " + name + " in " + root + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    deleteTree(tmp);
                } catch (IOException ignored) {
                    // the next open() removes it
                }
            }
        }
    }

    /**
     * Writes a directory outside the state sequence (a run's {@code best/} or {@code final/} model) through a
     * hidden sibling, then replaces {@code dir} with it: an interrupted write never leaves a half-written
     * {@code dir} behind (at worst the old one is gone and the next write makes it again).
     */
    public static void replaceDirectory(Path dir, StateWriter writer) throws IOException {
        Path tmp = dir.resolveSibling(".tmp-" + dir.getFileName());
        deleteTree(tmp);
        Files.createDirectories(tmp);
        writer.write(tmp);
        deleteTree(dir);
        moveAtomically(tmp, dir);
    }

    /** The latest complete state, if any. */
    public Optional<Path> latest() {
        Path pointer = root.resolve(LATEST);
        try {
            if (Files.isRegularFile(pointer)) {
                String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
                Path dir = root.resolve(name);
                if (STEP_DIR.matcher(name).matches() && isComplete(dir)) return Optional.of(dir);
            }
        } catch (IOException e) {
            // fall through to the directory scan
        }
        List<Path> states = completeStates();
        return states.isEmpty() ? Optional.empty() : Optional.of(states.get(states.size() - 1));
    }

    /** Complete states, oldest first. */
    public List<Path> completeStates() {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "step-*")) {
            for (Path p : ds) if (STEP_DIR.matcher(p.getFileName().toString()).matches() && isComplete(p)) out.add(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(CheckpointStore::stepOf));
        return out;
    }

    /** The step number of a state directory. */
    public static long stepOf(Path stateDir) {
        Matcher m = STEP_DIR.matcher(stateDir.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException(stateDir + " is not a state directory (step-NNNNNNNN)");
        return Long.parseLong(m.group(1));
    }

    public static boolean isComplete(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(COMPLETE));
    }

    private void writePointer(String name) throws IOException {
        Path tmp = Files.createTempFile(root, ".tmp-" + LATEST, "");
        try {
            Files.writeString(tmp, name + "\n", StandardCharsets.UTF_8);
            force(tmp);
            moveAtomically(tmp, root.resolve(LATEST));
        } finally {
            Files.deleteIfExists(tmp);
        }
        forceDirectory(root);
    }

    private void prune() throws IOException {
        List<Path> states = completeStates();
        for (int i = 0; i < states.size() - keep; i++) deleteTree(states.get(i));
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to.getParent() + " cannot rename atomically", e);
        }
    }

    static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void forceTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.toList()) if (Files.isRegularFile(p)) force(p);
        }
        forceDirectory(dir);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every platform can open a directory for fsync; the rename order still protects the data
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
