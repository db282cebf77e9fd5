package io.trailhound.detect.normalize;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.keying.PrincipalKeys;

/**
 * Resolves CloudTrail's {@code userIdentity} to the durable identity baselines and alerts key on: account + user ARN, account +
 * role ARN for assumed roles (never the per-session ARN), role ARN + session name for roles shared by many people. The key
 * itself is {@link PrincipalKeys#identityKey}, the rules the ingest transform keys raw records with (#16).
 */
public final class PrincipalResolver {

    private final PrincipalKeys keys;

    /** @param sharedRoles role-name patterns whose session name names the person (SSO permission sets, SAML roles) */
    public PrincipalResolver(List<Pattern> sharedRoles) {
        this.keys = new PrincipalKeys(sharedRoles);
    }

    /** The keying rules this resolver keys principals with. */
    public PrincipalKeys keys() {
        return keys;
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
                .setSessionCreationTime(EventTimes.parse(JsonFields.text(attributes, "creationDate")).orElse(null))
                .setPrincipalKey(keys.identityKey(identity, recipientAccountId));
        String arn = JsonFields.text(id, "arn");
        switch (p.getType()) {
            case AssumedRole -> assumedRole(p, arn, JsonFields.text(issuer, "userName"), account);
            case FederatedUser -> federated(p, arn);
            case Root -> p.setArn(firstNonNull(arn, "arn:aws:iam::" + (account == null ? "" : account) + ":root")).setUserName("root");
            case AWSService -> p.setArn(null).setUserName(p.getInvokedBy());
            case AWSAccount -> p.setArn(arn);
            case IdentityCenterUser -> p.setArn(arn).setUserName(JsonFields.text(id.path("onBehalfOf"), "userId"));
            default -> p.setArn(arn);
        }
        if (p.getType() == PrincipalType.IAMUser || p.getType() == PrincipalType.Unknown) {
            p.setUserName(firstNonNull(JsonFields.text(id, "userName"), PrincipalKeys.lastSegment(arn)));
        }
        return p.build();
    }

    private static void assumedRole(Principal.Builder p, String sessionArn, String issuerName, String account) {
        String roleArn = firstNonNull(p.getSessionIssuerArn(), PrincipalKeys.roleArnFromSession(sessionArn, account));
        p.setSessionArn(sessionArn).setArn(roleArn).setUserName(firstNonNull(issuerName, PrincipalKeys.lastSegment(roleArn)))
                .setSessionName(PrincipalKeys.sessionName(sessionArn));
    }

    private static void federated(Principal.Builder p, String arn) {
        String name = PrincipalKeys.lastSegment(arn);
        p.setSessionArn(arn).setSessionName(name).setUserName(name).setArn(firstNonNull(p.getSessionIssuerArn(), arn));
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

    static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
