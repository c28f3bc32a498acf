package dev.relex.data.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relex.data.BadRecordException;

import java.util.ArrayList;
import java.util.List;

/** Checked access to JSON record fields: a missing field or a wrong type is a {@link BadRecordException}. */
public final class JsonFields {
    private JsonFields() {}

    /** The object's field, which must be present and not null. */
    public static JsonNode required(JsonNode obj, String field) {
        if (obj == null || !obj.isObject()) throw new BadRecordException("expected a JSON object, found " + kind(obj));
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) throw new BadRecordException("missing field '" + field + "'");
        return v;
    }

    /** The field as an array. */
    public static JsonNode array(JsonNode obj, String field) {
        JsonNode v = required(obj, field);
        if (!v.isArray()) throw new BadRecordException("'" + field + "' must be a list, not " + kind(v));
        return v;
    }

    /** The field as an array, or null if absent or null. */
    public static JsonNode optionalArray(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw new BadRecordException("'" + field + "' must be a list, not " + kind(v));
        return v;
    }

    /** The field as a string. */
    public static String text(JsonNode obj, String field) {
        JsonNode v = required(obj, field);
        if (!v.isTextual()) throw new BadRecordException("'" + field + "' must be a string, not " + kind(v));
        return v.asText();
    }

    /** The field as an int (an integral JSON number in int range). */
    public static int intField(JsonNode obj, String field) {
        return asInt(required(obj, field), "'" + field + "'");
    }

    /** The node as an int; {@code what} names it in the message. */
    public static int asInt(JsonNode v, String what) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new BadRecordException(what + " must be an integer, not " + kind(v));
        }
        return v.intValue();
    }

    /** The node as a string; {@code what} names it in the message. */
    public static String asString(JsonNode v, String what) {
        if (v == null || !v.isTextual()) throw new BadRecordException(what + " must be a string, not " + kind(v));
        return v.asText();
    }

    /** A list of strings; with {@code nonEmpty}, an empty string is an error naming its index. */
    public static List<String> asStrings(JsonNode array, String what, boolean nonEmpty) {
        if (array == null || !array.isArray()) throw new BadRecordException(what + " must be a list, not " + kind(array));
        List<String> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode v = array.get(i);
            if (!v.isTextual()) throw new BadRecordException(what + "[" + i + "] must be a string, not " + kind(v));
            if (nonEmpty && v.asText().isEmpty()) throw new BadRecordException(what + "[" + i + "] is an empty string");
            out.add(v.asText());
        }
        return out;
    }

    /** A short description of a node's kind and value for messages (values cut at 60 characters). */
    public static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) return "nothing";
        if (v.isNull()) return "null";
        String s = v.toString();
        if (s.length() > 60) s = s.substring(0, 57) + "...";
        return v.getNodeType().name().toLowerCase() + " " + s;
    }
}
