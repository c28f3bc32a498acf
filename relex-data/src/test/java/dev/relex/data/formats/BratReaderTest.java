package dev.relex.data.formats;

import dev.relex.data.SharedDatasets;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

class BratReaderTest {
    @Test
    void printAll() {
        Path root = SharedDatasets.root();
        for (BratReader.OnBadAnnotation mode : BratReader.OnBadAnnotation.values()) {
            for (String split : new String[]{"train", "dev", "test"}) {
                Tally t = Tally.of(new BratReader(BratReader.Unit.LINE, mode), root.resolve("wlp").resolve(split));
                System.out.println("COUNT " + mode + " wlp/" + split + " " + t);
                t.bad.forEach(b -> System.out.println("   BAD " + b.file() + ":" + b.record() + ": " + b.message()));
                t.notes.forEach(b -> System.out.println("   NOTE " + b));
            }
            for (String split : new String[]{"train", "dev", "test"}) {
                Tally t = Tally.of(new BratReader(BratReader.Unit.DOCUMENT, mode), root.resolve("mspt-materials-syntheses/ner-" + split + "-fnames.txt"));
                System.out.println("COUNT " + mode + " mspt/" + split + " " + t + " maxwords " + t.examples.stream().mapToInt(e -> e.words().size()).max().orElse(0));
                t.bad.forEach(b -> System.out.println("   BAD " + b.file() + ":" + b.record() + ": " + b.message()));
                t.notes.forEach(b -> System.out.println("   NOTE " + b));
            }
        }
    }
}
