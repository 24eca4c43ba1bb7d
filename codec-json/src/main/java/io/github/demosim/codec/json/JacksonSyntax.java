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
import io.github.demosim.spi.JsonSink;
import io.github.demosim.spi.JsonSource;
import io.github.demosim.spi.JsonSyntax;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * JSON text to tokens and events to text on Jackson's streaming API: no databind, no reflection. Jackson's
 * exceptions become {@link CodecException}s with the line, column and character offset; its default limits
 * apply (nesting 1,000 levels, numbers 1,000 characters, strings 20 million).
 *
 * <p>Reading follows {@code JSON.parse}: strict RFC 8259 syntax, one value with optional surrounding whitespace,
 * duplicate member names passed on. Writing follows {@code JSON.stringify}: compact, non-ASCII as is, control
 * characters as short escapes ({@code \n}) or lowercase hex escapes (backslash, {@code u001f}).
 */
final class JacksonSyntax implements JsonSyntax {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    @Override
    public <T> T read(String text, Function<JsonSource, T> reader) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            T value = reader.apply(new Source(parser, text.length()));
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw malformed("Not JSON: more text follows the first JSON value (" + after.asString()
                        + "); send exactly one JSON value per message", parser.currentTokenLocation(), null);
            }
            return value;
        } catch (JacksonException e) {
            throw malformed("Not JSON: " + e.getOriginalMessage(), e.getLocation(), e);
        } catch (IOException e) {
            throw malformed("Not JSON: " + e.getMessage(), null, e);
        }
    }

    @Override
    public String write(Consumer<JsonSink> writer) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writer.accept(new Sink(generator));
        } catch (IOException e) {
            throw writeFailed(e);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "jackson";
    }

    private static CodecException malformed(String message, JsonLocation location, Throwable cause) {
        long offset = location == null ? -1 : location.getCharOffset();
        String where = location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr()
                        + " (offset " + offset + ")";
        return new CodecException(ErrorCode.CODEC_MALFORMED_JSON, message + where, null, offset, cause);
    }

    private static CodecException writeFailed(IOException e) {
        String message = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        return new CodecException(ErrorCode.CODEC_ENCODE_FAILED, "Cannot write JSON: " + message, null, -1, e);
    }

    /** Jackson's tokens as {@link JsonSource.Token}s. */
    private static final class Source implements JsonSource {
        private final JsonParser parser;
        private final int length;

        Source(JsonParser parser, int length) {
            this.parser = parser;
            this.length = length;
        }

        @Override
        public Token next() {
            JsonToken token;
            try {
                token = parser.nextToken();
            } catch (JacksonException e) {
                throw malformed("Not JSON: " + e.getOriginalMessage(), e.getLocation(), e);
            } catch (IOException e) {
                throw malformed("Not JSON: " + e.getMessage(), null, e);
            }
            if (token == null) {
                // Jackson reports a value cut short itself; no token at all means there was no value.
                throw new CodecException(ErrorCode.CODEC_MALFORMED_JSON,
                        "Not JSON: the text is empty or only whitespace; send one JSON object per message", null,
                        length, null);
            }
            switch (token) {
                case START_OBJECT:
                    return Token.BEGIN_OBJECT;
                case END_OBJECT:
                    return Token.END_OBJECT;
                case START_ARRAY:
                    return Token.BEGIN_ARRAY;
                case END_ARRAY:
                    return Token.END_ARRAY;
                case FIELD_NAME:
                    return Token.NAME;
                case VALUE_STRING:
                    return Token.STRING;
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    return Token.NUMBER;
                case VALUE_TRUE:
                    return Token.TRUE;
                case VALUE_FALSE:
                    return Token.FALSE;
                case VALUE_NULL:
                    return Token.NULL;
                default:
                    // Embedded objects and NOT_AVAILABLE come only from non-blocking or object-backed parsers.
                    throw new IllegalStateException("unexpected Jackson token " + token);
            }
        }

        @Override
        public String text() {
            try {
                return parser.getText();
            } catch (IOException e) {
                throw malformed("Not JSON: " + e.getMessage(), parser.currentTokenLocation(), e);
            }
        }

        @Override
        public long offset() {
            return parser.currentTokenLocation().getCharOffset();
        }
    }

    /** Events written with Jackson's generator; its failures (nesting, I/O) become {@link CodecException}s. */
    private static final class Sink implements JsonSink {
        private final JsonGenerator generator;

        Sink(JsonGenerator generator) {
            this.generator = generator;
        }

        @Override
        public void beginObject() {
            try {
                generator.writeStartObject();
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }

        @Override
        public void name(String name) {
            try {
                generator.writeFieldName(name);
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }

        @Override
        public void endObject() {
            try {
                generator.writeEndObject();
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }

        @Override
        public void beginArray() {
            try {
                generator.writeStartArray();
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }

        @Override
        public void endArray() {
            try {
                generator.writeEndArray();
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }

        @Override
        public void string(String value) {
            try {
                generator.writeString(value);
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }

        @Override
        public void number(long value) {
            try {
                generator.writeNumber(value);
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }

        @Override
        public void number(BigDecimal value) {
            try {
                generator.writeNumber(value);
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }

        @Override
        public void bool(boolean value) {
            try {
                generator.writeBoolean(value);
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }

        @Override
        public void nullValue() {
            try {
                generator.writeNull();
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }
    }
}
