package dev.relex.data.io;

import dev.relex.data.BadRecordException;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a Python list of string literals as {@code repr()} writes it ({@code ['a', "it's"]}): single- or
 * double-quoted strings with backslash escapes ({@code \\ \' \" \n \r \t \xhh \\uhhhh \Uhhhhhhhh}), separated by
 * commas, optional trailing comma. Anything else is a {@link BadRecordException} naming the position.
 */
public final class PythonLiterals {
    private PythonLiterals() {}

    public static List<String> stringList(String s) {
        int[] pos = {skip(s, 0)};
        expect(s, pos, '[');
        List<String> out = new ArrayList<>();
        pos[0] = skip(s, pos[0]);
        if (pos[0] < s.length() && s.charAt(pos[0]) == ']') {
            pos[0]++;
        } else {
            while (true) {
                out.add(string(s, pos));
                pos[0] = skip(s, pos[0]);
                if (pos[0] >= s.length()) throw bad(s, pos[0], "',' or ']'");
                char c = s.charAt(pos[0]++);
                if (c == ']') break;
                if (c != ',') throw bad(s, pos[0] - 1, "',' or ']'");
                pos[0] = skip(s, pos[0]);
                if (pos[0] < s.length() && s.charAt(pos[0]) == ']') {
                    pos[0]++;
                    break;
                }
            }
        }
        if (skip(s, pos[0]) != s.length()) throw bad(s, pos[0], "the end of the list");
        return out;
    }

    private static String string(String s, int[] pos) {
        pos[0] = skip(s, pos[0]);
        if (pos[0] >= s.length() || (s.charAt(pos[0]) != '\'' && s.charAt(pos[0]) != '"')) throw bad(s, pos[0], "a string");
        char quote = s.charAt(pos[0]++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos[0] >= s.length()) throw bad(s, pos[0], "the closing " + quote);
            char c = s.charAt(pos[0]++);
            if (c == quote) return sb.toString();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos[0] >= s.length()) throw bad(s, pos[0], "an escape");
            char e = s.charAt(pos[0]++);
            switch (e) {
                case '\\', '\'', '"' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'x' -> sb.appendCodePoint(hex(s, pos, 2));
                case 'u' -> sb.appendCodePoint(hex(s, pos, 4));
                case 'U' -> sb.appendCodePoint(hex(s, pos, 8));
                default -> sb.append('\\').append(e); // Python keeps unknown escapes as written
            }
        }
    }

    private static int hex(String s, int[] pos, int digits) {
        if (pos[0] + digits > s.length()) throw bad(s, pos[0], digits + " hex digits");
        try {
            int v = Integer.parseInt(s.substring(pos[0], pos[0] + digits), 16);
            pos[0] += digits;
            return v;
        } catch (NumberFormatException ex) {
            throw bad(s, pos[0], digits + " hex digits");
        }
    }

    private static void expect(String s, int[] pos, char c) {
        if (pos[0] >= s.length() || s.charAt(pos[0]) != c) throw bad(s, pos[0], "'" + c + "'");
        pos[0]++;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private static BadRecordException bad(String s, int at, String expected) {
        String near = s.substring(Math.max(0, at - 10), Math.min(s.length(), at + 10));
        return new BadRecordException("not a Python list of strings: expected " + expected + " at character " + at
                + " (near \"" + near + "\")");
    }
}
