package io.trailhound.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A small evaluator of IAM identity policies and a permissions boundary, for the subset Trailhound's documents use, until
 * the access-graph issue's evaluator exists. It follows IAM's documented logic for one principal's identity-based policies:
 * an explicit Deny in any policy (boundary included) wins; otherwise the request is allowed only when an identity policy
 * and the boundary (when there is one) both allow it; otherwise it is implicitly denied. Statements: {@code Effect},
 * {@code Action}/{@code NotAction} and {@code Resource}/{@code NotResource} with {@code *} and {@code ?} wildcards (actions
 * case-insensitive, resources case-sensitive, a wildcard spanning {@code :} and {@code /}), and {@code Condition} with the
 * operators {@code StringEquals}, {@code StringNotEquals}, {@code StringEqualsIgnoreCase}, {@code StringLike},
 * {@code StringNotLike}, {@code ArnEquals}, {@code ArnLike}, {@code ArnNotEquals}, {@code ArnNotLike}, {@code Bool},
 * {@code Null}, the {@code ForAllValues:}/{@code ForAnyValue:} qualifiers and the {@code IfExists} suffix; condition keys
 * are case-insensitive. An operator outside this subset throws, so a document using one cannot pass a test by accident.
 * Not modelled: SCPs, resource policies, session policies, policy variables, ARN matching segment by segment.
 */
final class PolicyEvaluator {

    /** What IAM decides for a request. */
    enum Decision { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    /** One authorization: an action on one resource, with the request context's condition keys (multi-valued). */
    record Request(String action, String resource, Map<String, List<String>> context) {

        Request {
            Map<String, List<String>> keys = new HashMap<>();
            context.forEach((key, values) -> keys.put(key.toLowerCase(Locale.ROOT), List.copyOf(values)));
            context = Map.copyOf(keys);
        }

        static Request of(String action, String resource) {
            return new Request(action, resource, Map.of());
        }

        /** This request with condition key {@code key} set to {@code values}. */
        Request with(String key, String... values) {
            Map<String, List<String>> more = new HashMap<>(context);
            more.put(key.toLowerCase(Locale.ROOT), List.of(values));
            return new Request(action, resource, more);
        }

        /** This request on a resource carrying tag {@code key=value} ({@code aws:ResourceTag/key}). */
        Request tagged(String key, String value) {
            return with("aws:ResourceTag/" + key, value);
        }

        List<String> values(String key) {
            return context.get(key.toLowerCase(Locale.ROOT));
        }
    }

    private final List<JsonNode> identityPolicies;
    private final JsonNode boundary;

    /**
     * @param identityPolicies the principal's identity-based policies
     * @param boundary         its permissions boundary, or {@code null} when it has none
     */
    PolicyEvaluator(List<JsonNode> identityPolicies, JsonNode boundary) {
        this.identityPolicies = List.copyOf(identityPolicies);
        this.boundary = boundary;
    }

