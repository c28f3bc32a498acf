package dev.relex.data.readers;

import dev.relex.data.DatasetInfo;
import dev.relex.data.DatasetProvider;
import dev.relex.data.docred.DocRedReader;
import dev.relex.data.docred.DocumentConversion;
import dev.relex.data.io.TrainingJson;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers the benchmark datasets of the datasets README (sections 1-5, and FewRel 2.0's PubMed set) and the
 * reference's training JSON. Split paths are relative to the shared datasets folder; the held-back files (FewRel
 * val_wiki, CrossRE test, Re-DocRED test) are listed although they are not in that folder here.
 */
public final class BenchmarkDatasets implements DatasetProvider {

    @Override
    public List<DatasetInfo> datasets() {
        String spert = "SpERT JSON array: tokens, entities (end exclusive), relations";
        return List.of(
                new DatasetInfo("conll04", spert, "CoNLL04 joint NER+RE (SpERT split: 922/231/288 sentences)",
                        "no licence statement for the data (Roth & Yih 2004); PFN repository MIT", "conll04",
                        splits("train", "conll04/train_triples.json", "dev", "conll04/dev_triples.json",
                                "test", "conll04/test_triples.json"), SpertReader::new),
                new DatasetInfo("scierc", spert, "SciERC scientific abstracts, 6 entity and 7 relation types",
                        "no licence statement for the data; PFN repository MIT", "scierc",
                        splits("train", "scierc/train_triples.json", "dev", "scierc/dev_triples.json",
                                "test", "scierc/test_triples.json"), SpertReader::new),
                new DatasetInfo("ade", spert, "ADE drug / adverse-effect sentences (one file; usually 10-fold CV)",
                        "no licence statement for the data; PFN repository MIT", "ade",
                        splits("full", "ade/ade_full.json"), SpertReader::new),
                new DatasetInfo("crossre", "JSON Lines: sentence, ner and relations with inclusive word offsets",
                        "CrossRE, six domains (ai, literature, music, news, politics, science)", "GPL-3.0", "crossre",
                        crossReSplits(), CrossReReader::new),
                new DatasetInfo("docred", "DocRED JSON array of documents (sents, vertexSet, labels with Wikidata ids)",
                        "Re-DocRED / DocRED, whole documents as examples, relations between first mentions",
                        "MIT", "docred",
                        splits("dev", "docred/dev_revised.json", "test", "docred/test_revised.json",
                                "test-unlabelled", "docred/test.json"), DocRedReader::new),
                new DatasetInfo("docred-sentences", "DocRED JSON array of documents",
                        "Re-DocRED / DocRED, one example per sentence with the intra-sentence relations", "MIT", "docred",
                        splits("dev", "docred/dev_revised.json", "test", "docred/test_revised.json",
                                "test-unlabelled", "docred/test.json"),
                        () -> new DocRedReader(DocumentConversion.sentences())),
                new DatasetInfo("dwie", "DocRED JSON array of documents (one token list per document)",
                        "DWIE news documents, 10 coarse entity types, 65 relation types, whole documents",
                        "GPL-3.0 (annotations); article text Deutsche Welle", "dwie",
                        splits("dev", "dwie/dataset_dwie/dev.json", "test", "dwie/dataset_dwie/test.json"), DocRedReader::new),
                new DatasetInfo("fewrel", "FewRel JSON object {relation: [instances]}, explicit token index lists",
                        "FewRel 1.0, one example per instance; pid2name.json names the relations", "MIT", "fewrel",
                        splits("train", "fewrel/train_wiki.json", "val", "fewrel/val_wiki.json"), FewRelReader::new),
                new DatasetInfo("fewrel2-pubmed", "FewRel JSON object {relation: [instances]}",
                        "FewRel 2.0 val_pubmed: 10 UMLS relations x 100 instances", "MIT", "fewrel2-pubmed",
                        splits("val", "fewrel2-val/data/val_pubmed.json"), FewRelReader::new),
                new DatasetInfo("rebel", "JSON Lines: text, entities with character boundaries, Wikidata triples",
                        "REBEL sample (1,000 Wikipedia abstracts), distant supervision, untokenised text",
                        "CC BY-NC-SA 4.0 (non-commercial)", "rebel",
                        splits("sample", "rebel_sample/sample.jsonl"), RebelReader::new),
                new DatasetInfo("nuner", "CSV input,output; output a Python list of 'mention <> type'",
                        "NuNER sample (first 1,000 entries), free-text entity types, mention text only",
                        "gline-rs repository Apache-2.0; upstream NuNER licence not checked", "nuner",
                        splits("sample", "nuner_sample/nuner-sample-1k.csv"), NunerReader::new),
                new DatasetInfo("gliner-json", "training JSON (array or JSON Lines): tokenized_text, ner, relations",
                        "the reference's training format (spec 5.1); labels are already prompt labels",
                        "as the data it holds", "gliner-json", Map.of(), TrainingJson::new));
    }

    private static Map<String, String> crossReSplits() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String domain : List.of("ai", "literature", "music", "news", "politics", "science")) {
            for (String split : List.of("train", "dev", "test")) {
                m.put(domain + "-" + split, "crossre/" + domain + "-" + split + ".json");
            }
        }
        return m;
    }

    static Map<String, String> splits(String... nameAndPath) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndPath.length; i += 2) m.put(nameAndPath[i], nameAndPath[i + 1]);
        return m;
    }
}
