package io.trailhound.detect.normalize;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;

/**
 * Resolves CloudTrail's {@code userIdentity} to the durable identity baselines and alerts key on: account + user ARN, account +
 * role ARN for assumed roles (never the per-session ARN), role ARN + session name for roles shared by many people.
 */
public final class PrincipalResolver {

    private static final String SEP = "/";

    private final List<Pattern> sharedRoles;

    /** @param sharedRoles role-name patterns whose session name names the person (SSO permission sets, SAML roles) */
    public PrincipalResolver(List<Pattern> sharedRoles) {
        this.sharedRoles = List.copyOf(sharedRoles);
    }

    /** The principal of {@code userIdentity}; {@code recipientAccountId} stands in when the identity names no account. */
    public Principal resolve(JsonNode identity, String recipientAccountId) {
        JsonNode id = identity == null ? JsonFields.MISSING : identity;
        String account = firstNonNull(JsonFields.text(id, "accountId"), recipientAccountId);
        JsonNode context = id.path("sessionContext");
        JsonNode issuer = context.path("sessionIssuer");
        JsonNode attributes = context.path("attributes");
        Principal.Builder p = Principal.newBuilder()
                .setType(type(JsonFields.text(id, "type")))
                .setAccountId(account)
                .setPrincipalId(JsonFields.text(id, "principalId"))
                .setAccessKeyId(JsonFields.text(id, "accessKeyId"))
                .setInvokedBy(JsonFields.text(id, "invokedBy"))
                .setSessionIssuerArn(JsonFields.text(issuer, "arn"))
                .setSourceIdentity(JsonFields.text(context, "sourceIdentity"))
                .setMfaAuthenticated(JsonFields.bool(attributes, "mfaAuthenticated"))
                .setSessionCreationTime(EventTimes.parse(JsonFields.text(attributes, "creationDate")).orElse(null));
        String arn = JsonFields.text(id, "arn");
        switch (p.getType()) {
            case AssumedRole -> assumedRole(p, arn, JsonFields.text(issuer, "userName"), account);
            case FederatedUser -> federated(p, arn, account);
            case Root -> keyed(p, account, firstNonNull(arn, "arn:aws:iam::" + nullToEmpty(account) + ":root"), "root");
            case AWSService -> p.setArn(null).setUserName(p.getInvokedBy())
                    .setPrincipalKey("service" + SEP + nullToEmpty(p.getInvokedBy()));
            case AWSAccount -> p.setArn(arn).setPrincipalKey(nullToEmpty(account) + SEP + "account:" + nullToEmpty(account));
            case IdentityCenterUser -> p.setArn(arn).setUserName(JsonFields.text(id.path("onBehalfOf"), "userId"))
                    .setPrincipalKey(nullToEmpty(account) + SEP + "identity-center:" + nullToEmpty(p.getUserName()));
            default -> keyed(p, account, arn, firstNonNull(JsonFields.text(id, "userName"), lastSegment(arn)));
        }
        if (p.getType() == PrincipalType.IAMUser || p.getType() == PrincipalType.Unknown) {
            p.setUserName(firstNonNull(JsonFields.text(id, "userName"), lastSegment(arn)));
        }
        return p.build();
    }

    private void assumedRole(Principal.Builder p, String sessionArn, String issuerName, String account) {
        String roleArn = firstNonNull(p.getSessionIssuerArn(), roleArnFromSession(sessionArn, account));
        String roleName = firstNonNull(issuerName, lastSegment(roleArn));
        String session = sessionName(sessionArn);
        p.setSessionArn(sessionArn).setArn(roleArn).setUserName(roleName).setSessionName(session);
        String key = nullToEmpty(account) + SEP + nullToEmpty(roleArn);
        if (roleName != null && session != null && isShared(roleName)) {
            key = key + SEP + session;
        }
        p.setPrincipalKey(key);
    }

    private static void federated(Principal.Builder p, String arn, String account) {
        String name = lastSegment(arn);
        p.setSessionArn(arn).setSessionName(name).setUserName(name)
                .setArn(firstNonNull(p.getSessionIssuerArn(), arn));
        p.setPrincipalKey(nullToEmpty(account) + SEP + nullToEmpty(p.getArn()) + SEP + nullToEmpty(name));
    }

    private static void keyed(Principal.Builder p, String account, String arn, String name) {
        p.setArn(arn).setUserName(name);
        p.setPrincipalKey(nullToEmpty(account) + SEP + (arn != null ? arn : "name:" + nullToEmpty(name)));
    }

    private boolean isShared(String roleName) {
        return sharedRoles.stream().anyMatch(pattern -> pattern.matcher(roleName).matches());
    }

    static PrincipalType type(String text) {
        if (text == null) {
            return PrincipalType.Unknown;
        }
        for (PrincipalType t : PrincipalType.values()) {
            if (t.name().equals(text)) {
                return t;
            }
        }
        return PrincipalType.Unknown;
    }

    /** {@code arn:aws:sts::1:assumed-role/Name/session} becomes {@code arn:aws:iam::1:role/Name} (the role path is not in it). */
    static String roleArnFromSession(String sessionArn, String account) {
        if (sessionArn == null || !sessionArn.contains(":assumed-role/")) {
            return sessionArn;
        }
        String[] parts = sessionArn.split(":", 6);
        String[] names = parts[5].split(SEP);
        String acct = parts[4].isEmpty() ? nullToEmpty(account) : parts[4];
        return "arn:" + parts[1] + ":iam::" + acct + ":role/" + names[1];
    }

    private static String sessionName(String sessionArn) {
        if (sessionArn == null) {
            return null;
        }
        String[] names = sessionArn.substring(sessionArn.lastIndexOf(':') + 1).split(SEP);
        return names.length >= 3 ? names[names.length - 1] : null;
    }

    static String lastSegment(String arn) {
        if (arn == null) {
            return null;
        }
        int slash = arn.lastIndexOf('/');
        return slash >= 0 ? arn.substring(slash + 1) : null;
    }

    static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
