package dev.relex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.Entity;
import dev.relex.ExtractionResult;
import dev.relex.Relation;
import dev.relex.Truncation;

/**
 * The JSONL output records. Entities and relations use the Python reference's field names
 * (spec §4.6): entity {@code start, end, text, label, score}; relation {@code head, tail, relation,
 * score} with head/tail {@code start, end, text, type, entity_idx}.
 */
final class ResultJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private ResultJson() {}

    static ObjectNode result(int line, JsonNode id, ExtractionResult r) {
        ObjectNode o = header(line, id);
        o.put("text", r.text());
        ArrayNode entities = o.putArray("entities");
        for (Entity e : r.entities()) entities.add(entity(e));
        ArrayNode relations = o.putArray("relations");
        for (Relation rel : r.relations()) relations.add(relation(rel));
        o.put("truncated", r.truncated());
        if (r.truncated()) o.set("truncation", truncation(r.truncation()));
        return o;
    }

    static ObjectNode error(int line, JsonNode id, String message) {
        ObjectNode o = header(line, id);
        o.put("error", message);
        return o;
    }

    private static ObjectNode header(int line, JsonNode id) {
        ObjectNode o = JSON.createObjectNode();
        o.put("line", line);
        if (id != null) o.set("id", id);
        return o;
    }

    static ObjectNode entity(Entity e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("start", e.start());
        o.put("end", e.end());
        o.put("text", e.text());
        o.put("label", e.label());
        o.put("score", e.score());
        return o;
    }

    static ObjectNode relation(Relation r) {
        ObjectNode o = JSON.createObjectNode();
        o.set("head", endpoint(r.head(), r.headIndex()));
        o.set("tail", endpoint(r.tail(), r.tailIndex()));
        o.put("relation", r.relation());
        o.put("score", r.score());
        return o;
    }

    private static ObjectNode endpoint(Entity e, int index) {
        ObjectNode o = JSON.createObjectNode();
        o.put("start", e.start());
        o.put("end", e.end());
        o.put("text", e.text());
        o.put("type", e.label());
        o.put("entity_idx", index);
        return o;
    }

    static ObjectNode truncation(Truncation t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("total_words", t.totalWords());
        o.put("processed_words", t.processedWords());
        o.put("processed_chars", t.processedChars());
        return o;
    }
}
