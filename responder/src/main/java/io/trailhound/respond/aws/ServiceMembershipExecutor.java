package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * Keeps a compromised instance (the evidence) from being replaced or terminated by its Auto Scaling group, and removes it
 * from service: scale-in protection and standby first (reversible, automatic), then detaching from the group and
 * deregistering from load balancer target groups (after approval). Membership is read first: an instance outside any
 * group, already protected, in standby or not registered is left as it is.
 */
public final class ServiceMembershipExecutor implements StepExecutor {

    @Override
    public Set<AwsAction> awsActions() {
        return Set.of(AwsAction.AUTOSCALING_DESCRIBE_AUTO_SCALING_INSTANCES, AwsAction.AUTOSCALING_SET_INSTANCE_PROTECTION,
            AwsAction.AUTOSCALING_ENTER_STANDBY, AwsAction.AUTOSCALING_DETACH_INSTANCES, AwsAction.ELB_DESCRIBE_TARGET_GROUPS,
            AwsAction.ELB_DESCRIBE_TARGET_HEALTH, AwsAction.ELB_DEREGISTER_TARGETS);
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        String instanceId = step.step().parameters().get("InstanceId");
        RequestIds ids = new RequestIds();
        if (step.step().action() == AwsAction.ELB_DEREGISTER_TARGETS) {
            return deregister(aws.elb(), instanceId, ids);
        }
        Optional<AutoScalingInstanceDetails> member = membership(aws.autoScaling(), instanceId, ids);
        if (member.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), null, "instance is not in an Auto Scaling group");
        }
        AutoScalingInstanceDetails details = member.get();
        String group = details.autoScalingGroupName();
        String found = Json.object("autoScalingGroup", List.of(group), "lifecycleState", List.of(details.lifecycleState()));
        return switch (step.step().action()) {
            case AUTOSCALING_SET_INSTANCE_PROTECTION -> protect(aws.autoScaling(), details, found, ids);
            case AUTOSCALING_ENTER_STANDBY -> standby(aws.autoScaling(), details, found, ids);
            case AUTOSCALING_DETACH_INSTANCES -> {
                ids.record(aws.autoScaling().detachInstances(r -> r.autoScalingGroupName(group).instanceIds(instanceId)
                    .shouldDecrementDesiredCapacity(false)));
                yield StepOutcome.executed(ids.all(), found, Json.object("undo", List.of("AttachInstances " + group)));
            }
            default -> throw new IllegalArgumentException("not a service membership action: " + step.step().action());
        };
    }

    private static Optional<AutoScalingInstanceDetails> membership(AutoScalingClient autoScaling, String instanceId, RequestIds ids) {
        return ids.record(autoScaling.describeAutoScalingInstances(r -> r.instanceIds(instanceId))).autoScalingInstances().stream()
            .filter(i -> instanceId.equals(i.instanceId())).findFirst();
    }

    private static StepOutcome protect(AutoScalingClient autoScaling, AutoScalingInstanceDetails details, String found, RequestIds ids) {
        if (Boolean.TRUE.equals(details.protectedFromScaleIn())) {
            return StepOutcome.alreadyDone(ids.all(), found, "instance is already protected from scale-in");
        }
        ids.record(autoScaling.setInstanceProtection(r -> r.autoScalingGroupName(details.autoScalingGroupName())
            .instanceIds(details.instanceId()).protectedFromScaleIn(true)));
        return StepOutcome.executed(ids.all(), found, Json.object("undo", List.of("SetInstanceProtection ProtectedFromScaleIn=false")));
    }

    private static StepOutcome standby(AutoScalingClient autoScaling, AutoScalingInstanceDetails details, String found, RequestIds ids) {
        String state = details.lifecycleState();
        if (state != null && (state.startsWith("Standby") || state.startsWith("EnteringStandby") || state.startsWith("Detach"))) {
            return StepOutcome.alreadyDone(ids.all(), found, "instance is already " + state);
        }
        // the group keeps its capacity (a replacement is launched) and never health-checks or terminates a standby instance
        ids.record(autoScaling.enterStandby(r -> r.autoScalingGroupName(details.autoScalingGroupName())
            .instanceIds(details.instanceId()).shouldDecrementDesiredCapacity(false)));
        return StepOutcome.executed(ids.all(), found, Json.object("undo", List.of("ExitStandby " + details.autoScalingGroupName())));
    }

    private static StepOutcome deregister(ElasticLoadBalancingV2Client elb, String instanceId, RequestIds ids) {
        List<String> removed = new ArrayList<>();
        for (TargetGroup group : targetGroups(elb, ids)) {
            if (group.targetType() != TargetTypeEnum.INSTANCE) {
                continue;
            }
            List<TargetHealthDescription> targets = ids.record(elb.describeTargetHealth(r -> r.targetGroupArn(group.targetGroupArn())))
                .targetHealthDescriptions();
            for (TargetHealthDescription target : targets) {
                if (!instanceId.equals(target.target().id()) || isLeaving(target)) {
                    continue;
                }
                TargetDescription description = target.target();
                ids.record(elb.deregisterTargets(r -> r.targetGroupArn(group.targetGroupArn()).targets(description)));
                removed.add(group.targetGroupArn() + (description.port() == null ? "" : ":" + description.port()));
            }
        }
        if (removed.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), null, "instance is registered in no target group");
        }
        return StepOutcome.executed(ids.all(), Json.object("targetGroups", removed),
            Json.object("undo", List.of("RegisterTargets"), "targetGroups", removed));
    }

    private static boolean isLeaving(TargetHealthDescription target) {
        String state = target.targetHealth() == null ? null : target.targetHealth().stateAsString();
        return "draining".equals(state) || "unused".equals(state);
    }

    private static List<TargetGroup> targetGroups(ElasticLoadBalancingV2Client elb, RequestIds ids) {
        List<TargetGroup> groups = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            var response = ids.record(elb.describeTargetGroups(r -> r.marker(page)));
            groups.addAll(response.targetGroups());
            marker = response.nextMarker();
        } while (marker != null && !marker.isEmpty());
        return groups;
    }
}
