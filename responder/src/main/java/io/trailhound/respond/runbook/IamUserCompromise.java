package io.trailhound.respond.runbook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;

/**
 * Credential compromise of an IAM user: record the user's credentials, deactivate access keys, deny every token issued
 * before now, remove console access, and deactivate SSH keys, service-specific credentials and signing certificates.
 */
public final class IamUserCompromise implements Runbook {

    public static final String ID = "iam-user-compromise";

    private final RunbookSettings settings;

    public IamUserCompromise(RunbookSettings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Step> plan(Alert alert, Instant now) {
        Principal principal = alert.getPrincipal();
        if (principal != null && principal.getType() == PrincipalType.Root) {
            return Escalation.toHuman("arn:" + Arns.partition(alert) + ":iam::" + alert.getAccountId() + ":root",
                "root credentials cannot be contained by automation; rotate them and review MFA by hand");
        }
        String userName = userName(alert);
        if (userName == null) {
            return Escalation.toHuman("account/" + alert.getAccountId(), "the alert names no IAM user to contain");
        }
        String user = Arns.user(alert, userName);
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of("record-credentials", Phase.EVIDENCE, AwsAction.IAM_LIST_ACCESS_KEYS, user, Map.of("UserName", userName)));
        steps.add(Step.of("deactivate-access-keys", Phase.CONTAINMENT, AwsAction.IAM_UPDATE_ACCESS_KEY, user,
            keyParameters(alert, userName)));
        steps.add(Step.of("deny-tokens-issued-before-now", Phase.CONTAINMENT, AwsAction.IAM_PUT_USER_POLICY, user, Map.of(
            "UserName", userName,
            "PolicyName", DenyPolicies.REVOKE_OLDER_SESSIONS,
            "TokenIssueTimeBefore", DenyPolicies.cutoff(now),
            "PolicyDocument", DenyPolicies.tokensIssuedBefore(now))));
        steps.add(Step.of("delete-login-profile", Phase.CONTAINMENT, AwsAction.IAM_DELETE_LOGIN_PROFILE, user,
            Map.of("UserName", userName)));
        steps.add(Step.of("deactivate-ssh-keys", Phase.CONTAINMENT, AwsAction.IAM_UPDATE_SSH_PUBLIC_KEY, user,
            Map.of("UserName", userName, "Status", "Inactive")));
        steps.add(Step.of("deactivate-service-specific-credentials", Phase.CONTAINMENT,
            AwsAction.IAM_UPDATE_SERVICE_SPECIFIC_CREDENTIAL, user,
            Map.of("UserName", userName, "Status", "Inactive")));
        steps.add(Step.of("deactivate-signing-certificates", Phase.CONTAINMENT, AwsAction.IAM_UPDATE_SIGNING_CERTIFICATE, user,
            Map.of("UserName", userName, "Status", "Inactive")));
        steps.addAll(Notification.steps(settings, ID));
        return List.copyOf(steps);
    }

    private Map<String, String> keyParameters(Alert alert, String userName) {
        if (settings.deactivateAllAccessKeys()) {
            return Map.of("UserName", userName, "Status", "Inactive", "Scope", "all");
        }
        List<String> keys = new ArrayList<>(alert.getEntities().getAccessKeyIds());
        String used = alert.getPrincipal() == null ? null : alert.getPrincipal().getAccessKeyId();
        if (used != null && !keys.contains(used)) {
            keys.add(used);
        }
        return Map.of("UserName", userName, "Status", "Inactive", "Scope", "compromised", "AccessKeyIds", String.join(",", keys));
    }

    /** The user to contain: the acting IAM user, else the one user the alert names. */
    static String userName(Alert alert) {
        Principal principal = alert.getPrincipal();
        if (principal != null && principal.getType() == PrincipalType.IAMUser && principal.getUserName() != null) {
            return principal.getUserName();
        }
        if (principal != null && principal.getType() == PrincipalType.IAMUser && principal.getArn() != null) {
            return Arns.resourceId(principal.getArn());
        }
        List<String> users = alert.getEntities().getUserNames();
        return users.size() == 1 ? users.get(0) : null;
    }
}