    Decision evaluate(Request request) {
        List<JsonNode> all = new ArrayList<>(identityPolicies);
        if (boundary != null) {
            all.add(boundary);
        }
        if (all.stream().anyMatch(policy -> anyMatching(policy, "Deny", request))) {
            return Decision.EXPLICIT_DENY;
        }
        boolean identity = identityPolicies.stream().anyMatch(policy -> anyMatching(policy, "Allow", request));
        boolean bounded = boundary == null || anyMatching(boundary, "Allow", request);
        return identity && bounded ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    boolean allows(Request request) {
        return evaluate(request) == Decision.ALLOW;
    }

    private static boolean anyMatching(JsonNode policy, String effect, Request request) {
        JsonNode statements = policy.get("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else {
            list.add(statements);
        }
        return list.stream().anyMatch(s -> effect.equals(s.get("Effect").asText()) && matches(s, request));
    }

    /** Whether {@code statement} applies to {@code request} (its effect aside). */
    static boolean matches(JsonNode statement, Request request) {
        boolean action = statement.has("Action") ? anyWildcard(statement.get("Action"), request.action(), true)
            : !anyWildcard(required(statement, "NotAction"), request.action(), true);
        boolean resource = statement.has("Resource") ? anyWildcard(statement.get("Resource"), request.resource(), false)
            : !anyWildcard(required(statement, "NotResource"), request.resource(), false);
        return action && resource && conditions(statement.get("Condition"), request);
    }

    private static JsonNode required(JsonNode statement, String field) {
        JsonNode node = statement.get(field);
        if (node == null) {
            throw new IllegalArgumentException("statement without Action/NotAction or Resource/NotResource: " + statement);
        }
        return node;
    }

    private static boolean anyWildcard(JsonNode patterns, String value, boolean ignoreCase) {
        return strings(patterns).stream().anyMatch(p -> wildcard(p, value, ignoreCase));
    }

    /** IAM's wildcard match: {@code *} any run of characters, {@code ?} one character, the whole value. */
    static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(regex.toString(), flags).matcher(value).matches();
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    private static boolean conditions(JsonNode block, Request request) {
        if (block == null) {
            return true;
        }
        var operators = block.fields();
        while (operators.hasNext()) {
            var operator = operators.next();
            var keys = operator.getValue().fields();
            while (keys.hasNext()) {
                var key = keys.next();
                if (!condition(operator.getKey(), request.values(key.getKey()), strings(key.getValue()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The condition operators modelled, without qualifier, negation or {@code IfExists}. */
    private static final List<String> OPERATORS = List.of("StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals",
        "ArnLike", "Bool", "Null");

    /** A condition operator taken apart: {@code ForAllValues:StringNotLikeIfExists} and the like. */
    private record Operator(String qualifier, String base, boolean negated, boolean ifExists) {

        static Operator parse(String operator) {
            String op = operator;
            String qualifier = "";
            if (op.startsWith("ForAllValues:") || op.startsWith("ForAnyValue:")) {
                qualifier = op.substring(0, op.indexOf(':'));
                op = op.substring(op.indexOf(':') + 1);
            }
            boolean ifExists = op.endsWith("IfExists");
            op = ifExists ? op.substring(0, op.length() - "IfExists".length()) : op;
            boolean negated = op.contains("Not") && !"Null".equals(op);
            String base = op.replace("Not", "");
            if (!OPERATORS.contains(base) || "Null".equals(op) && (ifExists || !qualifier.isEmpty())) {
                throw new IllegalArgumentException("condition operator not modelled: " + operator);
            }
            return new Operator(qualifier, base, negated, ifExists);
        }
    }

    /** One condition: {@code operator} over the request's values of a key ({@code null} when absent) and the policy's. */
    static boolean condition(String operator, List<String> requestValues, List<String> policyValues) {
        Operator op = Operator.parse(operator);
        boolean absent = requestValues == null || requestValues.isEmpty();
        if ("Null".equals(op.base())) {
            return policyValues.stream().anyMatch(v -> Boolean.parseBoolean(v) == absent);
        }
        if (absent) {
            return switch (op.qualifier()) {
                case "ForAllValues" -> true;
                case "ForAnyValue" -> false;
                default -> op.ifExists() || op.negated();
            };
        }
        return switch (op.qualifier()) {
            case "ForAllValues" -> requestValues.stream().allMatch(v -> matchesAny(op.base(), v, policyValues) != op.negated());
            case "ForAnyValue" -> requestValues.stream().anyMatch(v -> matchesAny(op.base(), v, policyValues) != op.negated());
            default -> requestValues.stream().anyMatch(v -> matchesAny(op.base(), v, policyValues)) != op.negated();
        };
    }

    private static boolean matchesAny(String operator, String value, List<String> policyValues) {
        return policyValues.stream().anyMatch(p -> switch (operator) {
            case "StringEquals" -> p.equals(value);
            case "StringEqualsIgnoreCase" -> p.equalsIgnoreCase(value);
            // IAM's ArnEquals takes wildcards as ArnLike does
            case "StringLike", "ArnLike", "ArnEquals" -> wildcard(p, value, false);
            case "Bool" -> Boolean.parseBoolean(p) == Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException("condition operator not modelled: " + operator);
        });
    }
}
