package io.trailhound.respond.runbook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;

/**
 * Credential compromise of a role session. EC2 instance credentials are denied for that one instance (by
 * {@code ec2:SourceInstanceARN}) and its instance profile is removed; other sessions are revoked by denying tokens issued
 * before now. Service-linked roles, root and IAM Identity Center cases go to a human.
 */
public final class RoleSessionCompromise implements Runbook {

    public static final String ID = "role-session-compromise";

    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");

    private final RunbookSettings settings;

    public RoleSessionCompromise(RunbookSettings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Step> plan(Alert alert, Instant now) {
        Principal principal = alert.getPrincipal();
        String account = "account/" + alert.getAccountId();
        if (principal != null && principal.getType() == PrincipalType.Root) {
            return Escalation.toHuman(account, "sessions minted by root credentials cannot be restricted; secure the root user by hand");
        }
        String roleArn = roleArn(alert);
        if (roleArn == null || Arns.roleName(roleArn) == null) {
            return Escalation.toHuman(account, "the alert names no IAM role to contain");
        }
        if (Arns.isServiceLinkedRole(roleArn)) {
            return Escalation.toHuman(roleArn, "service-linked role: IAM does not allow revoking its sessions");
        }
        if (isIdentityCenter(principal, roleArn)) {
            return Escalation.toHuman(roleArn, "IAM Identity Center role: revoke the user's sessions in Identity Center "
                + "(or an SCP on identitystore:userId with aws:TokenIssueTime); its roles cannot be edited");
        }
        String instanceId = instanceId(alert);
        String roleName = Arns.roleName(roleArn);
        List<Step> steps = new ArrayList<>();
        if (instanceId != null) {
            String instanceArn = Arns.instance(alert, instanceId);
            steps.add(Step.of("record-instance-profile", Phase.EVIDENCE, AwsAction.EC2_DESCRIBE_IAM_INSTANCE_PROFILE_ASSOCIATIONS,
                instanceArn, Map.of("InstanceId", instanceId)));
            steps.add(Step.of("deny-instance-credentials", Phase.CONTAINMENT, AwsAction.IAM_PUT_ROLE_POLICY, roleArn, Map.of(
                "RoleName", roleName,
                "PolicyName", DenyPolicies.DENY_INSTANCE_PREFIX + instanceId,
                "SourceInstanceArn", instanceArn,
                "PolicyDocument", DenyPolicies.sourceInstance(instanceArn))));
            steps.add(InstanceProfiles.containment(settings, instanceId, instanceArn));
        } else {
            steps.add(Step.of("revoke-older-sessions", Phase.CONTAINMENT, AwsAction.IAM_PUT_ROLE_POLICY, roleArn, Map.of(
                "RoleName", roleName,
                "PolicyName", DenyPolicies.REVOKE_OLDER_SESSIONS,
                "TokenIssueTimeBefore", DenyPolicies.cutoff(now),
                "PolicyDocument", DenyPolicies.tokensIssuedBefore(now))));
        }
        steps.addAll(Notification.steps(settings, ID));
        return List.copyOf(steps);
    }

    /** The durable role ARN: the principal's (its session issuer for assumed roles), else the one role the alert names. */
    static String roleArn(Alert alert) {
        Principal principal = alert.getPrincipal();
        if (principal != null && principal.getType() == PrincipalType.AssumedRole) {
            if (Arns.roleName(principal.getArn()) != null) {
                return principal.getArn();
            }
            if (Arns.roleName(principal.getSessionIssuerArn()) != null) {
                return principal.getSessionIssuerArn();
            }
        }
        List<String> roles = alert.getEntities().getRoleArns();
        return roles.size() == 1 ? roles.get(0) : null;
    }

    /** The instance whose credentials these are: EC2 names role sessions after the instance id. */
    static String instanceId(Alert alert) {
        Principal principal = alert.getPrincipal();
        if (principal != null && principal.getSessionName() != null && INSTANCE_ID.matcher(principal.getSessionName()).matches()) {
            return principal.getSessionName();
        }
        List<String> instances = alert.getEntities().getInstanceIds();
        boolean instanceFinding = alert.getRuleId().contains("InstanceCredentialExfiltration")
            || alert.getFindingTypes().stream().anyMatch(type -> type.contains("InstanceCredentialExfiltration"));
        return instanceFinding && instances.size() == 1 ? instances.get(0) : null;
    }

    private static boolean isIdentityCenter(Principal principal, String roleArn) {
        return principal != null && principal.getType() == PrincipalType.IdentityCenterUser
            || Arns.roleName(roleArn).startsWith("AWSReservedSSO_");
    }
}
