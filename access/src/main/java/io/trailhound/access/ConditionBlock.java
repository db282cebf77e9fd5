package io.trailhound.access;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A statement's {@code Condition} element. A test is decided only when the request context knows its key (the caller's ARN,
 * account, type, tags, organization when configured, the service a role is passed to); any other key makes the statement a
 * {@link Match.Kind#MAYBE} naming the key, never a silent yes or no.
 */
record ConditionBlock(List<Test> tests) {

    /** One operator applied to one key with its values. */
    record Test(String operator, String key, List<String> values) {
    }

    ConditionBlock {
        tests = List.copyOf(tests);
    }

    static ConditionBlock parse(JsonNode node, String where) {
        List<Test> tests = new ArrayList<>();
        if (node == null || node.isNull()) {
            return new ConditionBlock(tests);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> ops = node.fields(); ops.hasNext();) {
            Map.Entry<String, JsonNode> op = ops.next();
            if (!op.getValue().isObject()) {
                throw new IllegalArgumentException(where + "." + op.getKey() + ": must be an object of keys");
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext();) {
                Map.Entry<String, JsonNode> key = keys.next();
                List<String> values = new ArrayList<>();
                JsonNode value = key.getValue();
                if (value.isArray()) {
                    value.forEach(v -> values.add(v.asText()));
                } else {
                    values.add(value.asText());
                }
                tests.add(new Test(op.getKey(), key.getKey(), values));
            }
        }
        return new ConditionBlock(tests);
    }

    /** Every test must hold; {@code context} maps lower-case keys to the values the snapshot knows. */
    Match evaluate(Map<String, String> context) {
        Match all = Match.YES;
        for (Test test : tests) {
            all = all.and(evaluate(test, context));
        }
        return all;
    }

    private static Match evaluate(Test test, Map<String, String> context) {
        String value = context.get(test.key().toLowerCase(Locale.ROOT));
        if (value == null) {
            return Match.maybe(test.key());
        }
        String op = test.operator();
        int colon = op.indexOf(':');
        if (colon >= 0) {
            op = op.substring(colon + 1);
        }
        if (op.endsWith("IfExists")) {
            op = op.substring(0, op.length() - "IfExists".length());
        }
        Boolean result = decide(op, value, test.values());
        return result == null ? Match.maybe(test.operator() + " " + test.key()) : Match.of(result);
    }

    /** The operator's answer for a known single value, or null for an operator this evaluator does not decide. */
    private static Boolean decide(String op, String value, List<String> values) {
        return switch (op) {
            case "StringEquals", "ArnEquals", "Bool" -> values.stream().anyMatch(value::equals);
            case "StringNotEquals", "ArnNotEquals" -> values.stream().noneMatch(value::equals);
            case "StringEqualsIgnoreCase" -> values.stream().anyMatch(value::equalsIgnoreCase);
            case "StringNotEqualsIgnoreCase" -> values.stream().noneMatch(value::equalsIgnoreCase);
            case "StringLike", "ArnLike" -> values.stream().anyMatch(p -> Glob.matches(p, value, false));
            case "StringNotLike", "ArnNotLike" -> values.stream().noneMatch(p -> Glob.matches(p, value, false));
            case "Null" -> values.contains("false");
            default -> null;
        };
    }

    /** The keys this block tests, for reports. */
    List<String> keys() {
        return tests.stream().map(Test::key).distinct().toList();
    }

    boolean isEmpty() {
        return tests.isEmpty();
    }
}
