package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Ec2Compromise;
import io.trailhound.respond.runbook.ForensicSettings;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileAssociation;
import software.amazon.awssdk.services.ec2.model.OperationType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotAttributeName;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandFilterKey;

/**
 * The forensic refinements of the EC2 runbook, each present only when configured: the instance profile replaced by a
 * deny-all profile, a memory capture through SSM into the evidence bucket, and the incident's snapshots shared with the
 * forensic account. Each reads the state first and changes only what is not yet as wanted.
 */
public final class ForensicExecutor implements StepExecutor {

    private final ForensicSettings settings;

    public ForensicExecutor(ForensicSettings settings) {
        this.settings = settings;
    }

    @Override
    public Set<AwsAction> awsActions() {
        Set<AwsAction> actions = new TreeSet<>();
        if (!settings.quarantineInstanceProfileArn().isEmpty()) {
            // replacing the association passes the quarantine profile's role to EC2
            actions.addAll(List.of(AwsAction.EC2_DESCRIBE_IAM_INSTANCE_PROFILE_ASSOCIATIONS,
                AwsAction.EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION, AwsAction.IAM_PASS_ROLE));
        }
        if (!settings.memoryCaptureDocument().isEmpty()) {
            actions.addAll(List.of(AwsAction.SSM_LIST_COMMANDS, AwsAction.SSM_SEND_COMMAND));
        }
        if (!settings.forensicAccountId().isEmpty()) {
            actions.addAll(List.of(AwsAction.EC2_DESCRIBE_SNAPSHOTS, AwsAction.EC2_DESCRIBE_SNAPSHOT_ATTRIBUTE,
                AwsAction.EC2_MODIFY_SNAPSHOT_ATTRIBUTE));
        }
        return actions;
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        Map<String, String> p = step.step().parameters();
        RequestIds ids = new RequestIds();
        return switch (step.step().action()) {
            case EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION -> replaceProfile(aws.ec2(), p.get("InstanceId"),
                p.get("IamInstanceProfileArn"), ids);
            case SSM_SEND_COMMAND -> captureMemory(aws.ssm(), p, step.incidentId(), ids);
            case EC2_MODIFY_SNAPSHOT_ATTRIBUTE -> shareSnapshots(aws.ec2(), p.get("InstanceId"), step.incidentId(),
                p.get("UserId"), ids);
            default -> throw new IllegalArgumentException("not a forensic action: " + step.step().action());
        };
    }

    private static StepOutcome replaceProfile(Ec2Client ec2, String instanceId, String profileArn, RequestIds ids) {
        List<IamInstanceProfileAssociation> associations = ids.record(ec2.describeIamInstanceProfileAssociations(r -> r.filters(
            InstanceEvidenceExecutor.filter("instance-id", instanceId), InstanceEvidenceExecutor.filter("state", "associated"))))
            .iamInstanceProfileAssociations();
        if (associations.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), null, "no instance profile is associated: no credentials to replace");
        }
        List<String> replaced = new ArrayList<>();
        for (IamInstanceProfileAssociation association : associations) {
            if (profileArn.equals(association.iamInstanceProfile().arn())) {
                continue;
            }
            ids.record(ec2.replaceIamInstanceProfileAssociation(r -> r.associationId(association.associationId())
                .iamInstanceProfile(spec -> spec.arn(profileArn))));
            replaced.add(association.iamInstanceProfile().arn());
        }
        if (replaced.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), null, "the quarantine instance profile is already associated");
        }
        return StepOutcome.executed(ids.all(), Json.object("instanceProfiles", replaced), Json.object(Map.of(
            "undo", List.of("ReplaceIamInstanceProfileAssociation"), "instanceProfiles", replaced, "instanceId", List.of(instanceId),
            "quarantineProfile", List.of(profileArn))));
    }

    private static StepOutcome captureMemory(SsmClient ssm, Map<String, String> p, String incidentId, RequestIds ids) {
        String instanceId = p.get("InstanceId");
        String document = p.get("DocumentName");
        String comment = comment(incidentId);
        List<Command> earlier = ids.record(ssm.listCommands(r -> r.instanceId(instanceId)
            .filters(f -> f.key(CommandFilterKey.DOCUMENT_NAME).value(document)))).commands();
        List<String> sent = earlier.stream().filter(c -> comment.equals(c.comment())).map(Command::commandId).toList();
        if (!sent.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), Json.object("commands", sent), "memory capture already sent for this incident");
        }
        String commandId = ids.record(ssm.sendCommand(r -> r.instanceIds(instanceId).documentName(document).comment(comment)
            .outputS3BucketName(p.get("OutputS3BucketName")).outputS3KeyPrefix(p.get("OutputS3KeyPrefix")))).command().commandId();
        return StepOutcome.executed(ids.all(), Json.object("commands", List.of(commandId)), null);
    }

    /** The SSM command comment naming the incident (at most 100 characters), by which a capture is found again. */
    static String comment(String incidentId) {
        String text = "trailhound incident " + incidentId;
        return text.length() <= 100 ? text : text.substring(0, 100);
    }

    private static StepOutcome shareSnapshots(Ec2Client ec2, String instanceId, String incidentId, String account, RequestIds ids) {
        List<Snapshot> snapshots = ids.record(ec2.describeSnapshots(r -> r.ownerIds("self").filters(
            InstanceEvidenceExecutor.filter("tag:" + Ec2Compromise.INCIDENT_TAG, incidentId),
            InstanceEvidenceExecutor.filter("tag:" + InstanceEvidenceExecutor.INSTANCE_TAG, instanceId)))).snapshots();
        List<String> shared = new ArrayList<>();
        for (Snapshot snapshot : snapshots) {
            boolean already = ids.record(ec2.describeSnapshotAttribute(r -> r.snapshotId(snapshot.snapshotId())
                .attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION))).createVolumePermissions().stream()
                .anyMatch(permission -> account.equals(permission.userId()));
            if (!already) {
                ids.record(ec2.modifySnapshotAttribute(r -> r.snapshotId(snapshot.snapshotId())
                    .attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION).operationType(OperationType.ADD).userIds(account)));
                shared.add(snapshot.snapshotId());
            }
        }
        if (shared.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), null, snapshots.isEmpty() ? "no incident snapshot of this instance"
                : "every incident snapshot is already shared with " + account);
        }
        return StepOutcome.executed(ids.all(), Json.object("snapshots", shared, "sharedWith", List.of(account)),
            Json.object("undo", List.of("ModifySnapshotAttribute remove " + account), "snapshots", shared));
    }
}
