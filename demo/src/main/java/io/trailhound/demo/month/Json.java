package io.trailhound.demo.month;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Short literals for request parameters and response elements: {@code of("key", value, ...)} and {@code array(...)}. */
final class Json {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    /** An object of alternating keys and values (strings, numbers, booleans, nodes; {@code null} values are written). */
    static ObjectNode of(Object... pairs) {
        ObjectNode node = NODES.objectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.set((String) pairs[i], value(pairs[i + 1]));
        }
        return node;
    }

    static ArrayNode array(Object... values) {
        ArrayNode node = NODES.arrayNode();
        for (Object v : values) {
            node.add(value(v));
        }
        return node;
    }

    /** EC2's Query-protocol lists: {@code {"items": [...]}}. */
    static ObjectNode items(Object... values) {
        return of("items", array(values));
    }

    private static JsonNode value(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof JsonNode n) {
            return n;
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Integer n) {
            return NODES.numberNode(n);
        }
        if (v instanceof Long n) {
            return NODES.numberNode(n);
        }
        return NODES.textNode(v.toString());
    }
}
