package io.trailhound.detect.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** One field test of a rule: the values at {@code path} compared by {@code op} against {@code value} or {@code values}. */
final class FieldTest implements Condition {

    private final String path;
    private final Operator op;
    private final List<String> expected;
    private final List<Pattern> patterns;

    private FieldTest(String path, Operator op, List<String> expected) {
        this.path = path;
        this.op = op;
        this.expected = List.copyOf(expected);
        this.patterns = op == Operator.REGEX ? expected.stream().map(Pattern::compile).toList() : List.of();
    }

    static FieldTest parse(JsonNode node) {
        String path = node.path("path").asText();
        Operator op = node.has("op") ? Operator.of(node.path("op").asText()) : Operator.EQ;
        JsonNode value = node.has("values") ? node.get("values") : node.get("value");
        return of(path, op, value);
    }

    static FieldTest of(String path, Operator op, JsonNode value) {
        List<String> expected = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(v -> expected.add(v.asText()));
        } else if (value != null && !value.isNull()) {
            expected.add(value.asText());
        }
        if (expected.isEmpty() && needsValue(op)) {
            throw new IllegalArgumentException("operator " + op + " on '" + path + "' needs a value");
        }
        return new FieldTest(path, op, expected);
    }

    private static boolean needsValue(Operator op) {
        return switch (op) {
            case EXISTS, ABSENT, PUBLIC_POLICY, WILDCARD_PRINCIPAL, FOREIGN_POLICY, ADMIN_POLICY, FOREIGN_ACCOUNT,
                 OUTSIDE_ORGANIZATION -> false;
            default -> true;
        };
    }

    @Override
    public boolean test(EventView event) {
        List<JsonNode> values = event.values(path);
        if (op == Operator.ABSENT) {
            for (JsonNode v : values) {
                if (!v.isNull() && !v.isMissingNode()) {
                    return false;
                }
            }
            return true;
        }
        for (JsonNode v : values) {
            if (holds(event, v)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one value at the path satisfies the test (any value satisfying it is enough, except for ABSENT). */
    private boolean holds(EventView event, JsonNode v) {
        return switch (op) {
            case EXISTS -> !v.isNull() && !v.isMissingNode();
            case PUBLIC_POLICY -> ResourcePolicy.allowsAnyone(EventView.expand(v));
            case WILDCARD_PRINCIPAL -> ResourcePolicy.allowsWildcard(EventView.expand(v));
            case FOREIGN_POLICY -> ResourcePolicy.allowsForeignAccount(EventView.expand(v), event.text("recipientAccountId"),
                    event.environment().organization());
            case OUTSIDE_ORGANIZATION -> ResourcePolicy.isOutsideOrganization(v.asText(), event.text("recipientAccountId"),
                    event.environment().organization());
            case FOREIGN_ACCOUNT -> ResourcePolicy.isForeignAccount(v.asText(), event.text("recipientAccountId"));
            case ADMIN_POLICY -> ResourcePolicy.allowsEverything(EventView.expand(v));
            case NE_FIELD -> compareField(event, v, false);
            case EQ_FIELD -> compareField(event, v, true);
            default -> v.isValueNode() && matches(v);
        };
    }

    private boolean compareField(EventView event, JsonNode v, boolean equal) {
        String other = event.text(expected.get(0));
        return v.isValueNode() && (other != null && v.asText().equals(other)) == equal;
    }

    private boolean matches(JsonNode node) {
        String v = node.asText();
        return switch (op) {
            case EQ -> expected.contains(v);
            case IEQ -> anyExpected(v::equalsIgnoreCase);
            case CONTAINS -> {
                String lower = v.toLowerCase(Locale.ROOT);
                yield anyExpected(e -> lower.contains(e.toLowerCase(Locale.ROOT)));
            }
            case PREFIX -> anyExpected(v::startsWith);
            case SUFFIX -> anyExpected(v::endsWith);
            case REGEX -> {
                for (Pattern p : patterns) {
                    if (p.matcher(v).matches()) {
                        yield true;
                    }
                }
                yield false;
            }
            case GTE -> node.isNumber() || isNumber(v) ? Double.parseDouble(v) >= Double.parseDouble(expected.get(0)) : false;
            default -> false;
        };
    }

    private boolean anyExpected(Predicate<String> test) {
        for (String e : expected) {
            if (test.test(e)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
