package io.trailhound.connector.iam;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * IAM's answers as {@code aws iam get-account-authorization-details} prints them: an SDK model object as JSON with the
 * API's member names, dates as {@code 2024-05-01T10:00:00+00:00}, and every policy document (IAM sends them URL-encoded
 * as RFC 3986 text) decoded to a JSON object.
 */
final class PolicyDocuments {

    /** The members holding a policy document, wherever they occur in an entity (as the CLI decodes them). */
    static final Set<String> DOCUMENT_FIELDS = Set.of("AssumeRolePolicyDocument", "PolicyDocument", "Document");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    private PolicyDocuments() {
    }

    /**
     * A policy document as IAM returns it (URL-encoded JSON; already decoded JSON is accepted too), as a JSON object. A
     * {@code +} stays a {@code +}: IAM encodes a space as {@code %20}.
     *
     * @throws IllegalArgumentException when the text is not a URL-encoded JSON object
     */
    static ObjectNode decode(String text) {
        String json = text.trim();
        if (!json.startsWith("{")) {
            try {
                json = URLDecoder.decode(json.replace("+", "%2B"), StandardCharsets.UTF_8).trim();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not URL-encoded: " + e.getMessage(), e);
            }
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new IllegalArgumentException("the decoded document is not a JSON object");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the decoded document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code pojo} (an IAM model object) as JSON with the API's member names; unset members are left out. */
    static ObjectNode toJson(SdkPojo pojo) {
        ObjectNode object = NODES.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (value != null && !unset(value)) {
                object.set(field.memberName(), value(value));
            }
        }
        return object;
    }

    /**
     * Decodes, in place, every policy document of {@code entity} (any depth); returns the members that could not be
     * decoded with the reason, empty when all could.
     */
    static List<String> decodeDocuments(JsonNode entity, String at) {
        List<String> problems = new java.util.ArrayList<>();
        if (entity instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                String path = at + "." + member.getKey();
                if (DOCUMENT_FIELDS.contains(member.getKey()) && member.getValue().isTextual()) {
                    try {
                        member.setValue(decode(member.getValue().asText()));
                    } catch (IllegalArgumentException e) {
                        problems.add(path + ": " + e.getMessage());
                    }
                } else {
                    problems.addAll(decodeDocuments(member.getValue(), path));
                }
            }
        } else if (entity instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                problems.addAll(decodeDocuments(array.get(i), at + "[" + i + "]"));
            }
        }
        return problems;
    }

    private static boolean unset(Object value) {
        return value instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?>
            || value instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap<?, ?>;
    }

    private static JsonNode value(Object value) {
        if (value instanceof SdkPojo pojo) {
            return toJson(pojo);
        }
        if (value instanceof Collection<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(element -> array.add(element == null ? NODES.nullNode() : value(element)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), v == null ? NODES.nullNode() : value(v)));
            return object;
        }
        if (value instanceof Instant instant) {
            return NODES.textNode(DATE.format(instant));
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Integer number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Long number) {
            return NODES.numberNode(number);
        }
        return NODES.textNode(String.valueOf(value));
    }
}
