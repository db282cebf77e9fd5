package io.trailhound.demo.sample;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An identity of the sample organization as CloudTrail's {@code userIdentity} shows it: an IAM user with its long-term key,
 * or a role session with its temporary key.
 *
 * @param type        IAMUser or AssumedRole
 * @param account     account that owns the identity
 * @param name        user name, or role name for sessions
 * @param principalId AIDA... for users, AROA... for roles
 * @param accessKeyId the key used (AKIA... or ASIA...)
 * @param sessionName role session name; null for users
 * @param mfa         whether the session was MFA-authenticated
 */
public record Identity(String type, String account, String name, String principalId, String accessKeyId, String sessionName,
        boolean mfa) {

    /** An IAM user calling with its long-term access key. */
    public static Identity user(String account, String name, String principalId, String accessKeyId) {
        return new Identity("IAMUser", account, name, principalId, accessKeyId, null, false);
    }

    /** A session of role {@code role} named {@code session}, calling with the temporary key {@code accessKeyId}. */
    public static Identity session(String account, String role, String roleId, String session, String accessKeyId) {
        return new Identity("AssumedRole", account, role, roleId, accessKeyId, session, false);
    }

    /** The same identity with another access key (a new role session). */
    public Identity withKey(String key, String session) {
        return new Identity(type, account, name, principalId, key, session, mfa);
    }

    /** The same identity, MFA-authenticated. */
    public Identity withMfa() {
        return new Identity(type, account, name, principalId, accessKeyId, sessionName, true);
    }

    /** The durable ARN: the user ARN, or the role ARN. */
    public String durableArn() {
        return "IAMUser".equals(type) ? "arn:aws:iam::" + account + ":user/" + name : roleArn(account, name);
    }

    /** {@code arn:aws:iam::<account>:role/<name>}. */
    public static String roleArn(String account, String name) {
        return "arn:aws:iam::" + account + ":role/" + name;
    }

    /** CloudTrail's {@code userIdentity} object for a call at {@code sessionCreated} (ISO time, used for sessions). */
    public ObjectNode toJson(String sessionCreated) {
        ObjectNode id = JsonNodeFactory.instance.objectNode();
        id.put("type", type);
        if ("IAMUser".equals(type)) {
            id.put("principalId", principalId);
            id.put("arn", durableArn());
            id.put("accountId", account);
            id.put("accessKeyId", accessKeyId);
            id.put("userName", name);
            if (mfa) {
                id.putObject("sessionContext").putObject("attributes").put("creationDate", sessionCreated).put("mfaAuthenticated", "true");
            }
            return id;
        }
        id.put("principalId", principalId + ":" + sessionName);
        id.put("arn", "arn:aws:sts::" + account + ":assumed-role/" + name + "/" + sessionName);
        id.put("accountId", account);
        id.put("accessKeyId", accessKeyId);
        ObjectNode context = id.putObject("sessionContext");
        ObjectNode issuer = context.putObject("sessionIssuer");
        issuer.put("type", "Role");
        issuer.put("principalId", principalId);
        issuer.put("arn", roleArn(account, name));
        issuer.put("accountId", account);
        issuer.put("userName", name);
        context.putObject("webIdFederationData");
        context.putObject("attributes").put("creationDate", sessionCreated).put("mfaAuthenticated", String.valueOf(mfa));
        return id;
    }
}
