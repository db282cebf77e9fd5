package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileAssociation;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMappingSpecification;

/**
 * Keeps a compromised instance and its disks for investigation: termination protection, shutdown behaviour {@code stop},
 * volumes kept on termination; removes its instance profile; and terminates it, which only ever runs once approved and only
 * on an instance the responder has tagged for an incident (as the member role's policy requires).
 */
public final class InstancePreservationExecutor implements StepExecutor {

    @Override
    public Set<AwsAction> awsActions() {
        return Set.of(AwsAction.EC2_DESCRIBE_INSTANCES, AwsAction.EC2_DESCRIBE_INSTANCE_ATTRIBUTE,
            AwsAction.EC2_MODIFY_INSTANCE_ATTRIBUTE, AwsAction.EC2_DESCRIBE_IAM_INSTANCE_PROFILE_ASSOCIATIONS,
            AwsAction.EC2_DISASSOCIATE_IAM_INSTANCE_PROFILE, AwsAction.EC2_STOP_INSTANCES, AwsAction.EC2_TERMINATE_INSTANCES);
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        Map<String, String> p = step.step().parameters();
        String instanceId = p.get("InstanceId");
        Ec2Client ec2 = aws.ec2();
        RequestIds ids = new RequestIds();
        return switch (step.step().action()) {
            case EC2_MODIFY_INSTANCE_ATTRIBUTE -> modify(ec2, instanceId, p, ids);
            case EC2_DISASSOCIATE_IAM_INSTANCE_PROFILE -> disassociate(ec2, instanceId, ids);
            case EC2_TERMINATE_INSTANCES -> terminate(ec2, instanceId, ids);
            case EC2_STOP_INSTANCES -> stop(ec2, instanceId, ids);
            default -> throw new IllegalArgumentException("not an instance preservation action: " + step.step().action());
        };
    }

    private static StepOutcome modify(Ec2Client ec2, String instanceId, Map<String, String> p, RequestIds ids) {
        if (p.containsKey("DisableApiTermination")) {
            boolean on = Boolean.TRUE.equals(ids.record(ec2.describeInstanceAttribute(r -> r.instanceId(instanceId)
                .attribute(InstanceAttributeName.DISABLE_API_TERMINATION))).disableApiTermination().value());
            if (on) {
                return StepOutcome.alreadyDone(ids.all(), null, "termination protection already on");
            }
            ids.record(ec2.modifyInstanceAttribute(r -> r.instanceId(instanceId).disableApiTermination(v -> v.value(true))));
            return StepOutcome.executed(ids.all(), null,
                Json.object("undo", List.of("ModifyInstanceAttribute DisableApiTermination=false")));
        }
        if (p.containsKey("InstanceInitiatedShutdownBehavior")) {
            String current = ids.record(ec2.describeInstanceAttribute(r -> r.instanceId(instanceId)
                .attribute(InstanceAttributeName.INSTANCE_INITIATED_SHUTDOWN_BEHAVIOR))).instanceInitiatedShutdownBehavior().value();
            if ("stop".equals(current)) {
                return StepOutcome.alreadyDone(ids.all(), null, "shutdown behaviour is already stop");
            }
            ids.record(ec2.modifyInstanceAttribute(r -> r.instanceId(instanceId).instanceInitiatedShutdownBehavior(v -> v.value("stop"))));
            return StepOutcome.executed(ids.all(), null,
                Json.object("undo", List.of("ModifyInstanceAttribute InstanceInitiatedShutdownBehavior=" + current)));
        }
        if (p.containsKey("DeleteOnTermination")) {
            return keepVolumes(ec2, instanceId, ids);
        }
        throw new IllegalArgumentException("ModifyInstanceAttribute step names no known attribute: " + p.keySet());
    }

