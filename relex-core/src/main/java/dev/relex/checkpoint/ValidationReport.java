package dev.relex.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Result of checking a checkpoint's tensors against the {@link ArchitectureSpec} of its config.
 * Errors (missing or mis-shaped tensors, unusable dtypes, marker ids outside the vocabulary) make a
 * checkpoint unusable; unexpected keys are only reported, because the reference loads non-strictly
 * and ignores them; known-ignorable keys (stale buffers, unused modules) are listed separately.
 * Immutable once built.
 */
public final class ValidationReport {
    private final List<String> errors;
    private final List<String> unexpectedKeys;
    private final List<String> ignoredKeys;
    private final List<String> warnings;

    private ValidationReport(Builder b) {
        this.errors = Collections.unmodifiableList(new ArrayList<>(b.errors));
        this.unexpectedKeys = Collections.unmodifiableList(new ArrayList<>(b.unexpectedKeys));
        this.ignoredKeys = Collections.unmodifiableList(new ArrayList<>(b.ignoredKeys));
        this.warnings = Collections.unmodifiableList(new ArrayList<>(b.warnings));
    }

    /** One message per problem that makes the checkpoint unusable (each names the key). */
    public List<String> errors() {
        return errors;
    }

    /** Keys in the weights that the architecture does not use and that are not known to be harmless. */
    public List<String> unexpectedKeys() {
        return unexpectedKeys;
    }

    /** Keys present in the weights that are known to be unused (e.g. {@code embeddings.position_ids}). */
    public List<String> ignoredKeys() {
        return ignoredKeys;
    }

    /** Observations that do not prevent loading (e.g. differing vocabulary sizes in the two configs). */
    public List<String> warnings() {
        return warnings;
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    /** Throws a {@link CheckpointException} listing every error, one per line, if there is any. */
    public void throwIfInvalid(String context) {
        if (errors.isEmpty()) return;
        StringBuilder sb = new StringBuilder(context).append(": ").append(errors.size())
                .append(errors.size() == 1 ? " problem" : " problems");
        for (String e : errors) sb.append("\n  - ").append(e);
        throw new CheckpointException(sb.toString());
    }

    @Override
    public String toString() {
        return "ValidationReport[errors=" + errors + ", unexpected=" + unexpectedKeys + ", ignored=" + ignoredKeys
                + ", warnings=" + warnings + "]";
    }

    /** Collects findings; used by {@link ArchitectureSpec} and {@link Checkpoint}. */
    static final class Builder {
        private final List<String> errors = new ArrayList<>();
        private final List<String> unexpectedKeys = new ArrayList<>();
        private final List<String> ignoredKeys = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        Builder() {
        }

        Builder(ValidationReport from) {
            errors.addAll(from.errors);
            unexpectedKeys.addAll(from.unexpectedKeys);
            ignoredKeys.addAll(from.ignoredKeys);
            warnings.addAll(from.warnings);
        }

        Builder error(String message) {
            errors.add(message);
            return this;
        }

        Builder unexpected(String key) {
            unexpectedKeys.add(key);
            return this;
        }

        Builder ignored(String key) {
            ignoredKeys.add(key);
            return this;
        }

        Builder warning(String message) {
            warnings.add(message);
            return this;
        }

        ValidationReport build() {
            return new ValidationReport(this);
        }
    }
}
