package dev.relex.bench;

import java.util.List;

/** Fixed English texts for parity tests and benchmarks (written for this project, no dataset needed). */
public final class SampleTexts {
    private SampleTexts() {}

    public static final String SHORT = "Marie Curie was born in Warsaw and later worked at the University of Paris.";

    /** Texts of clearly different lengths, for a padded batch. */
    public static final List<String> MIXED = List.of(
            "Apple hired Tim Cook in 1998.",
            "The Amazon river flows through Brazil, Peru and Colombia before it reaches the Atlantic Ocean near Belém.",
            "Ada Lovelace wrote notes on Charles Babbage's Analytical Engine.",
            "In 2019 the European Space Agency and NASA agreed to study a joint mission to return samples from Mars,"
                    + " with launches from Kourou in French Guiana and Cape Canaveral in Florida planned for the late 2020s,"
                    + " while engineers in Toulouse, Pasadena and Turin designed the orbiter, the lander and the fetch rover.");

    private static final String[] SENTENCES = {
        "Alan Turing studied at King's College, Cambridge, and later worked at Bletchley Park during the war.",
        "The company Siemens was founded in Berlin in 1847 by Werner von Siemens and Johann Georg Halske.",
        "Lake Titicaca lies on the border between Peru and Bolivia at an altitude of more than 3,800 metres.",
        "Grace Hopper joined the United States Navy Reserve and helped develop the COBOL programming language.",
        "The Danube passes through Vienna, Bratislava, Budapest and Belgrade before it flows into the Black Sea.",
        "In 1969 Neil Armstrong and Buzz Aldrin landed on the Moon while Michael Collins stayed in lunar orbit.",
        "Toyota opened its first factory in the United States in Georgetown, Kentucky, in the late 1980s.",
        "Rosalind Franklin's X-ray images at King's College London were key to finding the structure of DNA.",
        "The Louvre in Paris is home to the Mona Lisa, which Leonardo da Vinci painted in the early sixteenth century.",
        "Nelson Mandela was released from Victor Verster Prison in 1990 and became President of South Africa in 1994.",
    };

    /** The first {@code n} (1..10) distinct sentences joined by spaces: about 17 words per sentence. */
    public static String sentences(int n) {
        return String.join(" ", java.util.Arrays.asList(SENTENCES).subList(0, n));
    }

    /** A long passage of distinct sentences: well over 512 word-piece tokens. */
    public static String longText() {
        StringBuilder sb = new StringBuilder();
        for (int round = 1; round <= 4; round++) {
            for (String s : SENTENCES) {
                if (!sb.isEmpty()) sb.append(' ');
                sb.append(s);
            }
            sb.append(" That was part ").append(round).append(" of the survey.");
        }
        return sb.toString();
    }
}