    private static StepOutcome keepVolumes(Ec2Client ec2, String instanceId, RequestIds ids) {
        Instance instance = Ec2Instances.describe(ec2, instanceId, ids);
        List<InstanceBlockDeviceMappingSpecification> changes = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        for (InstanceBlockDeviceMapping mapping : instance.blockDeviceMappings()) {
            if (mapping.ebs() != null && Boolean.TRUE.equals(mapping.ebs().deleteOnTermination())) {
                changes.add(InstanceBlockDeviceMappingSpecification.builder().deviceName(mapping.deviceName())
                    .ebs(ebs -> ebs.volumeId(mapping.ebs().volumeId()).deleteOnTermination(false)).build());
                devices.add(mapping.deviceName());
            }
        }
        if (changes.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), null, "no volume is deleted on termination");
        }
        ids.record(ec2.modifyInstanceAttribute(r -> r.instanceId(instanceId).blockDeviceMappings(changes)));
        return StepOutcome.executed(ids.all(), Json.object("devices", devices),
            Json.object("undo", List.of("ModifyInstanceAttribute BlockDeviceMapping DeleteOnTermination=true"), "devices", devices));
    }

    private static StepOutcome disassociate(Ec2Client ec2, String instanceId, RequestIds ids) {
        List<IamInstanceProfileAssociation> associations = ids.record(ec2.describeIamInstanceProfileAssociations(r -> r.filters(
            InstanceEvidenceExecutor.filter("instance-id", instanceId), InstanceEvidenceExecutor.filter("state", "associated"))))
            .iamInstanceProfileAssociations();
        if (associations.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), null, "no instance profile is associated");
        }
        List<String> profiles = new ArrayList<>();
        for (IamInstanceProfileAssociation association : associations) {
            ids.record(ec2.disassociateIamInstanceProfile(r -> r.associationId(association.associationId())));
            profiles.add(association.iamInstanceProfile().arn());
        }
        return StepOutcome.executed(ids.all(), Json.object("instanceProfiles", profiles), Json.object(Map.of(
            "undo", List.of("AssociateIamInstanceProfile"), "instanceProfiles", profiles, "instanceId", List.of(instanceId))));
    }

    private static StepOutcome stop(Ec2Client ec2, String instanceId, RequestIds ids) {
        Instance instance = Ec2Instances.describe(ec2, instanceId, ids);
        String state = instance.state().nameAsString();
        if (List.of("stopping", "stopped", "shutting-down", "terminated").contains(state)) {
            return StepOutcome.alreadyDone(ids.all(), null, "instance is already " + state);
        }
        if (!quarantined(instance)) {
            return notQuarantined(instance, ids);
        }
        ids.record(ec2.stopInstances(r -> r.instanceIds(instanceId)));
        return StepOutcome.executed(ids.all(), Json.object("stopped", List.of(instanceId)),
            Json.object("undo", List.of("StartInstances " + instanceId)));
    }

    private static StepOutcome terminate(Ec2Client ec2, String instanceId, RequestIds ids) {
        Instance instance = Ec2Instances.describe(ec2, instanceId, ids);
        if ("terminated".equals(instance.state().nameAsString()) || "shutting-down".equals(instance.state().nameAsString())) {
            return StepOutcome.alreadyDone(ids.all(), null, "instance is already " + instance.state().nameAsString());
        }
        if (!quarantined(instance)) {
            // checked before termination protection comes off: the member role's policy would refuse the termination anyway
            return notQuarantined(instance, ids);
        }
        // the runbook turned termination protection on; an approved termination turns it off first
        ids.record(ec2.modifyInstanceAttribute(r -> r.instanceId(instanceId).disableApiTermination(v -> v.value(false))));
        ids.record(ec2.terminateInstances(r -> r.instanceIds(instanceId)));
        return StepOutcome.executed(ids.all(), Json.object("terminated", List.of(instanceId)), null);
    }

    /**
     * Whether the instance carries the quarantine tag the responder sets when it isolates ({@code record-original-security-groups})
     * or tags ({@code tag-instance}) an instance for an incident: the member role may stop or terminate only such instances
     * (#19), so a step on another one fails here without touching it.
     */
    static boolean quarantined(Instance instance) {
        return Ec2Instances.tag(instance, ResponderPolicy.QUARANTINE_TAG).filter(value -> !value.isBlank()).isPresent();
    }

    private static StepOutcome notQuarantined(Instance instance, RequestIds ids) {
        return StepOutcome.failed(ids.all(), "NotQuarantined", "instance " + instance.instanceId() + " carries no "
            + ResponderPolicy.QUARANTINE_TAG + " tag: the responder stops or terminates only instances it isolated or tagged for an"
            + " incident");
    }
}
