package dev.relex.eval.metrics;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalisation of entity texts for text-level matching (spec §6.2, the paper co-author's benchmark
 * harness): lower-case (root locale), trim, collapse whitespace runs to one space, remove spaces before
 * {@code , . : ; ! ? )} and after {@code ( [}, then strip one leading article "the", "a" or "an".
 */
public final class TextNormalizer {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern SPACE_BEFORE = Pattern.compile(" ([,.:;!?)])");
    private static final Pattern SPACE_AFTER = Pattern.compile("([(\\[]) ");
    private static final Pattern ARTICLE = Pattern.compile("^(?:the|a|an) ");

    private TextNormalizer() {}

    public static String normalize(String text) {
        String s = text.toLowerCase(Locale.ROOT).strip();
        s = WHITESPACE.matcher(s).replaceAll(" ");
        s = SPACE_BEFORE.matcher(s).replaceAll("$1");
        s = SPACE_AFTER.matcher(s).replaceAll("$1");
        s = ARTICLE.matcher(s).replaceFirst("");
        return s;
    }
}
