package io.github.demosim.tck.crypto;

import io.github.demosim.frame.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict little JSON reader for the vector files, so the TCK needs no JSON library. */
final class MiniJson {
    private final String text;
    private int pos;

    private MiniJson(String text) {
        this.text = text;
    }

    static JsonValue parse(String text) {
        MiniJson reader = new MiniJson(text);
        JsonValue value = reader.value();
        reader.skipWhitespace();
        if (reader.pos != text.length()) {
            throw reader.error("trailing text");
        }
        return value;
    }

    private JsonValue value() {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return new JsonValue.JsonString(string());
            case 't':
                expect("true");
                return JsonValue.JsonBoolean.TRUE;
            case 'f':
                expect("false");
                return JsonValue.JsonBoolean.FALSE;
            case 'n':
                expect("null");
                return JsonValue.JsonNull.INSTANCE;
            default:
                return number();
        }
    }

    private JsonValue object() {
        pos++;
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return new JsonValue.JsonObject(members);
        }
        while (true) {
            skipWhitespace();
            String name = string();
            skipWhitespace();
            expect(":");
            members.put(name, value());
            skipWhitespace();
            char c = text.charAt(pos++);
            if (c == '}') {
                return new JsonValue.JsonObject(members);
            }
            if (c != ',') {
                throw error("expected , or }");
            }
        }
    }

    private JsonValue array() {
        pos++;
        List<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new JsonValue.JsonArray(elements);
        }
        while (true) {
            elements.add(value());
            skipWhitespace();
            char c = text.charAt(pos++);
            if (c == ']') {
                return new JsonValue.JsonArray(elements);
            }
            if (c != ',') {
                throw error("expected , or ]");
            }
        }
    }

    private String string() {
        if (peek() != '"') {
            throw error("expected a string");
        }
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private JsonValue number() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        if (start == pos) {
            throw error("unexpected character '" + text.charAt(pos) + "'");
        }
        return new JsonValue.JsonNumber(new BigDecimal(text.substring(start, pos)));
    }

    private void expect(String literal) {
        if (!text.startsWith(literal, pos)) {
            throw error("expected " + literal);
        }
        pos += literal.length();
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("bad JSON at offset " + pos + ": " + what);
    }
}
