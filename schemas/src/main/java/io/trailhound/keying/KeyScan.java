package io.trailhound.keying;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The fast path of {@link KeyFields}: one scan over the bytes of a JSON object that only looks for quotes, escapes and
 * brackets (no tokens, no strings built) to find the spans of the few top-level members keying reads, then parses just those.
 * It checks the structure (balanced brackets, member syntax, nothing after the object) but not every token inside skipped
 * values: a record it accepts and the stream processor cannot read is dead-lettered there whatever its key.
 */
final class KeyScan {

    /** The members keying reads, by value. */
    private static final String[] VALUES = {"userIdentity", "detail", "eventName", "errorCode", "recipientAccountId", "id",
        "requestParameters", "responseElements"};
    /** The members keying only checks the presence of. */
    private static final String[] PRESENT = {"type", "severity", "schemaVersion", "service", "resource", "detail-type"};
    private static final byte[][] NAMES = names();
    private static final int FEDERATION_FROM = 6;
    /** What {@link PrincipalKeys#identityKey} reads of {@code userIdentity} (the first of {@link #VALUES}). */
    private static final Node IDENTITY = Node.of(new String[] {"type", "accountId", "arn", "invokedBy", "userName", "sessionContext",
        "onBehalfOf"}, null, null, null, null, null,
        Node.of(new String[] {"sessionIssuer"}, Node.of(new String[] {"arn", "userName"})), Node.of(new String[] {"userId"}));
    private static final JsonFactory FACTORY = new JsonFactory();

    private final byte[] json;
    private final int end;
    private int pos;

    private KeyScan(byte[] json, int offset, int length) {
        this.json = json;
        this.pos = offset;
        this.end = offset + length;
    }

    /**
     * The key fields of the object in {@code json[offset, offset + length)}, or null when the scan cannot tell (the top level is
     * not an object, or a member name has escapes): the streaming parser decides those.
     *
     * @throws IOException when the structure is broken
     */
    static ObjectNode read(byte[] json, int offset, int length) throws IOException {
        return new KeyScan(json, offset, length).object();
    }

    private ObjectNode object() throws IOException {
        skipWhitespace();
        if (pos >= end || json[pos] != '{') {
            return null;
        }
        int[] spans = members(NAMES);
        if (spans == null) {
            return null;
        }
        skipWhitespace();
        if (pos != end) {
            throw broken("content after the object");
        }
        return fields(spans);
    }

