package dev.relex.data.formats;

import dev.relex.data.DatasetInfo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One tag-column NER corpus in {@code shared/datasets}: its files by split, tag scheme and column count.
 * {@link #ALL} lists every corpus of README section 6 in this format.
 *
 * @param name        dataset name in the registry, e.g. {@code bionlp13cg}
 * @param folder      folder under {@code datasets/}
 * @param splits      split name to file path (relative to the folder), in a fixed order
 * @param scheme      the tag scheme
 * @param columns     columns of a well-formed line
 * @param mapping     the label mapping's name (several corpora share one)
 * @param description what the corpus is
 * @param licence     as its SOURCES.md states it
 */
public record TagColumnCorpus(String name, String folder, Map<String, String> splits, TagScheme scheme, int columns,
                              String mapping, String description, String licence) {
    public TagColumnCorpus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folder, "folder");
        splits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(splits));
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(licence, "licence");
    }

    /** The registry entry: split paths relative to the datasets folder. */
    public DatasetInfo info() {
        Map<String, String> rel = new LinkedHashMap<>();
        splits.forEach((k, v) -> rel.put(k, folder + "/" + v));
        String format = "token-per-line " + scheme + " tags, " + columns + " columns, blank line between sentences";
        return new DatasetInfo(name, format, description, licence, mapping, rel, this::reader);
    }

    /** The file of {@code split} under the datasets folder. */
    public Path file(Path datasets, String split) {
        String rel = splits.get(split);
        if (rel == null) throw new IllegalArgumentException(name + " has no split '" + split + "' (has " + splits.keySet() + ")");
        return datasets.resolve(folder).resolve(rel);
    }

    /** A reader for this corpus's files. */
    public TagColumnReader reader() {
        return new TagColumnReader(scheme, columns);
    }

    private static Map<String, String> trainDevTest(String train, String dev, String test) {
        Map<String, String> m = new LinkedHashMap<>();
        if (train != null) m.put("train", train);
        if (dev != null) m.put("dev", dev);
        if (test != null) m.put("test", test);
        return m;
    }

    private static final String MTL = "bio-ner-mtl2016";
    private static final String MTL_LICENCE = "CC BY 4.0 (MTL-Bioinformatics-2016 LICENSE.md; some folders carry their own)";

    private static TagColumnCorpus mtl(String name, String dir, String what) {
        return new TagColumnCorpus(name, MTL,
                trainDevTest("data/" + dir + "/train.tsv", "data/" + dir + "/devel.tsv", "data/" + dir + "/test.tsv"),
                TagScheme.IOB, 2, MTL, what + " (Crichton et al. 2017 IOB version)", MTL_LICENCE);
    }

    private static final String JUAND = "ner-misc-juand-r";

    /** Every tag-column corpus of README section 6. */
    public static final List<TagColumnCorpus> ALL = List.of(
            mtl("anatem", "AnatEM-IOB", "AnatEM: anatomical entities"),
            mtl("bc2gm", "BC2GM-IOB", "BioCreative II gene mentions"),
            mtl("bc5cdr", "BC5CDR-IOB", "BioCreative V chemicals and diseases"),
            mtl("bionlp09", "BioNLP09-IOB", "BioNLP 2009 shared task proteins"),
            mtl("bionlp11epi", "BioNLP11EPI-IOB", "BioNLP 2011 epigenetics task proteins"),
            mtl("bionlp11id", "BioNLP11ID-IOB", "BioNLP 2011 infectious diseases: 4 types"),
            mtl("bionlp13cg", "BioNLP13CG-IOB", "BioNLP 2013 cancer genetics: 16 types"),
            mtl("bionlp13ge", "BioNLP13GE-IOB", "BioNLP 2013 GENIA event proteins"),
            mtl("bionlp13pc", "BioNLP13PC-IOB", "BioNLP 2013 pathway curation: 4 types"),
            mtl("craft", "CRAFT-IOB", "CRAFT: 6 ontology-based types"),
            mtl("ex-ptm", "Ex-PTM-IOB", "Ex-PTM post-translational modification proteins"),
            // JNLPBA's train file is missing from the snapshot (over 4 MB): dev and test only
            new TagColumnCorpus("jnlpba", MTL, trainDevTest(null, "data/JNLPBA/devel.tsv", "data/JNLPBA/test.tsv"),
                    TagScheme.IOB, 2, MTL, "JNLPBA: DNA, RNA, cell lines, cell types, proteins (dev and test only)",
                    MTL_LICENCE),
            mtl("ncbi-disease", "NCBI-disease-IOB", "NCBI disease mentions"),
            mtl("linnaeus", "linnaeus-IOB", "LINNAEUS species mentions"),
            new TagColumnCorpus("few-tk", "few-tk", trainDevTest("data/supervised/train.txt",
                    "data/supervised/dev.txt", "data/supervised/test.txt"), TagScheme.IO, 2, "few-tk",
                    "Few-TK supervised split: 41 typed scientific keyphrase types", "not stated"),
            new TagColumnCorpus("aptner", "aptner", trainDevTest("APTNERtrain.txt", "APTNERdev.txt", "APTNERtest.txt"),
                    TagScheme.BIOES, 2, "aptner", "APTNER cyber threat intelligence, 21 types (malformed lines reported)",
                    "not stated"),
            new TagColumnCorpus("dnrti", "dnrti", trainDevTest("DNRTI/train.txt", "DNRTI/valid.txt", "DNRTI/test.txt"),
                    TagScheme.IOB, 2, "dnrti", "DNRTI threat intelligence, 13 types", "not stated"),
            new TagColumnCorpus("wnut16", "ritter-twitter-ner", wnut16Splits(), TagScheme.IOB, 2, "wnut16",
                    "Ritter Twitter NER / WNUT16 tweets, 10 types", "GPL-3.0"),
            new TagColumnCorpus("wnut17", JUAND, trainDevTest("data/WNUT17/CONLL-format/data/train/wnut17train.conll",
                    "data/WNUT17/CONLL-format/data/dev/emerging.dev.conll",
                    "data/WNUT17/CONLL-format/data/test/emerging.test.annotated"), TagScheme.IOB, 2, "wnut17",
                    "WNUT17 emerging and rare entities, 6 types", "CC BY 4.0"),
            new TagColumnCorpus("anem", JUAND, trainDevTest("data/AnEM/CONLL-format/data/AnEM.train", null,
                    "data/AnEM/CONLL-format/data/AnEM.test"), TagScheme.IOB, 4, MTL,
                    "AnEM anatomical entity mentions, 11 types", "annotations CC BY-SA 3.0"),
            new TagColumnCorpus("btc", JUAND, btcSplits(), TagScheme.IOB, 2, "btc",
                    "Broad Twitter Corpus sections a, b, e, f, g, h", "CC BY 4.0"),
            new TagColumnCorpus("gum", JUAND, trainDevTest("data/GUM/CONLL-format/data/train/gum-train.conll", null,
                    "data/GUM/CONLL-format/data/test/gum-test.conll"), TagScheme.IOB, 2, "gum",
                    "GUM: every nominal mention with one of 11 entity types",
                    "annotations CC BY 4.0; texts CC BY 2.5 / CC BY-SA 3.0 / CC BY-NC-SA 3.0 (WikiHow, non-commercial)"),
            new TagColumnCorpus("sec-filings", JUAND, trainDevTest("data/SEC-filings/CONLL-format/data/train/FIN5.txt", null,
                    "data/SEC-filings/CONLL-format/data/test/FIN3.txt"), TagScheme.IOB, 4, "conll-4types",
                    "SEC filings (financial agreements), CoNLL types, IOB1", "CC BY 3.0"),
            new TagColumnCorpus("wikigold", JUAND, Map.of("all", "data/wikigold/CONLL-format/data/wikigold.conll.txt"),
                    TagScheme.IOB, 2, "conll-4types", "wikigold Wikipedia articles, CoNLL types, IOB1", "CC BY 4.0"));

    /** WNUT16 (Ritter's tweets): train, dev, dev_2015, test; {@code ner.txt} is the same data as train. */
    private static Map<String, String> wnut16Splits() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : List.of("train", "dev", "dev_2015", "test")) m.put(s, "data/annotated/wnut16/data/" + s);
        return m;
    }

    /** BTC's sections a, b, e, f, g, h (the corpus has no official split; each section is one "split"). */
    private static Map<String, String> btcSplits() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : List.of("a", "b", "e", "f", "g", "h")) m.put(s, "data/BTC/CONLL-format/data/" + s + ".conll");
        return m;
    }

    /** The corpus called {@code name}. */
    public static TagColumnCorpus named(String name) {
        for (TagColumnCorpus c : ALL) if (c.name.equals(name)) return c;
        throw new IllegalArgumentException("no tag-column corpus '" + name + "'");
    }
}
