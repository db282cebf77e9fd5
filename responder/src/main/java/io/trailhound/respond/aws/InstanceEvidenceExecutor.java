package io.trailhound.respond.aws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.Map;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Ec2Compromise;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CopyTagsFromSource;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SnapshotInfo;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Preserves instance evidence: metadata, user data, instance profile, console output and screenshot go to the evidence
 * bucket (never overwritten); EBS snapshots of every attached volume are tagged with the incident and the instance.
 */
public final class InstanceEvidenceExecutor implements StepExecutor {

    /** Tag naming the instance a snapshot was taken of. */
    public static final String INSTANCE_TAG = "trailhound:instance";

    private final EvidenceStore store;

    public InstanceEvidenceExecutor(EvidenceStore store) {
        this.store = store;
    }

    @Override
    public Set<AwsAction> awsActions() {
        // CreateSnapshots with tag specifications also needs ec2:CreateTags on the snapshots
        return Set.of(AwsAction.EC2_DESCRIBE_INSTANCES, AwsAction.EC2_DESCRIBE_INSTANCE_ATTRIBUTE,
            AwsAction.EC2_DESCRIBE_IAM_INSTANCE_PROFILE_ASSOCIATIONS, AwsAction.EC2_GET_CONSOLE_OUTPUT,
            AwsAction.EC2_GET_CONSOLE_SCREENSHOT, AwsAction.EC2_DESCRIBE_SNAPSHOTS, AwsAction.EC2_CREATE_SNAPSHOTS,
            AwsAction.EC2_CREATE_TAGS);
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        Map<String, String> p = step.step().parameters();
        String instanceId = p.get("InstanceId");
        Ec2Client ec2 = aws.ec2();
        RequestIds ids = new RequestIds();
        if (step.step().action() == AwsAction.EC2_CREATE_SNAPSHOTS) {
            return snapshot(ec2, instanceId, step.incidentId(), ids);
        }
        String object = p.get("EvidenceObject");
        if (object != null && store.exists(aws.evidence(), object)) {
            return StepOutcome.alreadyDone(ids.all(), Json.object("evidence", List.of(object)), "evidence already captured");
        }
        byte[] content = switch (step.step().action()) {
            case EC2_DESCRIBE_INSTANCES -> Ec2Instances.describe(ec2, instanceId, ids).toString().getBytes(StandardCharsets.UTF_8);
            case EC2_DESCRIBE_INSTANCE_ATTRIBUTE -> decode(ids.record(ec2.describeInstanceAttribute(
                r -> r.instanceId(instanceId).attribute(InstanceAttributeName.USER_DATA))).userData().value());
            case EC2_DESCRIBE_IAM_INSTANCE_PROFILE_ASSOCIATIONS -> ids.record(ec2.describeIamInstanceProfileAssociations(
                r -> r.filters(filter("instance-id", instanceId)))).iamInstanceProfileAssociations().toString()
                .getBytes(StandardCharsets.UTF_8);
            case EC2_GET_CONSOLE_OUTPUT -> decode(ids.record(ec2.getConsoleOutput(r -> r.instanceId(instanceId).latest(true))).output());
            case EC2_GET_CONSOLE_SCREENSHOT -> decode(ids.record(ec2.getConsoleScreenshot(r -> r.instanceId(instanceId))).imageData());
            default -> throw new IllegalArgumentException("not an instance evidence action: " + step.step().action());
        };
        if (object == null) {
            return StepOutcome.executed(ids.all(), new String(content, StandardCharsets.UTF_8), null);
        }
        String putId = store.put(aws.evidence(), object, content, step.incidentId());
        List<String> all = new ArrayList<>(ids.all());
        all.add(putId);
        return StepOutcome.executed(all, Json.object("evidence", List.of(object)), null);
    }

    private static StepOutcome snapshot(Ec2Client ec2, String instanceId, String incidentId, RequestIds ids) {
        List<String> existing = ids.record(ec2.describeSnapshots(r -> r.ownerIds("self")
            .filters(filter("tag:" + Ec2Compromise.INCIDENT_TAG, incidentId), filter("tag:" + INSTANCE_TAG, instanceId))))
            .snapshots().stream().map(snapshot -> snapshot.snapshotId()).toList();
        if (!existing.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), Json.object("snapshots", existing), "snapshots already taken for this incident");
        }
        List<SnapshotInfo> taken = ids.record(ec2.createSnapshots(r -> r
            .instanceSpecification(spec -> spec.instanceId(instanceId).excludeBootVolume(false))
            .description("Trailhound evidence, incident " + incidentId + ", instance " + instanceId)
            .copyTagsFromSource(CopyTagsFromSource.VOLUME)
            .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SNAPSHOT).tags(
                Tag.builder().key(Ec2Compromise.INCIDENT_TAG).value(incidentId).build(),
                Tag.builder().key(INSTANCE_TAG).value(instanceId).build()).build()))).snapshots();
        return StepOutcome.executed(ids.all(), Json.object("snapshots", taken.stream().map(SnapshotInfo::snapshotId).toList()), null);
    }

    static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    private static byte[] decode(String base64) {
        return base64 == null ? new byte[0] : Base64.getMimeDecoder().decode(base64);
    }
}
