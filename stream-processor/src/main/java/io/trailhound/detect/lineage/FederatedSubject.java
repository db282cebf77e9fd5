package io.trailhound.detect.lineage;

import java.util.Optional;

import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Principal;
import io.trailhound.detect.rules.EventView;
import io.trailhound.keying.PrincipalKeys;

/**
 * The outside identity behind an AssumeRoleWithWebIdentity or AssumeRoleWithSAML call (#18): the OIDC token's subject or the
 * SAML assertion's NameID, the provider that vouched for it and the namespace it belongs to. A federated subject is the root of
 * the chain of the role session it opens, and the role learns which subjects and namespaces it serves.
 *
 * @param provider  the IAM identity provider: the OIDC provider ({@code arn:aws:iam::1:oidc-provider/token.actions...}) or the
 *                  SAML provider ARN ({@code requestParameters.principalArn})
 * @param subject   {@code subjectFromWebIdentityToken} (e.g. {@code repo:acme/app:ref:refs/heads/main}) or the SAML
 *                  {@code subject} (NameID)
 * @param audience  the token's audience ({@code sts.amazonaws.com} for GitHub) or the SAML audience
 * @param owner     the organization a structured OIDC subject names (GitHub {@code repo:<owner>/...}, GitLab
 *                  {@code project_path:<group>/...}, Terraform Cloud {@code organization:<org>:...}), or empty
 * @param roleArn   the role assumed
 * @param account   the role's account
 */
public record FederatedSubject(String provider, String subject, String audience, String owner, String roleArn, String account) {

    /** The calls whose caller is a federated subject. */
    public static final String WEB_IDENTITY = PrincipalKeys.WEB_IDENTITY;
    /** The SAML federation call. */
    public static final String SAML = PrincipalKeys.SAML;

    /** The federated subject of {@code view}'s event, if it is a successful AssumeRoleWithWebIdentity or AssumeRoleWithSAML. */
    public static Optional<FederatedSubject> of(EventView view) {
        CloudTrailEvent e = view.event();
        boolean web = WEB_IDENTITY.equals(e.getEventName());
        if (!web && !SAML.equals(e.getEventName()) || e.getErrorCode() != null) {
            return Optional.empty();
        }
        String roleArn = view.text("requestParameters.roleArn");
        String provider = web ? view.text("responseElements.provider") : view.text("requestParameters.principalArn");
        String subject = web ? view.text("responseElements.subjectFromWebIdentityToken") : view.text("responseElements.subject");
        if (roleArn == null || provider == null || subject == null) {
            return Optional.empty();
        }
        String audience = view.text("responseElements.audience");
        return Optional.of(new FederatedSubject(provider, subject, audience == null ? "" : audience, web ? owner(subject) : "",
                roleArn, MintedCredential.accountOf(roleArn)));
    }

    /**
     * The subject's identity as a chain root: {@code <provider>:<subject>}. The provider ARN has no colon after its account
     * field, so its first six colon-separated fields are the provider and the rest is the subject.
     */
    public String id() {
        return provider + ":" + subject;
    }

    /**
     * What one trust relationship serves: provider, audience and, for structured OIDC subjects, the organization. A subject of
     * a namespace the role never served means its trust policy admits more than its owners use (a {@code sub} condition with a
     * wildcard across organizations, none at all, or another provider or audience added).
     */
    public String namespace() {
        return provider + "|" + audience + (owner.isEmpty() ? "" : "|" + owner);
    }

    /**
     * {@code caller} as this subject: its durable identity is the subject (the chain root, so every alert of the session it
     * opens leads back to it), and its events are keyed per role ({@code <account>/federation:<roleArn>}), so the role's
     * subjects and namespaces are learned in one place.
     */
    public Principal asPrincipal(Principal caller) {
        return Principal.newBuilder(caller)
                .setArn(id())
                .setUserName(subject)
                .setAccountId(account != null ? account : caller.getAccountId())
                .setPrincipalKey(principalKey())
                .build();
    }

    /** The key of the role's federation baseline. */
    public String principalKey() {
        return PrincipalKeys.federationKey(roleArn);
    }

    /** The key of this subject's own baseline for the role. */
    public String subjectKey() {
        return principalKey() + "/" + subject;
    }

    static String owner(String subject) {
        for (String prefix : new String[] {"repo:", "project_path:"}) {
            if (subject.startsWith(prefix)) {
                int slash = subject.indexOf('/', prefix.length());
                return slash > prefix.length() ? subject.substring(prefix.length(), slash) : "";
            }
        }
        if (subject.startsWith("organization:")) {
            int colon = subject.indexOf(':', "organization:".length());
            return colon > 0 ? subject.substring("organization:".length(), colon) : subject.substring("organization:".length());
        }
        return "";
    }
}
