package io.trailhound.keying;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The keys raw records are partitioned and processed by: a CloudTrail record's durable principal, a GuardDuty finding's id.
 * The one implementation shared by the Connect transform that keys raw records at ingest and by the stream processor's
 * normalizer, so both always agree. Pure functions over Jackson trees; no Avro, so the connector plugin can carry it.
 */
public final class PrincipalKeys {

    /** The calls whose caller is an outside (federated) subject: keyed per role they federate into. */
    public static final String WEB_IDENTITY = "AssumeRoleWithWebIdentity";
    /** The SAML federation call. */
    public static final String SAML = "AssumeRoleWithSAML";

    private static final String SEP = "/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<Pattern> sharedRoles;

    /** @param sharedRoles role-name patterns whose session name names the person (SSO permission sets, SAML roles) */
    public PrincipalKeys(List<Pattern> sharedRoles) {
        this.sharedRoles = List.copyOf(sharedRoles);
    }

    /** Keys with {@code patterns} compiled as regular expressions; throws {@link java.util.regex.PatternSyntaxException}. */
    public static PrincipalKeys of(List<String> patterns) {
        return new PrincipalKeys(patterns.stream().map(String::trim).filter(p -> !p.isEmpty()).map(Pattern::compile).toList());
    }

    /**
     * The key of one raw record as the stream processor keys it: a GuardDuty finding (bare or in an EventBridge envelope) by
     * its id, a CloudTrail record (bare or in an envelope) by {@link #eventKey}; null when {@code root} is not a JSON object or
     * is a finding without id (the stream processor rejects both).
     */
    public String recordKey(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode record = unwrap(root);
        return isFinding(record) ? text(record, "id") : eventKey(record);
    }

    /** The record in {@code root}: the {@code detail} of an EventBridge envelope, else {@code root} itself. */
    public static JsonNode unwrap(JsonNode root) {
        JsonNode detail = root.path("detail");
        return detail.isObject() && root.has("detail-type") ? detail : root;
    }

    /** Whether {@code node} is a GuardDuty finding (not a CloudTrail record). */
    public static boolean isFinding(JsonNode node) {
        return node.has("type") && node.has("severity") && node.has("id") && !node.has("eventName")
                && (node.has("schemaVersion") || node.has("service") || node.has("resource"));
    }

    /**
     * The durable principal of a CloudTrail record: the subject's role for a successful federation call
     * ({@link #federationKey(JsonNode)}), else the principal of its {@code userIdentity} ({@link #identityKey}).
     */
    public String eventKey(JsonNode record) {
        String federation = federationKey(record);
        return federation != null ? federation : identityKey(record.get("userIdentity"), text(record, "recipientAccountId"));
    }

    /**
     * The durable principal of {@code userIdentity}: account + user ARN, account + role ARN for assumed roles (never the
     * per-session ARN), role ARN + session name for roles shared by many people; {@code recipientAccountId} stands in when
     * the identity names no account.
     */
    public String identityKey(JsonNode identity, String recipientAccountId) {
        JsonNode id = identity == null ? MissingNode.getInstance() : identity;
        String account = firstNonNull(text(id, "accountId"), recipientAccountId);
        String arn = text(id, "arn");
        String type = text(id, "type");
        String acct = nullToEmpty(account);
        switch (type == null ? "" : type) {
            case "AssumedRole":
                return assumedRole(id, arn, account);
            case "FederatedUser":
                String name = lastSegment(arn);
                return acct + SEP + nullToEmpty(firstNonNull(issuer(id, "arn"), arn)) + SEP + nullToEmpty(name);
            case "Root":
                return acct + SEP + firstNonNull(arn, "arn:aws:iam::" + acct + ":root");
            case "AWSService":
                return "service" + SEP + nullToEmpty(text(id, "invokedBy"));
            case "AWSAccount":
                return acct + SEP + "account:" + acct;
            case "IdentityCenterUser":
                return acct + SEP + "identity-center:" + nullToEmpty(text(id.path("onBehalfOf"), "userId"));
            default:
                return acct + SEP + (arn != null ? arn : "name:" + nullToEmpty(firstNonNull(text(id, "userName"), lastSegment(arn))));
        }
    }

    private String assumedRole(JsonNode id, String sessionArn, String account) {
        String roleArn = firstNonNull(issuer(id, "arn"), roleArnFromSession(sessionArn, account));
        String roleName = firstNonNull(issuer(id, "userName"), lastSegment(roleArn));
        String session = sessionName(sessionArn);
        String key = nullToEmpty(account) + SEP + nullToEmpty(roleArn);
        return roleName != null && session != null && isShared(roleName) ? key + SEP + session : key;
    }

