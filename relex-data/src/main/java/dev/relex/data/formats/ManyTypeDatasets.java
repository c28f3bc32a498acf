package dev.relex.data.formats;

import dev.relex.data.DatasetInfo;
import dev.relex.data.DatasetProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Registers the many-type training datasets of the datasets README, section 6. */
public final class ManyTypeDatasets implements DatasetProvider {

    @Override
    public List<DatasetInfo> datasets() {
        List<DatasetInfo> out = new ArrayList<>();
        for (TagColumnCorpus c : TagColumnCorpus.ALL) out.add(c.info());
        out.add(new DatasetInfo("wlp", "brat standoff folder (.txt + .ann), one example per protocol line",
                "Wet-lab protocols: 20 entity types, 8 relation types and action argument roles", "MIT", "wlp",
                splits("train", "wlp/train", "dev", "wlp/dev", "test", "wlp/test"),
                () -> new BratReader(BratReader.Unit.LINE, BratReader.OnBadAnnotation.REJECT_UNIT)));
        out.add(new DatasetInfo("mspt", "brat standoff documents named by a split list, one example per paper",
                "Materials synthesis procedures: 21 entity types, 11 relation types and operation argument roles; "
                        + "an annotation off the word boundaries is dropped and reported, not the paper",
                "MIT", "mspt",
                splits("train", "mspt-materials-syntheses/ner-train-fnames.txt",
                        "dev", "mspt-materials-syntheses/ner-dev-fnames.txt",
                        "test", "mspt-materials-syntheses/ner-test-fnames.txt"),
                () -> new BratReader(BratReader.Unit.DOCUMENT, BratReader.OnBadAnnotation.DROP_ANNOTATION)));
        out.add(new DatasetInfo("semeval2010", "SemEval-2010 Task 8 text: id, \"sentence\" with <e1>/<e2> markers, label",
                "SemEval-2010 Task 8 relation classification: one marked nominal pair per sentence, 9 directed relations",
                "CC BY 3.0", "semeval2010",
                splits("train", "semeval2010_task8/SemEval2010_task8_training/TRAIN_FILE.TXT",
                        "test", "semeval2010_task8/SemEval2010_task8_testing_keys/TEST_FILE_FULL.TXT"),
                () -> new MarkedPairReader(MarkedPairReader.Dialect.SEMEVAL2010)));
        out.add(new DatasetInfo("kbp37", "SemEval-2010 Task 8 text format",
                "KBP37 relation classification, 18 directed relations between a person or organization and another "
                        + "argument; the 3 sentences that overlap held-out evaluation sets are left out",
                "not stated (TAC KBP / Wikipedia text)", "kbp37",
                splits("train", "kbp37/kbp37-master/train.txt", "dev", "kbp37/kbp37-master/dev.txt",
                        "test", "kbp37/kbp37-master/test.txt"),
                () -> new MarkedPairReader(MarkedPairReader.Dialect.KBP37)));
        out.add(new DatasetInfo("drugprot", "DrugProt TSVs: *_abstracs.tsv with *_entities.tsv and *_relations.tsv beside it",
                "DrugProt development set: chemical and gene mentions, 13 chemical-to-gene relation types; one example "
                        + "per abstract", "CC BY 4.0", "drugprot",
                splits("dev", "drugprot-dev/corpora/development/drugprot_development_abstracs.tsv"), DrugProtReader::new));
        out.add(new DatasetInfo("webnlg", "JSON array of {text, triple_list: [[subject, relation, object]]}",
                "WebNLG (PRGC exact-match version): DBpedia triples with argument strings found in the text",
                "CC BY-NC-SA 4.0 (non-commercial)", "webnlg",
                splits("train", "webnlg/data/WebNLG/train_triples.json", "dev", "webnlg/data/WebNLG/val_triples.json",
                        "test", "webnlg/data/WebNLG/test_triples.json"), WebNlgReader::new));
        out.add(new DatasetInfo("ufet-crowd", "JSON lines, one typed mention with its context per line",
                "Ultra-fine entity typing (crowd): one mention per sentence with several free-text types; not "
                        + "exhaustive NER", "not stated; about 75% of the text is LDC-licensed news", "ufet",
                splits("train", "ufet-crowd/data/crowd/train.json", "dev", "ufet-crowd/data/crowd/dev.json",
                        "test", "ufet-crowd/data/crowd/test.json"), UfetReader::new));
        out.add(new DatasetInfo("ddi", "DDI 2013 XML folder (one document per file), one example per sentence",
                "DDI 2013: drugs, brands, drug groups and unapproved substances; 4 drug-drug interaction types",
                "CC BY-NC 4.0 (non-commercial)", "ddi",
                splits("train", "ddi/DDICorpus-2013/DDICorpus/Train",
                        "test", "ddi/DDICorpus-2013/DDICorpus/Test/Test for DDI Extraction task",
                        "test-ner", "ddi/DDICorpus-2013/DDICorpus/Test/Test for DrugNER task"), DdiReader::new));
        out.add(new DatasetInfo("biored", "PubTator with relation lines, one example per abstract",
                "BioRED: genes, diseases, chemicals, organisms, variants, cell lines; 8 relation types between concepts, "
                        + "given as relations between every mention pair", "public domain", "biored",
                splits("train", "biored/data/BioRED/Train.PubTator", "dev", "biored/data/BioRED/Dev.PubTator",
                        "test", "biored/data/BioRED/Test.PubTator"), PubTatorReader::new));
        out.add(new DatasetInfo("re3d", "mongoexport JSON lines per source folder (documents, entities, relations)",
                "re3d defence and security documents from 7 sources: 14 entity types, 11 relation types",
                "per source folder, see its LICENSE (BBC Online part non-commercial)", "re3d",
                splits("all", "re3d"), Re3dReader::new));
        out.add(new DatasetInfo("semeval2018", "XML with inline entities + TYPE(id1,id2[,REVERSE]) relation files",
                "SemEval-2018 Task 7: scientific abstracts, untyped concepts, 6 relation types; 1.1 clean and 1.2 "
                        + "noisy (automatic) entities", "not stated", "semeval2018",
                splits("train-1.1", "semeval2018_task7/data/1.1.text.xml", "train-1.2", "semeval2018_task7/data/1.2.text.xml",
                        "test-1.1", "semeval2018_task7/data/test/1.1.test.text.xml",
                        "test-1.2", "semeval2018_task7/data/test/1.2.test.text.xml"), SemEval2018Reader::new));
        return out;
    }

    static Map<String, String> splits(String... nameAndPath) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndPath.length; i += 2) m.put(nameAndPath[i], nameAndPath[i + 1]);
        return m;
    }
}
