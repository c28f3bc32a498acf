package dev.relex.data.formats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TagSchemeTest {
    private static List<TaggedSpan> decode(TagScheme s, String tags) throws MalformedRecordException {
        return s.decode(List.of(tags.split(" ")));
    }

    @Test
    void iob2() throws Exception {
        assertEquals(List.of(new TaggedSpan(1, 3, "Gene"), new TaggedSpan(5, 6, "Cancer"), new TaggedSpan(7, 7, "Cancer")),
                decode(TagScheme.IOB, "O B-Gene I-Gene I-Gene O B-Cancer I-Cancer B-Cancer"));
    }

    @Test
    void iob1InsideAfterOutsideOrOtherTypeStartsASpan() throws Exception {
        // wikigold: "The I-ORG Mad I-ORG Capsule I-ORG Markets I-ORG"; B- only between two adjacent same-type spans
        assertEquals(List.of(new TaggedSpan(0, 0, "MISC"), new TaggedSpan(2, 5, "ORG"), new TaggedSpan(6, 6, "ORG"),
                        new TaggedSpan(7, 7, "PER")),
                decode(TagScheme.IOB, "I-MISC O I-ORG I-ORG I-ORG I-ORG B-ORG I-PER"));
    }

    @Test
    void bioes() throws Exception {
        // APTNER: "April B-TIME 19-24 I-TIME , I-TIME 2017 E-TIME , O ... Israeli S-LOC"
        assertEquals(List.of(new TaggedSpan(0, 3, "TIME"), new TaggedSpan(5, 5, "LOC"), new TaggedSpan(6, 6, "LOC"),
                        new TaggedSpan(7, 8, "APT"), new TaggedSpan(9, 9, "TOOL")),
                decode(TagScheme.BIOES, "B-TIME I-TIME I-TIME E-TIME O S-LOC S-LOC B-APT E-APT E-TOOL"));
    }

    @Test
    void bioesSpanLeftOpenAtTheEndIsClosed() throws Exception {
        assertEquals(List.of(new TaggedSpan(1, 2, "MAL")), decode(TagScheme.BIOES, "O B-MAL I-MAL"));
    }

    @Test
    void ioMergesAdjacentSameTypeAndAcceptsBareOrPrefixedTypes() throws Exception {
        assertEquals(List.of(new TaggedSpan(1, 2, "Miscellaneous-term"), new TaggedSpan(3, 3, "NLP-technique"),
                        new TaggedSpan(5, 6, "PER")),
                decode(TagScheme.IO, "O Miscellaneous-term Miscellaneous-term NLP-technique O I-PER I-PER"));
    }

    @Test
    void unknownPrefixOrEmptyTypeIsAnErrorNamingTheWord() {
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> decode(TagScheme.IOB, "O E-X"));
        assertTrue(e.getMessage().contains("word 1"), e.getMessage());
        assertThrows(MalformedRecordException.class, () -> decode(TagScheme.IOB, "B- O"));
        assertThrows(MalformedRecordException.class, () -> decode(TagScheme.BIOES, "PROT"));
        assertThrows(MalformedRecordException.class, () -> decode(TagScheme.IO, "I-"));
    }
}
