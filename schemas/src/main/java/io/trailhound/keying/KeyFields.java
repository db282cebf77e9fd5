package io.trailhound.keying;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads only what {@link PrincipalKeys#recordKey} looks at: the top-level members it reads ({@code userIdentity}, the
 * EventBridge {@code detail}, {@code eventName}, {@code recipientAccountId}, ..., the request and response of federation
 * calls) and placeholders for the members whose presence it checks. A byte scan ({@link KeyScan}) finds them in a JSON object
 * without tokenizing it; anything else (another top level, escaped member names) goes through the streaming parser, which
 * skips every structure it does not need. {@code recordKey} of the result equals {@code recordKey} of the whole tree.
 */
public final class KeyFields {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final Set<String> KEPT = Set.of("userIdentity", "detail");
    private static final Set<String> FEDERATION = Set.of("requestParameters", "responseElements");

    private KeyFields() {
    }

    /**
     * The key fields of the JSON in {@code raw[offset, offset + length)}; null when it is not a JSON object.
     *
     * @throws IOException when it is not well-formed JSON (empty input and trailing content included)
     */
    public static ObjectNode read(byte[] raw, int offset, int length) throws IOException {
        ObjectNode scanned = KeyScan.read(raw, offset, length);
        if (scanned != null) {
            return scanned;
        }
        try (JsonParser p = FACTORY.createParser(raw, offset, length)) {
            return read(p);
        }
    }

    /** As {@link #read(byte[], int, int)} for JSON text. */
    public static ObjectNode read(String json) throws IOException {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        return read(raw, 0, raw.length);
    }

    /** As {@link #read(byte[], int, int)}, always with the streaming parser (which checks every token). */
    static ObjectNode parse(byte[] raw, int offset, int length) throws IOException {
        try (JsonParser p = FACTORY.createParser(raw, offset, length)) {
            return read(p);
        }
    }

    private static ObjectNode read(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new JsonParseException(p, "no JSON value");
        }
        if (first != JsonToken.START_OBJECT) {
            p.skipChildren();
            requireEnd(p);
            return null;
        }
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (!value.isStructStart()) {
                fields.set(name, scalar(p, value));
            } else if (KEPT.contains(name) || FEDERATION.contains(name) && federation(fields)) {
                fields.set(name, MAPPER.readTree(p));
            } else {
                p.skipChildren();
                fields.set(name, value == JsonToken.START_ARRAY ? fields.arrayNode() : fields.objectNode());
            }
        }
        requireEnd(p);
        return fields;
    }

    /** The scalar at the parser, as the tree reader would build it (strings, booleans and null directly: they are most). */
    private static JsonNode scalar(JsonParser p, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING -> JsonNodeFactory.instance.textNode(p.getText());
            case VALUE_TRUE -> JsonNodeFactory.instance.booleanNode(true);
            case VALUE_FALSE -> JsonNodeFactory.instance.booleanNode(false);
            case VALUE_NULL -> JsonNodeFactory.instance.nullNode();
            default -> MAPPER.readTree(p);
        };
    }

    /** Whether the request and response may decide the key: a federation call, or no eventName read yet. */
    private static boolean federation(ObjectNode fields) {
        JsonNode name = fields.get("eventName");
        if (name == null) {
            return true;
        }
        String text = name.asText();
        return PrincipalKeys.WEB_IDENTITY.equals(text) || PrincipalKeys.SAML.equals(text);
    }

    private static void requireEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "trailing content after the JSON value");
        }
    }
}
