package io.github.demosim.codec.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.JsonValue;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text to {@link JsonValue} and back with Jackson's streaming API: no databind, no reflection.
 *
 * <p>Reading follows {@code JSON.parse}: strict RFC 8259 syntax, one value with optional surrounding
 * whitespace, duplicate member names allowed (the last value wins, in the first one's position), numbers kept
 * as the exact decimal of their literal. Writing follows {@code JSON.stringify}: compact, non-ASCII as is,
 * control characters as short escapes ({@code \\n}) or lowercase hex escapes (backslash, {@code u001f}).
 */
final class JsonText {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    private JsonText() {
    }

    static JsonValue parse(String text) {
        JsonParser parser = null;
        try (JsonParser p = FACTORY.createParser(text)) {
            parser = p;
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new CodecException(ErrorCode.CODEC_MALFORMED_JSON,
                        "Not JSON: the text is empty or only whitespace; send one JSON object per message",
                        null, text.length(), null);
            }
            JsonValue value = read(p, first);
            JsonToken after = p.nextToken();
            if (after != null) {
                throw malformed("Not JSON: more text follows the first JSON value (" + after.asString()
                        + "); send exactly one JSON value per message", p.currentTokenLocation(), null);
            }
            return value;
        } catch (JacksonException e) {
            throw malformed("Not JSON: " + e.getOriginalMessage(), e.getLocation(), e);
        } catch (NumberFormatException e) {
            // BigDecimal rejects exponents beyond the int range, which Jackson's syntax check lets through.
            throw malformed("Not JSON: a number literal is out of range (" + e.getMessage() + ")",
                    parser == null ? null : parser.currentTokenLocation(), e);
        } catch (IOException e) {
            throw malformed("Not JSON: " + e.getMessage(), null, e);
        }
    }

    private static JsonValue read(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String name = p.currentName();
                    members.put(name, read(p, p.nextToken()));
                }
                return new JsonValue.JsonObject(members);
            }
            case START_ARRAY: {
                List<JsonValue> elements = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    elements.add(read(p, t));
                }
                return new JsonValue.JsonArray(elements);
            }
            case VALUE_STRING:
                return new JsonValue.JsonString(p.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new JsonValue.JsonNumber(new BigDecimal(p.getText()));
            case VALUE_TRUE:
                return JsonValue.JsonBoolean.TRUE;
            case VALUE_FALSE:
                return JsonValue.JsonBoolean.FALSE;
            case VALUE_NULL:
                return JsonValue.JsonNull.INSTANCE;
            default:
                // END_* tokens cannot start a value in well-formed input; Jackson reports those itself.
                throw new IllegalStateException("unexpected token " + token);
        }
    }

    private static CodecException malformed(String message, JsonLocation location, Throwable cause) {
        long offset = location == null ? -1 : location.getCharOffset();
        String where = location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr()
                        + " (offset " + offset + ")";
        return new CodecException(ErrorCode.CODEC_MALFORMED_JSON, message + where, null, offset, cause);
    }

    static String write(JsonValue value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (JacksonException e) {
            throw new CodecException(ErrorCode.CODEC_ENCODE_FAILED,
                    "Cannot write JSON: " + e.getOriginalMessage(), null, -1, e);
        } catch (IOException e) {
            throw new CodecException(ErrorCode.CODEC_ENCODE_FAILED, "Cannot write JSON: " + e.getMessage(),
                    null, -1, e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, JsonValue value) throws IOException {
        if (value instanceof JsonValue.JsonObject o) {
            g.writeStartObject();
            for (Map.Entry<String, JsonValue> member : o.members().entrySet()) {
                g.writeFieldName(member.getKey());
                write(g, member.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof JsonValue.JsonArray a) {
            g.writeStartArray();
            for (JsonValue element : a.elements()) {
                write(g, element);
            }
            g.writeEndArray();
        } else if (value instanceof JsonValue.JsonString s) {
            g.writeString(s.value());
        } else if (value instanceof JsonValue.JsonNumber n) {
            g.writeNumber(n.value());
        } else if (value instanceof JsonValue.JsonBoolean b) {
            g.writeBoolean(b.value());
        } else if (value instanceof JsonValue.JsonNull) {
            g.writeNull();
        } else {
            throw new NullPointerException("value");
        }
    }
}
