package io.trailhound.detect.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.trailhound.detect.environment.Organization;

/** Reads IAM and resource policy documents: who a policy lets in and whether it grants everything. */
final class ResourcePolicy {

    private static final Pattern ACCOUNT = Pattern.compile("(?:arn:aws[a-z-]*:(?:iam|sts)::)?(\\d{12})(?::.*)?");

    private ResourcePolicy() {
    }

    /** An Allow statement names {@code "*"} (or {@code {"AWS": "*"}}) as principal and has no Condition narrowing it. */
    static boolean allowsAnyone(JsonNode policy) {
        for (JsonNode st : statements(policy)) {
            if (isAllow(st) && !st.hasNonNull("Condition") && principals(st).contains("*")) {
                return true;
            }
        }
        return false;
    }

    /** An Allow statement names {@code "*"} as principal, whatever its conditions. */
    static boolean allowsWildcard(JsonNode policy) {
        for (JsonNode st : statements(policy)) {
            if (isAllow(st) && principals(st).contains("*")) {
                return true;
            }
        }
        return false;
    }

    /**
     * An Allow statement names a principal of a twelve-digit account other than {@code recipient} that is not a member of
     * {@code organization}.
     */
    static boolean allowsForeignAccount(JsonNode policy, String recipient, Organization organization) {
        for (JsonNode st : statements(policy)) {
            if (!isAllow(st)) {
                continue;
            }
            for (String p : principals(st)) {
                Matcher m = ACCOUNT.matcher(p);
                if (m.matches() && organization.isOutside(m.group(1), recipient)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code arnOrAccount} names a twelve-digit account (an ARN's account field, or the id itself) other than {@code recipient}. */
    static boolean isForeignAccount(String arnOrAccount, String recipient) {
        String[] parts = arnOrAccount.split(":");
        String account = parts.length >= 5 ? parts[4] : arnOrAccount;
        return isAccountId(account) && !account.equals(recipient);
    }

    /** {@code arnOrAccount} names a twelve-digit account other than {@code recipient} that is not a member of {@code organization}. */
    static boolean isOutsideOrganization(String arnOrAccount, String recipient, Organization organization) {
        String[] parts = arnOrAccount.split(":");
        String account = parts.length >= 5 ? parts[4] : arnOrAccount;
        return isAccountId(account) && organization.isOutside(account, recipient);
    }

    private static boolean isAccountId(String text) {
        if (text.length() != 12) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** An Allow statement grants action {@code *} on resource {@code *}. */
    static boolean allowsEverything(JsonNode policy) {
        for (JsonNode st : statements(policy)) {
            if (isAllow(st) && texts(st.path("Action")).contains("*") && texts(st.path("Resource")).contains("*")) {
                return true;
            }
        }
        return false;
    }

    private static List<JsonNode> statements(JsonNode policy) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode st = policy.path("Statement");
        if (st.isArray()) {
            st.forEach(out::add);
        } else if (st.isObject()) {
            out.add(st);
        }
        return out;
    }

    private static boolean isAllow(JsonNode st) {
        return "Allow".equalsIgnoreCase(st.path("Effect").asText());
    }

    private static List<String> principals(JsonNode st) {
        JsonNode p = st.path("Principal");
        if (p.isTextual()) {
            return List.of(p.asText());
        }
        List<String> out = new ArrayList<>();
        p.forEach(v -> out.addAll(texts(v)));
        return out;
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> out.add(v.asText()));
        } else if (node.isValueNode()) {
            out.add(node.asText());
        }
        return out;
    }
}
