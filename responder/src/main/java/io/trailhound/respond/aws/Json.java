package io.trailhound.respond.aws;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small JSON texts for the audit record's details and rollback fields. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** {@code {"name": [values...]}}. */
    static String object(String name, List<String> values) {
        ObjectNode node = MAPPER.createObjectNode();
        put(node, name, values);
        return write(node);
    }

    /** {@code {"a": [...], "b": [...]}}. */
    static String object(String name, List<String> values, String name2, List<String> values2) {
        ObjectNode node = MAPPER.createObjectNode();
        put(node, name, values);
        put(node, name2, values2);
        return write(node);
    }

    /** {@code {"a": [...], "b": [...], ...}}, fields sorted by name. */
    static String object(Map<String, List<String>> fields) {
        ObjectNode node = MAPPER.createObjectNode();
        new TreeMap<>(fields).forEach((name, values) -> put(node, name, values));
        return write(node);
    }

    private static void put(ObjectNode node, String name, List<String> values) {
        ArrayNode array = node.putArray(name);
        values.forEach(array::add);
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
