package io.trailhound.detect.rules;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A test on one event, read from a rule's {@code match} object: field tests ({@code path}, {@code op}, {@code value(s)}),
 * shorthands ({@code eventName}, {@code eventSource}, {@code success}) and the combinators {@code all}, {@code any}, {@code not}.
 */
@FunctionalInterface
public interface Condition {

    /** Whether the event satisfies this condition. */
    boolean test(EventView event);

    /** Parses a {@code match} object: every key of it must hold (an implicit {@code all}). */
    static Condition parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a condition must be a JSON object, was " + node);
        }
        if (node.has("path")) {
            return FieldTest.parse(node);
        }
        List<Condition> parts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            parts.add(keyed(f.getKey(), f.getValue()));
        }
        return all(parts);
    }

    private static Condition keyed(String key, JsonNode value) {
        return switch (key) {
            case "eventName", "eventSource", "eventType", "awsRegion" -> FieldTest.of(key, Operator.EQ, value);
            case "success" -> value.asBoolean() ? FieldTest.of("errorCode", Operator.ABSENT, null)
                    : FieldTest.of("errorCode", Operator.EXISTS, null);
            case "all" -> all(list(value));
            case "any" -> any(list(value));
            case "not" -> negate(parse(value));
            default -> throw new IllegalArgumentException("unknown condition key '" + key + "'");
        };
    }

    private static List<Condition> list(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("'all' and 'any' take a list of conditions, was " + array);
        }
        List<Condition> out = new ArrayList<>();
        array.forEach(n -> out.add(parse(n)));
        return out;
    }

    /** All of {@code parts} hold. */
    static Condition all(List<Condition> parts) {
        Condition[] copy = parts.toArray(new Condition[0]);
        return e -> {
            for (Condition c : copy) {
                if (!c.test(e)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** At least one of {@code parts} holds. */
    static Condition any(List<Condition> parts) {
        Condition[] copy = parts.toArray(new Condition[0]);
        return e -> {
            for (Condition c : copy) {
                if (c.test(e)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** {@code part} does not hold. */
    static Condition negate(Condition part) {
        return e -> !part.test(e);
    }
}
