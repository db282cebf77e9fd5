package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Ec2Compromise;
import io.trailhound.respond.runbook.RunbookSettings;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Network isolation that also cuts tracked connections: the original groups of every network interface are recorded in a
 * tag first (never overwritten), then every interface moves to an allow-all group (its flows become untracked), then to
 * the quarantine group with no rules. Both groups are found by name in the instance's VPC, or created.
 */
public final class InstanceIsolationExecutor implements StepExecutor {

    private static final IpPermission ALL_TRAFFIC = IpPermission.builder().ipProtocol("-1")
        .ipRanges(range -> range.cidrIp("0.0.0.0/0")).build();

    private final RunbookSettings settings;

    public InstanceIsolationExecutor(RunbookSettings settings) {
        this.settings = settings;
    }

    @Override
    public Set<AwsAction> awsActions() {
        return Set.of(AwsAction.EC2_DESCRIBE_INSTANCES, AwsAction.EC2_CREATE_TAGS, AwsAction.EC2_DESCRIBE_SECURITY_GROUPS,
            AwsAction.EC2_CREATE_SECURITY_GROUP, AwsAction.EC2_AUTHORIZE_SECURITY_GROUP_INGRESS,
            AwsAction.EC2_REVOKE_SECURITY_GROUP_EGRESS, AwsAction.EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE);
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        Map<String, String> p = step.step().parameters();
        Ec2Client ec2 = aws.ec2();
        RequestIds ids = new RequestIds();
        Instance instance = Ec2Instances.describe(ec2, p.get("InstanceId"), ids);
        return switch (step.step().action()) {
            case EC2_CREATE_TAGS -> Ec2Compromise.ORIGINAL_GROUPS_TAG.equals(p.get("Tag"))
                ? recordOriginalGroups(ec2, instance, step.incidentId(), ids) : tag(ec2, instance, p, ids);
            case EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE -> moveInterfaces(ec2, instance, p.get("GroupName"), ids);
            default -> throw new IllegalArgumentException("not an isolation action: " + step.step().action());
        };
    }

    private static StepOutcome recordOriginalGroups(Ec2Client ec2, Instance instance, String incidentId, RequestIds ids) {
        Optional<String> recorded = Ec2Instances.tag(instance, Ec2Compromise.ORIGINAL_GROUPS_TAG);
        if (recorded.isPresent()) {
            return StepOutcome.alreadyDone(ids.all(), Json.object("originalGroups", List.of(recorded.get())),
                "original security groups already recorded");
        }
        String groups = instance.networkInterfaces().stream()
            .map(eni -> eni.networkInterfaceId() + "="
                + eni.groups().stream().map(GroupIdentifier::groupId).collect(Collectors.joining("+")))
            .collect(Collectors.joining(";"));
        ids.record(ec2.createTags(r -> r.resources(instance.instanceId()).tags(
            Tag.builder().key(Ec2Compromise.ORIGINAL_GROUPS_TAG).value(groups).build(),
            Tag.builder().key(Ec2Compromise.INCIDENT_TAG).value(incidentId).build())));
        return StepOutcome.executed(ids.all(), Json.object("originalGroups", List.of(groups)), null);
    }

    /** Adds the {@code Tag.<key>} parameters as tags, unless the instance already carries them all. */
    private static StepOutcome tag(Ec2Client ec2, Instance instance, Map<String, String> p, RequestIds ids) {
        List<Tag> tags = p.entrySet().stream().filter(e -> e.getKey().startsWith("Tag."))
            .map(e -> Tag.builder().key(e.getKey().substring("Tag.".length())).value(e.getValue()).build()).toList();
        if (tags.stream().allMatch(t -> Ec2Instances.tag(instance, t.key()).filter(t.value()::equals).isPresent())) {
            return StepOutcome.alreadyDone(ids.all(), null, "the instance is already tagged");
        }
        ids.record(ec2.createTags(r -> r.resources(instance.instanceId()).tags(tags)));
        return StepOutcome.executed(ids.all(), Json.object("tags", tags.stream().map(t -> t.key() + "=" + t.value()).toList()), null);
    }

    private StepOutcome moveInterfaces(Ec2Client ec2, Instance instance, String groupName, RequestIds ids) {
        boolean quarantine = settings.quarantineGroupName().equals(groupName);
        String groupId = group(ec2, instance.vpcId(), groupName, quarantine, ids);
        String quarantineId = quarantine ? groupId : findGroup(ec2, instance.vpcId(), settings.quarantineGroupName(), ids).orElse(null);
        List<String> moved = new ArrayList<>();
        for (InstanceNetworkInterface eni : instance.networkInterfaces()) {
            List<String> current = eni.groups().stream().map(GroupIdentifier::groupId).toList();
            // never step back from quarantine to allow-all, e.g. when a step runs again after a crash
            if (current.equals(List.of(groupId)) || quarantineId != null && current.equals(List.of(quarantineId))) {
                continue;
            }
            ids.record(ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni.networkInterfaceId()).groups(groupId)));
            moved.add(eni.networkInterfaceId());
        }
        if (moved.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), null, "every network interface is already in " + groupName);
        }
        return StepOutcome.executed(ids.all(), Json.object("networkInterfaces", moved, "group", List.of(groupId)),
            Json.object(Map.of("undo", List.of("ModifyNetworkInterfaceAttribute back to the groups in tag "
                + Ec2Compromise.ORIGINAL_GROUPS_TAG), "instanceId", List.of(instance.instanceId()), "group", List.of(groupId))));
    }

    private static String group(Ec2Client ec2, String vpcId, String name, boolean quarantine, RequestIds ids) {
        Optional<String> existing = findGroup(ec2, vpcId, name, ids);
        if (existing.isPresent()) {
            return existing.get();
        }
        String description = quarantine ? "Trailhound quarantine: no traffic" : "Trailhound isolation step 1: all traffic, untracked";
        String groupId = ids.record(ec2.createSecurityGroup(r -> r.groupName(name).vpcId(vpcId).description(description))).groupId();
        if (quarantine) {
            ids.record(ec2.revokeSecurityGroupEgress(r -> r.groupId(groupId).ipPermissions(ALL_TRAFFIC)));
        } else {
            ids.record(ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(ALL_TRAFFIC)));
        }
        return groupId;
    }

    private static Optional<String> findGroup(Ec2Client ec2, String vpcId, String name, RequestIds ids) {
        return ids.record(ec2.describeSecurityGroups(r -> r.filters(InstanceEvidenceExecutor.filter("vpc-id", vpcId),
            InstanceEvidenceExecutor.filter("group-name", name)))).securityGroups().stream().map(SecurityGroup::groupId).findFirst();
    }
}
