package io.trailhound.detect.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.trailhound.keying.PrincipalKeys;

/** Null-safe reads of optional fields of Jackson trees, since CloudTrail omits or nulls fields freely. */
public final class JsonFields {

    /** A node standing for an absent value. */
    public static final JsonNode MISSING = MissingNode.getInstance();

    private JsonFields() {
    }

    /**
     * The text of {@code node.field}, or null when absent, null or empty; numbers and booleans are rendered as text (the
     * keying rules' reading, {@link PrincipalKeys#text}: the key and the normalized event read a field alike).
     */
    public static String text(JsonNode node, String field) {
        return PrincipalKeys.text(node, field);
    }

    /** {@code node.field} as a boolean ({@code true}/{@code "true"}), or null when absent. */
    public static Boolean bool(JsonNode node, String field) {
        String s = text(node, field);
        return s == null ? null : Boolean.valueOf(s.equalsIgnoreCase("true"));
    }

    /** {@code node.field} as compact JSON text when it is an object or array, its text when scalar, null when absent. */
    public static String json(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        return v.isContainerNode() ? v.toString() : v.asText();
    }
}
