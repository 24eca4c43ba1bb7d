package io.github.demosim.tck.codec;

import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.spi.JsonSink;
import io.github.demosim.spi.JsonSource;
import io.github.demosim.spi.JsonSyntax;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A second codec, on the JDK alone: what a third-party codec author writes. A strict RFC 8259 tokenizer and a
 * compact writer, nothing about frames; {@code FrameCodec.of(new MinimalJsonSyntax())} is a complete codec, and
 * {@link MinimalCodecContractProperties} runs the contract every codec passes against it. Not tuned for speed.
 */
final class MinimalJsonSyntax implements JsonSyntax {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public <T> T read(String text, Function<JsonSource, T> reader) {
        Lexer lexer = new Lexer(text);
        T value = reader.apply(lexer);
        lexer.skipWhitespace();
        if (lexer.pos < text.length()) {
            throw lexer.malformed("more text follows the JSON value", lexer.pos);
        }
        return value;
    }

    @Override
    public String write(Consumer<JsonSink> writer) {
        StringBuilder out = new StringBuilder();
        writer.accept(new Writer(out));
        return out.toString();
    }

    /** The tokens of one value; which token may come next is tracked with a stack of open containers. */
    private static final class Lexer implements JsonSource {
        private final String text;
        private int pos;
        private int start;
        private String tokenText;
        /** Open containers: {@code '{'} or {@code '['}. */
        private final Deque<Character> open = new ArrayDeque<>();
        /** Whether the current container has a member or element already (so a comma must come first). */
        private boolean hasItem;
        /** Whether a member name was just read (so a value must come). */
        private boolean afterName;

        Lexer(String text) {
            this.text = text;
        }

        @Override
        public Token next() {
            skipWhitespace();
            start = pos;
            if (afterName) {
                afterName = false;
                return value();
            }
            if (open.isEmpty()) {
                if (pos >= text.length()) {
                    throw malformed("the text is empty or ends before the value", pos);
                }
                return value();
            }
            char close = open.peek() == '{' ? '}' : ']';
            if (pos < text.length() && text.charAt(pos) == close) {
                pos++;
                open.pop();
                hasItem = true;
                return close == '}' ? Token.END_OBJECT : Token.END_ARRAY;
            }
            if (hasItem) {
                expect(',');
                skipWhitespace();
                start = pos;
            }
            hasItem = true;
            if (open.peek() == '[') {
                return value();
            }
            tokenText = string();
            skipWhitespace();
            expect(':');
            afterName = true;
            return Token.NAME;
        }

        private Token value() {
            if (pos >= text.length()) {
                throw malformed("the text ends before the value", pos);
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{', '[' -> {
                    pos++;
                    open.push(c);
                    hasItem = false;
                    return c == '{' ? Token.BEGIN_OBJECT : Token.BEGIN_ARRAY;
                }
                case '"' -> {
                    tokenText = string();
                    return Token.STRING;
                }
                case 't' -> {
                    return literal("true", Token.TRUE);
                }
                case 'f' -> {
                    return literal("false", Token.FALSE);
                }
                case 'n' -> {
                    return literal("null", Token.NULL);
                }
                default -> {
                    tokenText = number();
                    return Token.NUMBER;
                }
            }
        }

        private Token literal(String word, Token token) {
            if (!text.startsWith(word, pos)) {
                throw malformed("expected " + word, pos);
            }
            pos += word.length();
            return token;
        }

        /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} */
        private String number() {
            int begin = pos;
            accept('-');
            if (!accept('0')) {
                digits();
            }
            if (accept('.')) {
                digits();
            }
            if (accept('e') || accept('E')) {
                if (!accept('+')) {
                    accept('-');
                }
                digits();
            }
            String literal = text.substring(begin, pos);
            try {
                new BigDecimal(literal);
            } catch (NumberFormatException e) {
                throw malformed("the number " + literal + " is out of range", begin);
            }
            return literal;
        }

        private void digits() {
            int begin = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == begin) {
                throw malformed("expected a digit", pos);
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw malformed("the string is not closed", pos);
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw malformed("a control character must be escaped in a string", pos - 1);
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    throw malformed("the escape is not complete", pos);
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
                        if (pos + 4 > text.length()) {
                            throw malformed("the escape is not complete", pos);
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(text.charAt(pos + i), 16);
                            if (d < 0 || text.charAt(pos + i) > 'f') {
                                throw malformed("expected four hex digits", pos + i);
                            }
                            code = code * 16 + d;
                        }
                        pos += 4;
                        out.append((char) code);
                    }
                    default -> throw malformed("unknown escape \\" + e, pos - 1);
                }
            }
        }

        private boolean accept(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!accept(c)) {
                throw malformed("expected '" + c + "'", pos);
            }
        }

        void skipWhitespace() {
            while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        CodecException malformed(String problem, int at) {
            return new CodecException(ErrorCode.CODEC_MALFORMED_JSON, "Not JSON: " + problem + " at offset " + at,
                    null, Math.min(at, text.length()), null);
        }

        @Override
        public String text() {
            return tokenText;
        }

        @Override
        public long offset() {
            return start;
        }
    }

    /** Compact JSON into a builder; commas are written before every value but the first of a container. */
    private static final class Writer implements JsonSink {
        private final StringBuilder out;
        private boolean comma;

        Writer(StringBuilder out) {
            this.out = out;
        }

        private void value(String raw) {
            separate();
            out.append(raw);
            comma = true;
        }

        private void separate() {
            if (comma) {
                out.append(',');
            }
        }

        @Override
        public void beginObject() {
            separate();
            out.append('{');
            comma = false;
        }

        @Override
        public void name(String name) {
            string(name);
            out.append(':');
            comma = false;
        }

        @Override
        public void endObject() {
            out.append('}');
            comma = true;
        }

        @Override
        public void beginArray() {
            separate();
            out.append('[');
            comma = false;
        }

        @Override
        public void endArray() {
            out.append(']');
            comma = true;
        }

        @Override
        public void string(String value) {
            separate();
            out.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
            comma = true;
        }

        @Override
        public void number(long value) {
            value(Long.toString(value));
        }

        @Override
        public void number(BigDecimal value) {
            value(value.toString());
        }

        @Override
        public void bool(boolean value) {
            value(Boolean.toString(value));
        }

        @Override
        public void nullValue() {
            value("null");
        }
    }
}
