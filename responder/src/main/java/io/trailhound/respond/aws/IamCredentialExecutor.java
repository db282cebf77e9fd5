package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.SSHPublicKeyMetadata;
import software.amazon.awssdk.services.iam.model.ServiceSpecificCredentialMetadata;
import software.amazon.awssdk.services.iam.model.SigningCertificate;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * Records and contains an IAM user's long-term credentials: access keys, console password, SSH keys, service-specific
 * credentials and signing certificates. Credentials are deactivated, never deleted, so they can be restored; what is
 * already inactive is left alone.
 */
public final class IamCredentialExecutor implements StepExecutor {

    @Override
    public Set<AwsAction> awsActions() {
        return Set.of(AwsAction.IAM_LIST_ACCESS_KEYS, AwsAction.IAM_UPDATE_ACCESS_KEY, AwsAction.IAM_DELETE_LOGIN_PROFILE,
            AwsAction.IAM_LIST_SSH_PUBLIC_KEYS, AwsAction.IAM_UPDATE_SSH_PUBLIC_KEY, AwsAction.IAM_LIST_SERVICE_SPECIFIC_CREDENTIALS,
            AwsAction.IAM_UPDATE_SERVICE_SPECIFIC_CREDENTIAL, AwsAction.IAM_LIST_SIGNING_CERTIFICATES,
            AwsAction.IAM_UPDATE_SIGNING_CERTIFICATE);
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        String user = step.step().parameters().get("UserName");
        IamClient iam = aws.iam();
        return switch (step.step().action()) {
            case IAM_LIST_ACCESS_KEYS -> recordAccessKeys(iam, user);
            case IAM_UPDATE_ACCESS_KEY -> deactivateAccessKeys(iam, user, step);
            case IAM_DELETE_LOGIN_PROFILE -> deleteLoginProfile(iam, user);
            case IAM_UPDATE_SSH_PUBLIC_KEY -> deactivateSshKeys(iam, user);
            case IAM_UPDATE_SERVICE_SPECIFIC_CREDENTIAL -> deactivateServiceCredentials(iam, user);
            case IAM_UPDATE_SIGNING_CERTIFICATE -> deactivateSigningCertificates(iam, user);
            default -> throw new IllegalArgumentException("not an IAM credential action: " + step.step().action());
        };
    }

    private static StepOutcome recordAccessKeys(IamClient iam, String user) {
        RequestIds ids = new RequestIds();
        List<AccessKeyMetadata> keys = ids.record(iam.listAccessKeys(r -> r.userName(user))).accessKeyMetadata();
        return StepOutcome.executed(ids.all(), Json.object("accessKeys", keys.stream()
            .map(k -> k.accessKeyId() + ":" + k.statusAsString()).toList()), null);
    }

    private static StepOutcome deactivateAccessKeys(IamClient iam, String user, PlannedStep step) {
        RequestIds ids = new RequestIds();
        boolean all = !"compromised".equals(step.step().parameters().get("Scope"));
        Set<String> named = Set.copyOf(Arrays.asList(step.step().parameters().getOrDefault("AccessKeyIds", "").split(",")));
        List<String> changed = new ArrayList<>();
        for (AccessKeyMetadata key : ids.record(iam.listAccessKeys(r -> r.userName(user))).accessKeyMetadata()) {
            if (key.status() == StatusType.ACTIVE && (all || named.contains(key.accessKeyId()))) {
                ids.record(iam.updateAccessKey(r -> r.userName(user).accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE)));
                changed.add(key.accessKeyId());
            }
        }
        if (changed.isEmpty()) {
            return outcome(ids, "accessKeys", changed, null);
        }
        // exactly the keys this step deactivated, and whose: what a release (#14) reactivates, and nothing else
        return StepOutcome.executed(ids.all(), Json.object("accessKeys", changed), Json.object(Map.of(
            "undo", List.of("UpdateAccessKey Status=Active"), "accessKeys", changed, "userName", List.of(user))));
    }

    private static StepOutcome deleteLoginProfile(IamClient iam, String user) {
        RequestIds ids = new RequestIds();
        try {
            ids.record(iam.deleteLoginProfile(r -> r.userName(user)));
        } catch (NoSuchEntityException e) {
            return StepOutcome.alreadyDone(List.of(e.requestId()), null, "the user has no console password");
        }
        return StepOutcome.executed(ids.all(), Json.object("loginProfileDeleted", List.of(user)),
            Json.object("undo", List.of("CreateLoginProfile with a new password and PasswordResetRequired=true")));
    }

    private static StepOutcome deactivateSshKeys(IamClient iam, String user) {
        RequestIds ids = new RequestIds();
        List<String> changed = new ArrayList<>();
        for (SSHPublicKeyMetadata key : ids.record(iam.listSSHPublicKeys(r -> r.userName(user))).sshPublicKeys()) {
            if (key.status() == StatusType.ACTIVE) {
                ids.record(iam.updateSSHPublicKey(r -> r.userName(user).sshPublicKeyId(key.sshPublicKeyId()).status(StatusType.INACTIVE)));
                changed.add(key.sshPublicKeyId());
            }
        }
        return outcome(ids, "sshPublicKeys", changed, "UpdateSSHPublicKey Status=Active");
    }

    private static StepOutcome deactivateServiceCredentials(IamClient iam, String user) {
        RequestIds ids = new RequestIds();
        List<String> changed = new ArrayList<>();
        List<ServiceSpecificCredentialMetadata> credentials =
            ids.record(iam.listServiceSpecificCredentials(r -> r.userName(user))).serviceSpecificCredentials();
        for (ServiceSpecificCredentialMetadata credential : credentials) {
            if (credential.status() == StatusType.ACTIVE) {
                ids.record(iam.updateServiceSpecificCredential(r -> r.userName(user)
                    .serviceSpecificCredentialId(credential.serviceSpecificCredentialId()).status(StatusType.INACTIVE)));
                changed.add(credential.serviceSpecificCredentialId());
            }
        }
        return outcome(ids, "serviceSpecificCredentials", changed, "UpdateServiceSpecificCredential Status=Active");
    }

    private static StepOutcome deactivateSigningCertificates(IamClient iam, String user) {
        RequestIds ids = new RequestIds();
        List<String> changed = new ArrayList<>();
        for (SigningCertificate certificate : ids.record(iam.listSigningCertificates(r -> r.userName(user))).certificates()) {
            if (certificate.status() == StatusType.ACTIVE) {
                ids.record(iam.updateSigningCertificate(r -> r.userName(user).certificateId(certificate.certificateId())
                    .status(StatusType.INACTIVE)));
                changed.add(certificate.certificateId());
            }
        }
        return outcome(ids, "signingCertificates", changed, "UpdateSigningCertificate Status=Active");
    }

    private static StepOutcome outcome(RequestIds ids, String kind, List<String> changed, String undo) {
        if (changed.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), Json.object(kind, List.of()), "no active " + kind);
        }
        return StepOutcome.executed(ids.all(), Json.object(kind, changed), Json.object("undo", List.of(undo), kind, changed));
    }
}
