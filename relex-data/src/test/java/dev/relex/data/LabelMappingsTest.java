package dev.relex.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelMappingsTest {
    @TempDir
    Path dir;

    @Test
    void builtinMappingsGiveTheDocumentedNames() {
        LabelMappings b = LabelMappings.builtin();
        LabelMapping conll = b.forDataset("conll04");
        assertEquals("person", conll.entity("Peop"));
        assertEquals("works for", conll.relation("Work_For"));
        assertEquals("organization based in", conll.relation("OrgBased_In"));
        assertEquals("other", conll.entity("Other"));
        assertEquals("political party", b.forDataset("crossre").entity("politicalparty"));
        assertEquals("part of", b.forDataset("crossre").relation("part-of"));
        assertEquals("person", b.forDataset("docred").entity("PER"));
        for (String name : new String[] {"conll04", "scierc", "ade", "crossre", "docred", "dwie", "fewrel", "rebel", "nuner",
                "gliner-json"}) {
            assertTrue(b.has(name), name);
        }
    }

    @Test
    void unmappedLabelsAreErrorsNamingLabelAndDataset() {
        LabelMapping conll = LabelMappings.builtin().forDataset("conll04");
        UnmappedLabelException e = assertThrows(UnmappedLabelException.class, () -> conll.entity("PER"));
        assertEquals("entity label 'PER' has no mapping in 'conll04'", e.getMessage());
        e = assertThrows(UnmappedLabelException.class, () -> conll.relation("P131"));
        assertEquals("relation label 'P131' has no mapping in 'conll04'", e.getMessage());
    }

    @Test
    void wikidataIdsAreNamedFromTheDatasetFilesThenTheAuxiliaryNames() throws IOException {
        Path relInfo = SharedDatasets.file("docred/rel_info.json");
        LabelMapping m = WikidataNames.withAuxiliary(LabelMappings.builtin().forDataset("docred")
                .withRelationNames("rel_info.json", WikidataNames.read(relInfo)), relInfo);
        assertEquals("located in the administrative territorial entity", m.relation("P131"));
        assertEquals("head of government", m.relation("P6"));
        // P101 is not a DocRED relation: pid2name_wiki.json names it; P2384 is only in all_wikidata_properties.json.
        assertEquals("field of work", m.relation("P101"));
        assertEquals("statement describes", m.relation("P2384"));
        UnmappedLabelException e = assertThrows(UnmappedLabelException.class, () -> m.relation("P999999999"));
        assertEquals("relation label 'P999999999' has no mapping in 'docred' nor in rel_info.json nor in pid2name_wiki.json"
                + " nor in all_wikidata_properties.json", e.getMessage());
        // An entry of the mapping wins over the names; a record's own name comes right after the entries.
        LabelMapping shorter = m.overriddenBy(LabelMapping.builder("docred").relation("P131", "located in").build());
        assertEquals("located in", shorter.relation("P131"));
        assertEquals("publisher (record)", m.relation("P123", "publisher (record)"));
        assertEquals("located in", shorter.relation("P131", "record name"));
    }

    @Test
    void wikidataNameFilesOfBothLayouts() throws IOException {
        Map<String, String> relInfo = WikidataNames.read(SharedDatasets.file("docred/rel_info.json"));
        assertEquals(96, relInfo.size());
        assertEquals("country", relInfo.get("P17"));
        Map<String, String> pid2name = WikidataNames.read(SharedDatasets.file("fewrel/pid2name.json"));
        assertEquals(744, pid2name.size());
        assertEquals("office held by head of the organization", pid2name.get("P2388"));
        Map<String, String> all = WikidataNames.read(SharedDatasets.file("aux-relation-labels/data/all_wikidata_properties.json"));
        assertEquals(11665, all.size());
        assertEquals("head of government", all.get("P6"));
    }

    @Test
    void userFileOverridesEntryByEntry() throws IOException {
        Path user = dir.resolve("mine.json");
        Files.writeString(user, """
                // my names
                {
                  "conll04": {"entities": {"Peop": "human", "Other": null}, "relations": {"Kill": "murdered"}},
                  "mydata": {"entities": {"A": "a"}, "passThrough": ["relations"]}
                }
                """);
        LabelMappings all = LabelMappings.load(user);
        LabelMapping conll = all.forDataset("conll04");
        assertEquals("human", conll.entity("Peop"));
        assertEquals("location", conll.entity("Loc"));
        assertNull(conll.entity("Other"));
        assertEquals("murdered", conll.relation("Kill"));
        assertEquals("works for", conll.relation("Work_For"));
        LabelMapping mine = all.forDataset("mydata");
        assertEquals("a", mine.entity("A"));
        assertEquals("anything goes", mine.relation("anything goes"));
        assertThrows(UnmappedLabelException.class, () -> mine.entity("B"));
        assertEquals("scierc", all.forDataset("scierc").name());
    }

    @Test
    void malformedUserFilesAreRejectedNamingTheFile() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"conll04\": {\"entity\": {}}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelMappings.read(bad));
        assertEquals(bad + ": dataset 'conll04': unknown key 'entity' (expected entities, relations, passThrough, description)",
                e.getMessage());
        Files.writeString(bad, "{\"conll04\": {\"entities\": {\"Peop\": 3}}}");
        e = assertThrows(IllegalArgumentException.class, () -> LabelMappings.read(bad));
        assertEquals(bad + ": dataset 'conll04' entities: 'Peop' must map to a non-empty string or null, not 3", e.getMessage());
        Files.writeString(bad, "{\"conll04\": ");
        IOException io = assertThrows(IOException.class, () -> LabelMappings.read(bad));
        assertTrue(io.getMessage().startsWith(bad + ": not a valid label mapping file"), io.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> LabelMappings.builtin().forDataset("nope"));
        assertTrue(unknown.getMessage().startsWith("no label mapping for dataset 'nope'"));
    }

    @Test
    void registryKnowsTheTrainingJson() {
        DatasetInfo d = Datasets.get("gliner-json");
        assertEquals("gliner-json", d.mapping());
        assertTrue(d.newReader() instanceof dev.relex.data.io.TrainingJson);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.get("nope"));
        assertTrue(e.getMessage().startsWith("unknown dataset 'nope'; known: ["), e.getMessage());
    }
}
