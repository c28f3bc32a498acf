package dev.relex.data.formats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.data.EntityMention;
import dev.relex.data.Example;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Ultra-fine entity typing (crowd split): JSON lines {@code {"annot_id", "left_context_token", "mention_span",
 * "right_context_token", "y_str": [types]}}. One example per line: words = left context + the mention's words
 * (the span split by GLiNER's word splitter) + right context; the mention is one entity per type (several types
 * = several labels on the same span). Types are free text with underscores ({@code "computer_program"}); the
 * reader turns underscores into spaces and the label mapping passes them through. Only the one mention is
 * annotated: other entities in the sentence are not (entity typing is not exhaustive NER), so these examples
 * should be trained with their own label sets, not as complete annotations. Streams.
 */
public final class UfetReader extends ParsedReader {

    @Override
    public Stream<Parsed> parse(Path file) throws IOException {
        String name = file.toString();
        return JsonElements.lines(file, (line, node) -> convert(name, line, node));
    }

    private static Parsed convert(String file, long line, JsonNode node) {
        JsonNode left = node.get("left_context_token"), right = node.get("right_context_token"), types = node.get("y_str");
        String mention = JsonElements.text(node, "mention_span");
        if (left == null || !left.isArray() || right == null || !right.isArray() || mention == null || types == null
                || !types.isArray()) {
            return new Parsed.Bad(file, line, "expected left_context_token, mention_span, right_context_token and y_str");
        }
        List<String> words = new ArrayList<>();
        for (JsonNode w : left) words.add(w.asText());
        int start = words.size();
        words.addAll(new TextWords(mention).texts());
        int end = words.size() - 1;
        for (JsonNode w : right) words.add(w.asText());
        if (end < start) return new Parsed.Bad(file, line, "mention_span '" + mention + "' has no words");
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).isBlank()) return new Parsed.Bad(file, line, "context word " + i + " is empty");
        }
        Set<String> labels = new LinkedHashSet<>();
        for (JsonNode t : types) {
            if (!t.isTextual() || t.asText().isBlank()) return new Parsed.Bad(file, line, "type " + t + " is not a non-empty string");
            labels.add(t.asText().replace('_', ' '));
        }
        if (labels.isEmpty()) return new Parsed.Bad(file, line, "the mention has no type");
        List<EntityMention> entities = new ArrayList<>();
        for (String l : labels) entities.add(new EntityMention(start, end, l));
        String id = JsonElements.text(node, "annot_id");
        return new Parsed.Ok(file, line, new Example(id != null ? id : file + ":" + line, words, entities, List.of()));
    }
}
