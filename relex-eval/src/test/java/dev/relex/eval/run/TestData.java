package dev.relex.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Test fixtures: the shared folder, the golden model, and a minimal SpERT-format reader (end exclusive). */
final class TestData {
    private TestData() {}

    static Path shared() {
        return Path.of(System.getProperty("relex.shared", "../shared"));
    }

    static Path goldenModel() {
        Path p = shared().resolve("golden/relex-span-gcn/model");
        assumeTrue(Files.isDirectory(p), "golden model missing: " + p);
        return p;
    }

    static List<Example> conll04(String split, int limit) throws IOException {
        Path file = shared().resolve("datasets/conll04/" + split + "_triples.json");
        assumeTrue(Files.isRegularFile(file), "dataset missing: " + file);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < root.size() && out.size() < limit; i++) {
            JsonNode r = root.get(i);
            List<String> words = new ArrayList<>();
            r.get("tokens").forEach(t -> words.add(t.asText()));
            List<EntityMention> ents = new ArrayList<>();
            r.get("entities").forEach(e -> ents.add(new EntityMention(e.get("start").asInt(), e.get("end").asInt() - 1,
                    e.get("type").asText())));
            List<RelationMention> rels = new ArrayList<>();
            r.get("relations").forEach(x -> rels.add(new RelationMention(x.get("head").asInt(), x.get("tail").asInt(),
                    x.get("type").asText())));
            out.add(new Example(file.getFileName() + "#" + i, words, ents, rels));
        }
        return out;
    }
}
