package io.trailhound.respond.runbook;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Narrows a role's trust policy to the federated subjects it served before (#18 item 5): in every statement that lets the
 * identity provider's web identities or SAML assertions assume the role, the subject condition ({@code <provider host>:sub}
 * for OIDC, {@code SAML:sub} for SAML) becomes {@code StringEquals} on exactly those subjects, replacing whatever the
 * statement had on that key (a {@code StringLike} wildcard, another list); other conditions (the audience) and every other
 * statement stay as they are. Also the diff an approver reads.
 */
public final class TrustPolicies {

    /** Step parameters of the narrowing: the identity provider's ARN and the subjects to keep (a JSON list). */
    public static final String PROVIDER = "Provider";
    public static final String SUBJECTS = "Subjects";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> FEDERATED_ACTIONS = List.of("sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML");

    private TrustPolicies() {
    }

    /** The condition key naming the subject for {@code providerArn}: {@code SAML:sub}, or {@code <host/path>:sub}. */
    public static String subjectKey(String providerArn) {
        if (providerArn.contains(":saml-provider/")) {
            return "SAML:sub";
        }
        return providerArn.substring(providerArn.indexOf(":oidc-provider/") + ":oidc-provider/".length()) + ":sub";
    }

    /** Whether {@code arn} is an IAM identity provider (OIDC or SAML), the first part of a federated chain root. */
    public static boolean isProvider(String arn) {
        return arn.contains(":oidc-provider/") || arn.contains(":saml-provider/");
    }

    /**
     * {@code policy} narrowed to {@code subjects} for {@code providerArn}, as compact JSON; empty when no statement trusts
     * that provider (nothing to narrow).
     */
    public static Optional<String> narrow(String policy, String providerArn, List<String> subjects) {
        ObjectNode root = (ObjectNode) read(policy);
        JsonNode statements = root.path("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else if (statements.isObject()) {
            list.add(statements);
        }
        boolean found = false;
        for (JsonNode statement : list) {
            if (trustsProvider(statement, providerArn)) {
                restrict((ObjectNode) statement, subjectKey(providerArn), subjects);
                found = true;
            }
        }
        return found ? Optional.of(root.toString()) : Optional.empty();
    }

    private static boolean trustsProvider(JsonNode statement, String providerArn) {
        if (!"Allow".equals(statement.path("Effect").asText())) {
            return false;
        }
        boolean federatedAction = texts(statement.path("Action")).stream().anyMatch(FEDERATED_ACTIONS::contains);
        return federatedAction && texts(statement.path("Principal").path("Federated")).contains(providerArn);
    }

    private static void restrict(ObjectNode statement, String key, List<String> subjects) {
        ObjectNode condition = statement.has("Condition") && statement.get("Condition").isObject()
            ? (ObjectNode) statement.get("Condition") : statement.putObject("Condition");
        Iterator<Map.Entry<String, JsonNode>> operators = condition.fields();
        List<String> emptied = new ArrayList<>();
        while (operators.hasNext()) {
            Map.Entry<String, JsonNode> operator = operators.next();
            if (operator.getValue().isObject()) {
                ObjectNode keys = (ObjectNode) operator.getValue();
                List<String> matching = new ArrayList<>();
                keys.fieldNames().forEachRemaining(k -> {
                    if (k.equalsIgnoreCase(key)) {
                        matching.add(k);
                    }
                });
                keys.remove(matching);
                if (keys.isEmpty()) {
                    emptied.add(operator.getKey());
                }
            }
        }
        condition.remove(emptied);
        ObjectNode equals = condition.has("StringEquals") && condition.get("StringEquals").isObject()
            ? (ObjectNode) condition.get("StringEquals") : condition.putObject("StringEquals");
        ArrayNode values = equals.putArray(key);
        subjects.stream().sorted().distinct().forEach(values::add);
    }

    /**
     * A line diff of two policies, each pretty-printed: lines only in {@code before} start with {@code "- "}, only in
     * {@code after} with {@code "+ "}, common ones with two spaces.
     */
    public static String diff(String before, String after) {
        List<String> a = pretty(before).lines().toList();
        List<String> b = pretty(after).lines().toList();
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.append("  ").append(a.get(i++)).append('\n');
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.append("+ ").append(b.get(j++)).append('\n');
            } else {
                out.append("- ").append(a.get(i++)).append('\n');
            }
        }
        return out.toString();
    }

    /** {@code policy} pretty-printed (two-space indent), as an approver reads it. */
    public static String pretty(String policy) {
        try {
            return PRETTY.writeValueAsString(read(policy));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a policy document", e);
        }
    }

    /** Whether two policy documents are the same JSON. */
    public static boolean same(String a, String b) {
        return read(a).equals(read(b));
    }

    private static JsonNode read(String policy) {
        try {
            JsonNode node = MAPPER.readTree(policy);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a policy document: " + policy);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a policy document", e);
        }
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
