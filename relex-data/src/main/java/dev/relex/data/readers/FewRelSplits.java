package dev.relex.data.readers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.data.io.JsonRecords;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A zero-shot relation split of FewRel as in RE-Matching / ZS-BERT ({@code zs_splits/fewrel_rel2id_<m>_<seed>.json}):
 * {@code {"train": {PID: id}, "eval": {PID: id}, "test": {PID: id}}}; {@link #test()} holds the m unseen relations.
 * Use with {@link FewRelReader#onlyRelations}.
 */
public record FewRelSplits(Set<String> train, Set<String> eval, Set<String> test) {
    public FewRelSplits {
        train = Set.copyOf(train);
        eval = Set.copyOf(eval);
        test = Set.copyOf(test);
    }

    /** Reads a split file; a missing part or a non-object part is an error naming the file. */
    public static FewRelSplits read(Path file) throws IOException {
        JsonNode root = JsonRecords.JSON.readTree(file.toFile());
        return new FewRelSplits(part(root, "train", file), part(root, "eval", file), part(root, "test", file));
    }

    private static Set<String> part(JsonNode root, String name, Path file) {
        JsonNode p = root == null ? null : root.get(name);
        if (p == null || !p.isObject()) {
            throw new IllegalArgumentException(file + ": '" + name + "' must be an object of relation ids");
        }
        Set<String> out = new LinkedHashSet<>();
        for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }
}