    /** Whether sessions of the role named {@code roleName} are keyed apart (its session name names the person). */
    public boolean isShared(String roleName) {
        for (Pattern pattern : sharedRoles) {
            if (pattern.matcher(roleName).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The key of a successful AssumeRoleWithWebIdentity or AssumeRoleWithSAML that names its role, provider and subject: the
     * role's federation key ({@link #federationKey(String)}), so every subject of the role is learned in one place; null for
     * any other record.
     */
    public static String federationKey(JsonNode record) {
        String name = text(record, "eventName");
        boolean web = WEB_IDENTITY.equals(name);
        if (!web && !SAML.equals(name) || text(record, "errorCode") != null) {
            return null;
        }
        JsonNode request = record.get("requestParameters");
        JsonNode response = record.get("responseElements");
        String roleArn = firstText(request, "roleArn");
        String provider = web ? firstText(response, "provider") : firstText(request, "principalArn");
        String subject = web ? firstText(response, "subjectFromWebIdentityToken") : firstText(response, "subject");
        return roleArn == null || provider == null || subject == null ? null : federationKey(roleArn);
    }

    /** The key of a role's federation baseline: {@code <account>/federation:<roleArn>}. */
    public static String federationKey(String roleArn) {
        String account = accountOf(roleArn);
        return (account == null ? "" : account) + "/federation:" + roleArn;
    }

    /** The account field of an ARN, or null when it has none. */
    public static String accountOf(String arn) {
        String[] parts = arn.split(":");
        return parts.length >= 5 && !parts[4].isEmpty() ? parts[4] : null;
    }

    /** {@code arn:aws:sts::1:assumed-role/Name/session} becomes {@code arn:aws:iam::1:role/Name} (the role path is not in it). */
    public static String roleArnFromSession(String sessionArn, String account) {
        if (sessionArn == null || !sessionArn.contains(":assumed-role/")) {
            return sessionArn;
        }
        String[] parts = sessionArn.split(":", 6);
        String[] names = parts[5].split(SEP);
        String acct = parts[4].isEmpty() ? nullToEmpty(account) : parts[4];
        return "arn:" + parts[1] + ":iam::" + acct + ":role/" + names[1];
    }

    /** The session name of a role session ARN ({@code .../assumed-role/Name/session}), or null. */
    public static String sessionName(String sessionArn) {
        if (sessionArn == null) {
            return null;
        }
        String[] names = sessionArn.substring(sessionArn.lastIndexOf(':') + 1).split(SEP);
        return names.length >= 3 ? names[names.length - 1] : null;
    }

    /** What follows the last '/' of an ARN, or null. */
    public static String lastSegment(String arn) {
        if (arn == null) {
            return null;
        }
        int slash = arn.lastIndexOf('/');
        return slash >= 0 ? arn.substring(slash + 1) : null;
    }

    /**
     * The text of {@code node.field}, or null when absent, null, empty or a structure; numbers and booleans as text (how
     * CloudTrail's optional fields are read everywhere).
     */
    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isMissingNode() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }

    private static String issuer(JsonNode identity, String field) {
        return text(identity.path("sessionContext").path("sessionIssuer"), field);
    }

    /**
     * The first scalar at {@code node.field}, stepping into JSON text (CloudTrail writes some documents as strings) and over
     * arrays, as the rules read request and response fields.
     */
    private static String firstText(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<JsonNode> found = new ArrayList<>(1);
        step(expand(node), field, found);
        for (JsonNode n : found) {
            String s = firstScalar(n);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private static void step(JsonNode node, String field, List<JsonNode> out) {
        if (node.isArray()) {
            for (JsonNode element : node) {
                step(expand(element), field, out);
            }
            return;
        }
        JsonNode child = node.get(field);
        if (child != null && !child.isNull()) {
            out.add(child);
        }
    }

    private static String firstScalar(JsonNode node) {
        if (node.isArray()) {
            for (JsonNode element : node) {
                String s = firstScalar(element);
                if (s != null) {
                    return s;
                }
            }
            return null;
        }
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private static JsonNode expand(JsonNode node) {
        if (node.isTextual()) {
            String s = node.asText().trim();
            if (s.startsWith("{") || s.startsWith("[")) {
                try {
                    return MAPPER.readTree(s);
                } catch (JsonProcessingException e) {
                    return node;
                }
            }
        }
        return node;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