    /**
     * Scans the object at {@code pos} (which must be '{'), leaving {@code pos} after it: the value span of each of
     * {@code names} ({@code [start, end)} at {@code 2i, 2i + 1}, -1 when absent; the last of repeated names wins, as in the
     * tree), or null when a member name has escapes.
     */
    private int[] members(byte[][] names) throws IOException {
        expect('{');
        int[] spans = new int[names.length * 2];
        Arrays.fill(spans, -1);
        boolean escapedName = false;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return spans;
        }
        while (true) {
            int nameStart = pos + 1;
            int nameEnd = string();
            escapedName |= nameEnd < 0;
            skipWhitespace();
            expect(':');
            skipWhitespace();
            int valueStart = pos;
            value();
            int which = nameEnd < 0 ? -1 : which(names, nameStart, nameEnd);
            if (which >= 0) {
                spans[2 * which] = valueStart;
                spans[2 * which + 1] = pos;
            }
            skipWhitespace();
            byte next = peek();
            pos++;
            if (next == '}') {
                return escapedName ? null : spans;
            }
            if (next != ',') {
                throw broken("',' or '}' expected");
            }
            skipWhitespace();
        }
    }

    private ObjectNode fields(int[] spans) throws IOException {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        int eventName = Arrays.asList(VALUES).indexOf("eventName");
        String name = spans[2 * eventName] < 0 ? null : parse(spans[2 * eventName], spans[2 * eventName + 1]).asText();
        boolean federation = PrincipalKeys.WEB_IDENTITY.equals(name) || PrincipalKeys.SAML.equals(name);
        for (int i = 0; i < NAMES.length; i++) {
            int from = spans[2 * i];
            if (from < 0) {
                continue;
            }
            int to = spans[2 * i + 1];
            JsonNode value;
            if (i >= VALUES.length || i >= FEDERATION_FROM && !federation) {
                value = JsonNodeFactory.instance.nullNode();
            } else {
                value = i == 0 ? subset(from, to, IDENTITY) : parse(from, to);
            }
            fields.set(i < VALUES.length ? VALUES[i] : PRESENT[i - VALUES.length], value);
        }
        return fields;
    }

    /**
     * The members of the object at {@code [from, to)} that keying reads ({@code names}, nested objects by their own names), or
     * the whole value when it is not an object or a name has escapes.
     */
    private JsonNode subset(int from, int to, Node names) throws IOException {
        if (json[from] != '{') {
            return parse(from, to);
        }
        int saved = pos;
        pos = from;
        int[] spans = members(names.bytes());
        pos = saved;
        if (spans == null) {
            return parse(from, to);
        }
        ObjectNode subset = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < names.names().length; i++) {
            if (spans[2 * i] >= 0) {
                Node child = names.children()[i];
                subset.set(names.names()[i], child == null ? parse(spans[2 * i], spans[2 * i + 1])
                    : subset(spans[2 * i], spans[2 * i + 1], child));
            }
        }
        return subset;
    }

    /**
     * The value at {@code [from, to)}: a string without escapes decoded in place, anything else built by the streaming parser
     * as the tree reader builds it (without the cost of a deserialization context per value).
     */
    private JsonNode parse(int from, int to) throws IOException {
        if (json[from] == '"' && indexOf((byte) '\\', from, to) < 0) {
            return JsonNodeFactory.instance.textNode(new String(json, from + 1, to - from - 2, StandardCharsets.UTF_8));
        }
        try (JsonParser p = FACTORY.createParser(json, from, to - from)) {
            JsonNode node = tree(p, p.nextToken());
            if (p.nextToken() != null) {
                throw broken("content after a value");
            }
            return node;
        }
    }

    private static JsonNode tree(JsonParser p, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (token == null) {
            throw new IOException("malformed JSON: value expected");
        }
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    object.set(name, tree(p, p.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(tree(p, t));
                }
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> nodes.numberNode(p.getIntValue());
                case LONG -> nodes.numberNode(p.getLongValue());
                default -> nodes.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new IOException("malformed JSON: unexpected " + token);
        };
    }

    private void value() throws IOException {
        byte b = peek();
        if (b == '"') {
            string();
        } else if (b == '{' || b == '[') {
            container();
        } else {
            int start = pos;
            while (pos < end && !delimiter(json[pos])) {
                pos++;
            }
            if (pos == start) {
                throw broken("value expected");
            }
        }
    }

    /** Skips a string; the end of its content, or -1 when it holds an escape (the caller decides what that means). */
    private int string() throws IOException {
        expect('"');
        boolean escaped = false;
        byte[] bytes = json;
        int limit = end;
        int i = pos;
        while (i < limit) {
            byte b = bytes[i++];
            if (b == '"') {
                pos = i;
                return escaped ? -1 : i - 1;
            }
            if (b == '\\') {
                escaped = true;
                i++;
            }
        }
        pos = i;
        throw broken("unterminated string");
    }

    private void container() throws IOException {
        byte[] open = new byte[16];
        int depth = 0;
        byte[] bytes = json;
        while (pos < end) {
            byte b = bytes[pos];
            if (b == '"') {
                string();
                continue;
            }
            pos++;
            if (b == '{' || b == '[') {
                if (depth == open.length) {
                    open = Arrays.copyOf(open, depth * 2);
                }
                open[depth++] = b;
            } else if (b == '}' || b == ']') {
                if (depth == 0 || open[--depth] != (b == '}' ? '{' : '[')) {
                    throw broken("unbalanced '" + (char) b + "'");
                }
                if (depth == 0) {
                    return;
                }
            }
        }
        throw broken("unterminated structure");
    }

    private int which(byte[][] names, int from, int to) {
        int length = to - from;
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i];
            if (name.length == length && name[0] == json[from] && Arrays.equals(json, from, to, name, 0, length)) {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (json[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private byte peek() throws IOException {
        if (pos >= end) {
            throw broken("unexpected end of input");
        }
        return json[pos];
    }

    private void expect(char c) throws IOException {
        if (peek() != c) {
            throw broken("'" + c + "' expected");
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < end && (json[pos] == ' ' || json[pos] == '\n' || json[pos] == '\r' || json[pos] == '\t')) {
            pos++;
        }
    }

    private static boolean delimiter(byte b) {
        return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private IOException broken(String what) {
        return new IOException("malformed JSON at byte " + pos + ": " + what);
    }

    private static byte[][] names() {
        byte[][] names = new byte[VALUES.length + PRESENT.length][];
        for (int i = 0; i < names.length; i++) {
            names[i] = (i < VALUES.length ? VALUES[i] : PRESENT[i - VALUES.length]).getBytes(StandardCharsets.UTF_8);
        }
        return names;
    }

    /** The members of a nested object keying reads, with the members it reads of those that are objects themselves. */
    private record Node(String[] names, Node[] children, byte[][] bytes) {

        static Node of(String[] names, Node... children) {
            byte[][] bytes = new byte[names.length][];
            for (int i = 0; i < names.length; i++) {
                bytes[i] = names[i].getBytes(StandardCharsets.UTF_8);
            }
            return new Node(names, Arrays.copyOf(children, names.length), bytes);
        }
    }
}
