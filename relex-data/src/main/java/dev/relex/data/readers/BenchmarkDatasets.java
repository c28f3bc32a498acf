package dev.relex.data.readers;

import dev.relex.data.DatasetInfo;
import dev.relex.data.DatasetProvider;
import dev.relex.data.io.TrainingJson;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Registers the benchmark datasets of the datasets README (sections 1-5) and the reference's training JSON. */
public final class BenchmarkDatasets implements DatasetProvider {

    @Override
    public List<DatasetInfo> datasets() {
        return List.of(
                new DatasetInfo("gliner-json", "training JSON (array or JSON Lines): tokenized_text, ner, relations",
                        "the reference's training format (spec 5.1); labels are already prompt labels",
                        "as the data it holds", "gliner-json", Map.of(), TrainingJson::new));
    }

    static Map<String, String> splits(String... nameAndPath) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndPath.length; i += 2) m.put(nameAndPath[i], nameAndPath[i + 1]);
        return m;
    }
}
