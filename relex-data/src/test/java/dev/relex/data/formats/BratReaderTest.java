package dev.relex.data.formats;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

class BratReaderTest {
    @Test
    void printAll() {
        Path root = SharedDatasets.root();
        for (BratReader.OnBadAnnotation mode : BratReader.OnBadAnnotation.values()) {
            for (String split : new String[]{"train", "dev", "test"}) {
                Tally t = Tally.of(new BratReader(BratReader.Unit.LINE, mode).read(BratReader.annFiles(root.resolve("wlp").resolve(split)), "wlp/" + split));
                System.out.println("COUNT " + mode + " wlp/" + split + " " + t);
                t.bad.forEach(b -> System.out.println("   BAD " + b.where() + ": " + b.message()));
            }
            Tally t = Tally.of(new BratReader(BratReader.Unit.DOCUMENT, mode).read(BratReader.annFiles(root.resolve("mspt-materials-syntheses/data")), "mspt"));
            System.out.println("COUNT " + mode + " mspt " + t + " maxwords " + t.examples.stream().mapToInt(e -> e.words().size()).max().orElse(0));
            t.bad.forEach(b -> System.out.println("   BAD " + b.where() + ": " + b.message()));
        }
    }
}
