package io.trailhound.detect.normalize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One pass of the streaming parser over a plain CloudTrail record: the top-level scalars and the small structures the
 * normalizer reads ({@code userIdentity}, {@code resources}, {@code tlsDetails}) become a shallow tree, and the free-form
 * structures kept as JSON text ({@code requestParameters}, {@code responseElements}, {@code additionalEventData},
 * {@code serviceEventDetails}) are cut out of the input bytes, never built as trees and written back, when they are already in
 * the compact form the tree reader would write (as CloudTrail writes them); otherwise they are rendered as it does. Anything
 * that is not a plain CloudTrail record (an EventBridge envelope, a GuardDuty finding, no {@code eventName}) is left to the
 * tree reader ({@link #read} returns null), and so is malformed input, so that reasons stay the same.
 */
final class FlatCloudTrailRecord {

    /** Fields read as structures. */
    private static final Set<String> STRUCTURES = Set.of("userIdentity", "resources", "tlsDetails");
    /** Fields kept as JSON text. */
    static final Set<String> TEXTS = Set.of("requestParameters", "responseElements", "additionalEventData", "serviceEventDetails");

    /**
     * Reads the structures; it must not check for trailing tokens (the rest of the record follows each structure), the check
     * for the whole record is made here.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode fields;
    private final Map<String, String> texts;

    private FlatCloudTrailRecord(ObjectNode fields, Map<String, String> texts) {
        this.fields = fields;
        this.texts = texts;
    }

    /** The top-level scalars and structures. */
    ObjectNode fields() {
        return fields;
    }

    /** The JSON text of {@code field} (one of {@link #TEXTS}) as it is in the input, its text when scalar, null when absent. */
    String text(String field) {
        return texts.get(field);
    }

    /** Reads {@code raw}; null when it is not a well-formed plain CloudTrail record. */
    static FlatCloudTrailRecord read(byte[] raw) {
        try (JsonParser p = MAPPER.getFactory().createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            // sized for a whole record's top-level fields: the default map would be rehashed on every record
            ObjectNode fields = new ObjectNode(JsonNodeFactory.instance, new LinkedHashMap<>(64));
            Map<String, String> texts = new HashMap<>(8);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("detail")) {
                    return null;
                }
                if (TEXTS.contains(name)) {
                    texts.put(name, jsonText(p, value, raw));
                } else if (value.isStructStart()) {
                    if (STRUCTURES.contains(name)) {
                        fields.set(name, tree(p, value));
                    } else {
                        p.skipChildren();
                    }
                } else {
                    fields.set(name, scalar(p, value));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || !fields.hasNonNull("eventName")) {
                return null;
            }
            return new FlatCloudTrailRecord(fields, texts);
        } catch (IOException | RuntimeException malformed) {
            return null;
        }
    }

    private static String jsonText(JsonParser p, JsonToken value, byte[] raw) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!value.isStructStart()) {
            return p.getText();
        }
        long start = p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        long end = p.currentTokenLocation().getByteOffset() + 1;
        if (start < 0 || end > raw.length || start >= end) {
            throw new IOException("no byte offsets for " + p.currentName());
        }
        if (!canonical(raw, (int) start, (int) end)) {
            // pretty-printed, escaped or with non-integer numbers: render as the tree reader does, so output never depends on it
            return MAPPER.readTree(raw, (int) start, (int) (end - start)).toString();
        }
        return new String(raw, (int) start, (int) (end - start), StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code raw[start, end)} is already what Jackson writes for it: no whitespace between tokens, no escapes but
     * {@code \"}, {@code \\} and the control-character ones, and only integer numbers, without {@code -0}.
     */
    static boolean canonical(byte[] raw, int start, int end) {
        boolean inString = false;
        for (int i = start; i < end; i++) {
            byte b = raw[i];
            if (inString) {
                if (b == '\\') {
                    if (!shortEscape(i + 1 < end ? raw[i + 1] : 0)) {
                        return false;
                    }
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (!canonicalOutsideStrings(raw, i, start, end)) {
                return false;
            }
        }
        return true;
    }

    /** The escapes Jackson writes itself. */
    private static boolean shortEscape(byte b) {
        return b == '"' || b == '\\' || b == 'n' || b == 't' || b == 'r' || b == 'b' || b == 'f';
    }

    /** No whitespace, no fraction or exponent, no {@code -0} at {@code raw[i]} between tokens. */
    private static boolean canonicalOutsideStrings(byte[] raw, int i, int start, int end) {
        byte b = raw[i];
        if (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == '.') {
            return false;
        }
        if ((b == 'e' || b == 'E') && i > start && raw[i - 1] >= '0' && raw[i - 1] <= '9') {
            return false;
        }
        return !(b == '-' && i + 1 < end && raw[i + 1] == '0');
    }

    /**
     * The structure starting at the current token, built straight from the parser (what {@code readValueAsTree} builds, without
     * a deserialization context per call: these small structures are on every event's path).
     */
    private static JsonNode tree(JsonParser p, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (token == JsonToken.START_OBJECT) {
            ObjectNode object = nodes.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                object.set(name, tree(p, p.nextToken()));
            }
            return object;
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = nodes.arrayNode();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                array.add(tree(p, t));
            }
            return array;
        }
        return switch (token) {
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> nodes.numberNode(p.getIntValue());
                case LONG -> nodes.numberNode(p.getLongValue());
                default -> nodes.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
            default -> scalar(p, token);
        };
    }

    private static JsonNode scalar(JsonParser p, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_NULL -> JsonNodeFactory.instance.nullNode();
            case VALUE_TRUE, VALUE_FALSE -> JsonNodeFactory.instance.booleanNode(value == JsonToken.VALUE_TRUE);
            // strings, and top-level numbers as their text (what the normalizer reads of them)
            default -> JsonNodeFactory.instance.textNode(p.getText());
        };
    }
}
