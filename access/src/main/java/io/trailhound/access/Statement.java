package io.trailhound.access;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One statement of a policy. Exactly one of {@code actions}/{@code notActions} is non-null, at most one of
 * {@code resources}/{@code notResources} (trust policies have neither), at most one of {@code principal}/{@code notPrincipal}.
 */
record Statement(int index, String sid, boolean allow, List<String> actions, List<String> notActions, List<String> resources,
                 List<String> notResources, PrincipalBlock principal, PrincipalBlock notPrincipal, ConditionBlock condition) {

    /** Parses statement {@code index}; {@code where} names the file and field for a one-line error. */
    static Statement parse(JsonNode node, int index, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": a statement must be an object");
        }
        String effect = text(node, "Effect", where);
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new IllegalArgumentException(where + ".Effect: must be Allow or Deny, was " + effect);
        }
        List<String> actions = node.has("Action") ? strings(node.get("Action"), where + ".Action") : null;
        List<String> notActions = node.has("NotAction") ? strings(node.get("NotAction"), where + ".NotAction") : null;
        if ((actions == null) == (notActions == null)) {
            throw new IllegalArgumentException(where + ": exactly one of Action and NotAction is required");
        }
        JsonNode sid = node.get("Sid");
        return new Statement(index, sid == null ? null : sid.asText(), "Allow".equals(effect), actions, notActions,
            node.has("Resource") ? strings(node.get("Resource"), where + ".Resource") : null,
            node.has("NotResource") ? strings(node.get("NotResource"), where + ".NotResource") : null,
            PrincipalBlock.parse(node.get("Principal"), where + ".Principal"),
            PrincipalBlock.parse(node.get("NotPrincipal"), where + ".NotPrincipal"),
            ConditionBlock.parse(node.get("Condition"), where + ".Condition"));
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + "." + field + ": missing or not a string");
        }
        return value.asText();
    }

    /** A string or an array of strings as a list; anything else is an error naming {@code where}. */
    static List<String> strings(JsonNode node, String where) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isTextual()) {
            out.add(node.asText());
            return out;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + ": must be a string or an array of strings");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException(where + ": must be a string or an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** Whether the statement's Action/NotAction covers {@code action} (case-insensitive, wildcards). */
    boolean coversAction(String action) {
        if (actions != null) {
            return actions.stream().anyMatch(p -> Glob.matches(p, action, true));
        }
        return notActions.stream().noneMatch(p -> Glob.matches(p, action, true));
    }

    /**
     * Whether the statement's Resource/NotResource covers {@code resource}. A null resource means "some resource of
     * {@code service}": an Allow covers it when it may cover one of them, a Deny only when it covers all of them.
     */
    Match coversResource(String resource, String service) {
        if (resources == null && notResources == null) {
            return Match.YES;
        }
        List<String> patterns = resources != null ? resources : notResources;
        boolean negated = resources == null;
        if (resource == null) {
            return coversSomeOrAll(patterns, negated, service);
        }
        Match any = Match.NO;
        for (String pattern : patterns) {
            if (pattern.contains("${")) {
                any = any.or(Match.maybe("policy-variable " + pattern));
            } else if (Glob.matches(pattern, resource, false)) {
                any = Match.YES;
            }
        }
        if (!negated) {
            return any;
        }
        return any.isYes() ? Match.NO : any.isNo() ? Match.YES : any;
    }

    /**
     * For "some resource of the service": an Allow covers it when it may cover one of them. A Deny covers it when it covers all
     * of them; one that covers only some (a resource-scoped Deny, or a NotResource listing some) may cover the one an attacker
     * would use, so it is a MAYBE naming its resources, never silently ignored.
     */
    private Match coversSomeOrAll(List<String> patterns, boolean negated, String service) {
        boolean someOfService = patterns.stream().anyMatch(p -> "*".equals(p) || serviceOf(p, service));
        boolean allOfService = patterns.stream().anyMatch(p -> "*".equals(p) || wholeService(p, service));
        if (allow) {
            return Match.of(negated ? !allOfService : someOfService);
        }
        if (negated ? allOfService : !someOfService) {
            return Match.NO;
        }
        if (negated ? !someOfService : allOfService) {
            return Match.YES;
        }
        return Match.maybe("resource-scoped Deny on " + String.join(", ", patterns));
    }

    private static boolean serviceOf(String pattern, String service) {
        String[] parts = pattern.split(":", 6);
        return parts.length >= 3 && Glob.matches(parts[2], service, true);
    }

    private static boolean wholeService(String pattern, String service) {
        String[] parts = pattern.split(":", 6);
        if (parts.length < 6 || !Glob.matches(parts[2], service, true)) {
            return false;
        }
        return "*".equals(parts[3]) && "*".equals(parts[4]) && "*".equals(parts[5]);
    }
}
