package dev.relex.data.formats;

import dev.relex.data.DatasetFormatException;
import dev.relex.data.DatasetInfo;
import dev.relex.data.Datasets;
import dev.relex.data.EntityMention;
import dev.relex.data.ErrorPolicy;
import dev.relex.data.Example;
import dev.relex.data.LabelMappings;
import dev.relex.data.ReadReport;
import dev.relex.data.RecordError;
import dev.relex.data.SharedDatasets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every dataset this package registers, read through the registry with the built-in label mappings. */
class ManyTypeDatasetsTest {

    private static List<DatasetInfo> mine() {
        List<String> names = new ManyTypeDatasets().datasets().stream().map(DatasetInfo::name).toList();
        return names.stream().map(Datasets::get).toList();
    }

    @Test
    void everyLabelOfEveryFileHasAMapping() throws IOException {
        Path root = SharedDatasets.root();
        for (DatasetInfo d : mine()) {
            for (Map.Entry<String, String> split : d.splits().entrySet()) {
                Path file = root.resolve(split.getValue());
                ReadReport report = new ReadReport(1_000_000);
                List<Example> examples = new ArrayList<>();
                d.newReader().read(file, d.labelMapping(LabelMappings.builtin()), ErrorPolicy.SKIP, report, examples::add);
                for (RecordError e : report.errors()) {
                    assertTrue(!e.message().contains("has no mapping"), d.name() + "/" + split.getKey() + ": " + e);
                }
                // the mapped read skips exactly the records the format parser reports as bad
                Tally parsed = Tally.of((ParsedReader) d.newReader(), file);
                assertEquals(parsed.bad.size(), report.recordsSkipped(), d.name() + "/" + split.getKey() + " " + report);
                assertEquals(parsed.ok, examples.size(), d.name() + "/" + split.getKey());
                assertEquals(parsed.records, report.recordsRead());
                if (TagColumnCorpus.ALL.stream().anyMatch(c -> c.name().equals(d.name()))) {
                    assertTrue(report.droppedEntities().isEmpty(), report.summary()); // whole sentences or nothing
                }
            }
        }
    }

    @Test
    void mappedLabels() throws IOException {
        DatasetInfo d = Datasets.get("bionlp13cg");
        Path file = SharedDatasets.root().resolve(d.splits().get("train"));
        Example first = d.newReader().readAll(file, d.labelMapping(LabelMappings.builtin()), ErrorPolicy.SKIP, new ReadReport()).get(0);
        assertEquals(List.of(new EntityMention(1, 6, "gene or gene product"), new EntityMention(8, 10, "cancer")), first.entities());
    }

    @Test
    void failPolicyStopsAtTheFirstBadRecordNamingFileAndLine() {
        DatasetInfo d = Datasets.get("aptner");
        Path file = SharedDatasets.root().resolve(d.splits().get("train"));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () ->
                d.newReader().read(file, d.labelMapping(LabelMappings.builtin()), ErrorPolicy.FAIL, new ReadReport(), x -> { }));
        assertEquals(484, e.error().record());
        assertTrue(e.error().file().endsWith("APTNERtrain.txt"));
    }
}
