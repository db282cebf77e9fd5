package io.trailhound.respond.runbook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.trailhound.avro.Alert;

/**
 * EC2 compromise or cryptomining: evidence first (metadata, user data, instance profile, console output and screenshot to
 * the evidence bucket, optional SSM memory capture, snapshots of every volume), then the Auto Scaling group kept from
 * replacing it (scale-in protection, standby), preservation (termination protection, shutdown stops, volumes kept), two-step
 * network isolation, the instance role's credentials (denied for this instance, then the profile replaced or removed), the
 * snapshots shared with a forensic account; detaching from the group, load balancers and termination only after approval.
 */
public final class Ec2Compromise implements Runbook {

    public static final String ID = "ec2-compromise";
    /** Tag recording an isolated instance's original security groups, per network interface, for restore. */
    public static final String ORIGINAL_GROUPS_TAG = "trailhound:original-security-groups";
    /** Tag carrying the incident id on snapshots, evidence and isolated instances. */
    public static final String INCIDENT_TAG = "trailhound:incident";

    private final RunbookSettings settings;

    public Ec2Compromise(RunbookSettings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Step> plan(Alert alert, Instant now) {
        List<String> instances = alert.getEntities().getInstanceIds();
        if (instances.isEmpty()) {
            return Escalation.toHuman("account/" + alert.getAccountId(), "the alert names no EC2 instance to contain");
        }
        String incident = IncidentIds.of(alert);
        List<Step> evidence = new ArrayList<>();
        List<Step> containment = new ArrayList<>();
        for (String instanceId : instances) {
            String arn = Arns.instance(alert, instanceId);
            evidence.addAll(evidence(incident, instanceId, arn));
            containment.addAll(keepInService(instanceId, arn));
            containment.addAll(preservation(instanceId, arn));
            containment.addAll(isolation(incident, instanceId, arn));
            containment.addAll(instanceRole(alert, instanceId, arn));
            containment.add(InstanceProfiles.containment(settings, instanceId, arn));
            containment.addAll(forensicCopy(alert, instanceId));
            containment.addAll(removalFromService(alert, instanceId, arn));
        }
        List<Step> steps = new ArrayList<>(evidence);
        steps.addAll(containment);
        steps.addAll(Notification.steps(settings, ID));
        return List.copyOf(steps);
    }

    private List<Step> evidence(String incident, String instanceId, String arn) {
        String prefix = "s3://" + settings.evidenceBucket() + "/" + incident + "/" + instanceId + "/";
        List<Step> steps = new ArrayList<>();
        String document = settings.forensics().memoryCaptureDocument();
        if (!document.isEmpty()) {
            // volatile state first: everything after this can change it
            steps.add(Step.of("capture-memory", Phase.EVIDENCE, AwsAction.SSM_SEND_COMMAND, arn, Map.of("InstanceId", instanceId,
                "DocumentName", document, "OutputS3BucketName", settings.evidenceBucket(),
                "OutputS3KeyPrefix", incident + "/" + instanceId + "/memory", Step.ON_FAILURE, "continue")));
        }
        steps.addAll(List.of(
            Step.of("capture-instance-metadata", Phase.EVIDENCE, AwsAction.EC2_DESCRIBE_INSTANCES, arn,
                Map.of("InstanceId", instanceId, "EvidenceObject", prefix + "describe-instances.xml")),
            Step.of("capture-user-data", Phase.EVIDENCE, AwsAction.EC2_DESCRIBE_INSTANCE_ATTRIBUTE, arn,
                Map.of("InstanceId", instanceId, "Attribute", "userData", "EvidenceObject", prefix + "user-data.txt")),
            Step.of("capture-instance-profile", Phase.EVIDENCE, AwsAction.EC2_DESCRIBE_IAM_INSTANCE_PROFILE_ASSOCIATIONS, arn,
                Map.of("InstanceId", instanceId, "EvidenceObject", prefix + "instance-profile.txt")),
            Step.of("capture-console-output", Phase.EVIDENCE, AwsAction.EC2_GET_CONSOLE_OUTPUT, arn,
                Map.of("InstanceId", instanceId, "Latest", "true", "EvidenceObject", prefix + "console-output.txt")),
            Step.of("capture-console-screenshot", Phase.EVIDENCE, AwsAction.EC2_GET_CONSOLE_SCREENSHOT, arn,
                Map.of("InstanceId", instanceId, "EvidenceObject", prefix + "console-screenshot.jpg")),
            Step.of("snapshot-volumes", Phase.EVIDENCE, AwsAction.EC2_CREATE_SNAPSHOTS, arn,
                Map.of("InstanceId", instanceId, "CopyTagsFromSource", "volume", "Tag." + INCIDENT_TAG, incident))));
        return steps;
    }

    /**
     * Keeps the instance (the evidence) where it is: an Auto Scaling group would replace an isolated, unhealthy instance
     * and terminate it. Scale-in protection and standby are reversible, so they run without approval.
     */
    private static List<Step> keepInService(String instanceId, String arn) {
        return List.of(
            Step.of("protect-from-scale-in", Phase.CONTAINMENT, AwsAction.AUTOSCALING_SET_INSTANCE_PROTECTION, arn,
                Map.of("InstanceId", instanceId, "ProtectedFromScaleIn", "true", Step.ON_FAILURE, "continue")),
            Step.of("enter-standby", Phase.CONTAINMENT, AwsAction.AUTOSCALING_ENTER_STANDBY, arn,
                Map.of("InstanceId", instanceId, "ShouldDecrementDesiredCapacity", "false", Step.ON_FAILURE, "continue")));
    }

    /** Shares the incident's snapshots with the forensic account, when one is configured; after isolation, never blocking it. */
    private List<Step> forensicCopy(Alert alert, String instanceId) {
        String account = settings.forensics().forensicAccountId();
        if (account.isEmpty()) {
            return List.of();
        }
        String snapshots = "arn:" + Arns.partition(alert) + ":ec2:" + Arns.instanceRegion(alert, instanceId) + "::snapshot/*";
        return List.of(Step.of("share-snapshots-with-forensic-account-" + instanceId, Phase.EVIDENCE,
            AwsAction.EC2_MODIFY_SNAPSHOT_ATTRIBUTE, snapshots,
            Map.of("InstanceId", instanceId, "Attribute", "createVolumePermission", "OperationType", "add", "UserId", account,
                Step.ON_FAILURE, "continue")));
    }

    private static List<Step> preservation(String instanceId, String arn) {
        return List.of(
            Step.of("enable-termination-protection", Phase.CONTAINMENT, AwsAction.EC2_MODIFY_INSTANCE_ATTRIBUTE, arn,
                Map.of("InstanceId", instanceId, "DisableApiTermination", "true")),
            Step.of("shutdown-behaviour-stop", Phase.CONTAINMENT, AwsAction.EC2_MODIFY_INSTANCE_ATTRIBUTE, arn,
                Map.of("InstanceId", instanceId, "InstanceInitiatedShutdownBehavior", "stop")),
            Step.of("keep-volumes-on-termination", Phase.CONTAINMENT, AwsAction.EC2_MODIFY_INSTANCE_ATTRIBUTE, arn,
                Map.of("InstanceId", instanceId, "DeleteOnTermination", "false")));
    }

    private List<Step> isolation(String incident, String instanceId, String arn) {
        return List.of(
            Step.of("record-original-security-groups", Phase.CONTAINMENT, AwsAction.EC2_CREATE_TAGS, arn,
                Map.of("InstanceId", instanceId, "Tag", ORIGINAL_GROUPS_TAG, "Tag." + INCIDENT_TAG, incident)),
            Step.of("isolate-allow-all-group", Phase.CONTAINMENT, AwsAction.EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE, arn,
                Map.of("InstanceId", instanceId, "GroupName", settings.allowAllGroupName(), "NetworkInterfaces", "all")),
            Step.of("isolate-quarantine-group", Phase.CONTAINMENT, AwsAction.EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE, arn,
                Map.of("InstanceId", instanceId, "GroupName", settings.quarantineGroupName(), "NetworkInterfaces", "all")));
    }

    /** Denies the instance's already-issued role credentials, when the alert names the role (else see the profile step). */
    private static List<Step> instanceRole(Alert alert, String instanceId, String instanceArn) {
        List<String> roles = alert.getEntities().getRoleArns();
        if (roles.size() != 1 || Arns.roleName(roles.get(0)) == null || Arns.isServiceLinkedRole(roles.get(0))) {
            return List.of();
        }
        return List.of(Step.of("deny-instance-credentials", Phase.CONTAINMENT, AwsAction.IAM_PUT_ROLE_POLICY, roles.get(0), Map.of(
            "RoleName", Arns.roleName(roles.get(0)),
            "PolicyName", DenyPolicies.DENY_INSTANCE_PREFIX + instanceId,
            "SourceInstanceArn", instanceArn,
            "PolicyDocument", DenyPolicies.sourceInstance(instanceArn))));
    }

    private List<Step> removalFromService(Alert alert, String instanceId, String arn) {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.destructive("detach-from-auto-scaling-groups", Phase.CONTAINMENT, AwsAction.AUTOSCALING_DETACH_INSTANCES, arn,
            Map.of("InstanceId", instanceId, "ShouldDecrementDesiredCapacity", "false")));
        steps.add(Step.destructive("deregister-from-load-balancers", Phase.CONTAINMENT, AwsAction.ELB_DEREGISTER_TARGETS, arn,
            Map.of("InstanceId", instanceId)));
        if (settings.terminateCompromisedInstances()) {
            steps.add(Step.destructive("terminate-instance", Phase.CONTAINMENT, AwsAction.EC2_TERMINATE_INSTANCES, arn,
                Map.of("InstanceId", instanceId, "Region", Arns.instanceRegion(alert, instanceId))));
        }
        return steps;
    }
}
