package dev.relex.data.formats;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One tag-column NER corpus in {@code shared/datasets}: its files by split, tag scheme and column count.
 * {@link #ALL} lists every corpus of README section 6 in this format; the names are the keys of the label
 * mapping file.
 *
 * @param name    dataset name (label-mapping key), e.g. {@code bionlp13cg}
 * @param folder  folder under {@code datasets/}
 * @param splits  split name to file path (relative to the folder), in a fixed order
 * @param scheme  the tag scheme
 * @param columns columns of a well-formed line
 */
public record TagColumnCorpus(String name, String folder, Map<String, String> splits, TagScheme scheme, int columns) {
    public TagColumnCorpus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folder, "folder");
        splits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(splits));
        Objects.requireNonNull(scheme, "scheme");
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

    private static TagColumnCorpus mtl(String name, String dir) {
        return new TagColumnCorpus(name, "bio-ner-mtl2016",
                trainDevTest("data/" + dir + "/train.tsv", "data/" + dir + "/devel.tsv", "data/" + dir + "/test.tsv"),
                TagScheme.IOB, 2);
    }

    private static final String JUAND = "ner-misc-juand-r";

    /** Every tag-column corpus of README section 6. */
    public static final List<TagColumnCorpus> ALL = List.of(
            mtl("anatem", "AnatEM-IOB"),
            mtl("bc2gm", "BC2GM-IOB"),
            mtl("bc5cdr", "BC5CDR-IOB"),
            mtl("bionlp09", "BioNLP09-IOB"),
            mtl("bionlp11epi", "BioNLP11EPI-IOB"),
            mtl("bionlp11id", "BioNLP11ID-IOB"),
            mtl("bionlp13cg", "BioNLP13CG-IOB"),
            mtl("bionlp13ge", "BioNLP13GE-IOB"),
            mtl("bionlp13pc", "BioNLP13PC-IOB"),
            mtl("craft", "CRAFT-IOB"),
            mtl("ex-ptm", "Ex-PTM-IOB"),
            // JNLPBA's train file is missing from the snapshot (over 4 MB): dev and test only
            new TagColumnCorpus("jnlpba", "bio-ner-mtl2016",
                    trainDevTest(null, "data/JNLPBA/devel.tsv", "data/JNLPBA/test.tsv"), TagScheme.IOB, 2),
            mtl("ncbi-disease", "NCBI-disease-IOB"),
            mtl("linnaeus", "linnaeus-IOB"),
            new TagColumnCorpus("few-tk", "few-tk", trainDevTest("data/supervised/train.txt",
                    "data/supervised/dev.txt", "data/supervised/test.txt"), TagScheme.IO, 2),
            new TagColumnCorpus("aptner", "aptner", trainDevTest("APTNERtrain.txt", "APTNERdev.txt", "APTNERtest.txt"),
                    TagScheme.BIOES, 2),
            new TagColumnCorpus("dnrti", "dnrti", trainDevTest("DNRTI/train.txt", "DNRTI/valid.txt", "DNRTI/test.txt"),
                    TagScheme.IOB, 2),
            new TagColumnCorpus("wnut16", "ritter-twitter-ner", wnut16Splits(),
                    TagScheme.IOB, 2),
            new TagColumnCorpus("wnut17", JUAND, trainDevTest("data/WNUT17/CONLL-format/data/train/wnut17train.conll",
                    "data/WNUT17/CONLL-format/data/dev/emerging.dev.conll",
                    "data/WNUT17/CONLL-format/data/test/emerging.test.annotated"), TagScheme.IOB, 2),
            new TagColumnCorpus("anem", JUAND, trainDevTest("data/AnEM/CONLL-format/data/AnEM.train", null,
                    "data/AnEM/CONLL-format/data/AnEM.test"), TagScheme.IOB, 4),
            new TagColumnCorpus("btc", JUAND, btcSplits(), TagScheme.IOB, 2),
            new TagColumnCorpus("gum", JUAND, trainDevTest("data/GUM/CONLL-format/data/train/gum-train.conll", null,
                    "data/GUM/CONLL-format/data/test/gum-test.conll"), TagScheme.IOB, 2),
            new TagColumnCorpus("sec-filings", JUAND, trainDevTest("data/SEC-filings/CONLL-format/data/train/FIN5.txt", null,
                    "data/SEC-filings/CONLL-format/data/test/FIN3.txt"), TagScheme.IOB, 4),
            new TagColumnCorpus("wikigold", JUAND, Map.of("all", "data/wikigold/CONLL-format/data/wikigold.conll.txt"),
                    TagScheme.IOB, 2));

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
