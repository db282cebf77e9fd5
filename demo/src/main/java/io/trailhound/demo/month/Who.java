package io.trailhound.demo.month;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A caller as CloudTrail's {@code userIdentity} shows it: an IAM user (access key or console session), a role session (with
 * its issuer, MFA flag, creation time and, for instance profiles, {@code ec2RoleDelivery}), an AWS service, or a federated
 * user before its role session exists (WebIdentityUser, SAMLUser, Identity Center's Unknown).
 *
 * @param type        IAMUser, AssumedRole, AWSService, WebIdentityUser, SAMLUser or Unknown
 * @param account     account of the identity ({@code null} for AWSService)
 * @param name        user name, role name, service host or federated user name
 * @param principalId AIDA... for users, AROA... for roles, provider-specific for federated users
 * @param accessKeyId key of the call; {@code null} when the record shows none
 * @param session     role session name, or the identity provider ARN for federated users
 * @param mfa         whether the session was MFA-authenticated
 * @param created     session creation time; {@code null} for calls with a long-term key
 * @param context     extra session facts: "ec2" (instance profile), "web:PROVIDER_ARN" (web identity), or {@code null}
 */
record Who(String type, String account, String name, String principalId, String accessKeyId, String session, boolean mfa,
           Instant created, String context) {

    static Who user(String account, String name, String userId, String key) {
        return new Who("IAMUser", account, name, userId, key, null, false, null, null);
    }

    static Who role(String account, String role, String roleId, String session, String key, Instant created) {
        return new Who("AssumedRole", account, role, roleId, key, session, false, created, null);
    }

    static Who service(String host) {
        return new Who("AWSService", null, host, null, null, null, false, null, null);
    }

    static Who webIdentity(String providerArn, String subject) {
        return new Who("WebIdentityUser", null, subject, providerArn + ":sts.amazonaws.com:" + subject, null, providerArn, false,
            null, null);
    }

    static Who saml(String providerArn, String idpId, String email) {
        return new Who("SAMLUser", null, email, idpId + ":" + email, null, providerArn, false, null, null);
    }

    /** An Identity Center user signing in to the access portal, before any AWS credentials exist. */
    static Who identityCenter(String userId, String email) {
        return new Who("Unknown", Org.MANAGEMENT, email, userId, "", null, false, null, null);
    }

    Who withMfa() {
        return new Who(type, account, name, principalId, accessKeyId, session, true, created, context);
    }

    /** A console (or other) session of this user or role, with its temporary key. */
    Who session(String key, Instant since) {
        return new Who(type, account, name, principalId, key, session, mfa, since, context);
    }

    Who withContext(String value) {
        return new Who(type, account, name, principalId, accessKeyId, session, mfa, created, value);
    }

    String arn() {
        return switch (type) {
            case "IAMUser" -> Org.userArn(account, name);
            case "AssumedRole" -> "arn:aws:sts::" + account + ":assumed-role/" + name + "/" + session;
            default -> "";
        };
    }

    ObjectNode json() {
        ObjectNode id = JsonNodeFactory.instance.objectNode();
        id.put("type", type);
        switch (type) {
            case "AWSService" -> id.put("invokedBy", name);
            case "WebIdentityUser", "SAMLUser" -> {
                id.put("principalId", principalId);
                id.put("userName", name);
                id.put("identityProvider", session);
            }
            case "Unknown" -> {
                id.put("principalId", principalId);
                id.put("arn", "");
                id.put("accountId", account);
                id.put("accessKeyId", "");
                id.put("userName", name);
            }
            case "IAMUser" -> user(id);
            default -> roleSession(id);
        }
        return id;
    }

    private void user(ObjectNode id) {
        id.put("principalId", principalId);
        id.put("arn", arn());
        id.put("accountId", account);
        if (accessKeyId != null) {
            id.put("accessKeyId", accessKeyId);
        }
        id.put("userName", name);
        if (created != null) {
            ObjectNode context = id.putObject("sessionContext");
            context.putObject("sessionIssuer");
            context.putObject("webIdFederationData");
            context.putObject("attributes").put("creationDate", created.toString()).put("mfaAuthenticated", String.valueOf(mfa));
        }
    }

    private void roleSession(ObjectNode id) {
        id.put("principalId", principalId + ":" + session);
        id.put("arn", arn());
        id.put("accountId", account);
        id.put("accessKeyId", accessKeyId);
        ObjectNode ctx = id.putObject("sessionContext");
        ObjectNode issuer = ctx.putObject("sessionIssuer");
        issuer.put("type", "Role");
        issuer.put("principalId", principalId);
        issuer.put("arn", issuerArn());
        issuer.put("accountId", account);
        issuer.put("userName", name);
        ObjectNode web = ctx.putObject("webIdFederationData");
        if (context != null && context.startsWith("web:")) {
            web.put("federatedProvider", context.substring(4));
            web.putObject("attributes");
        }
        ctx.putObject("attributes").put("creationDate", created.toString()).put("mfaAuthenticated", String.valueOf(mfa));
        if ("ec2".equals(context)) {
            ctx.put("ec2RoleDelivery", "2.0");
        }
    }

    /** The role's ARN with its path: Identity Center and service-linked roles live under reserved paths. */
    String issuerArn() {
        if (name.startsWith("AWSReservedSSO_")) {
            return "arn:aws:iam::" + account + ":role/aws-reserved/sso.amazonaws.com/" + name;
        }
        if (name.startsWith("AWSServiceRoleFor")) {
            return "arn:aws:iam::" + account + ":role/aws-service-role/" + serviceOfLinkedRole() + "/" + name;
        }
        return Org.roleArn(account, name);
    }

    private String serviceOfLinkedRole() {
        return switch (name) {
            case "AWSServiceRoleForAutoScaling" -> "autoscaling.amazonaws.com";
            case "AWSServiceRoleForConfig" -> "config.amazonaws.com";
            default -> name.substring("AWSServiceRoleFor".length()).toLowerCase(Locale.ROOT) + ".amazonaws.com";
        };
    }
}
