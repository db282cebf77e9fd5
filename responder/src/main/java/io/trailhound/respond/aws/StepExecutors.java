package io.trailhound.respond.aws;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.Arns;
import io.trailhound.respond.runbook.Escalation;
import io.trailhound.respond.runbook.Notification;
import io.trailhound.respond.runbook.RunbookSettings;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Runs planned steps through the executor of their action. Before touching an instance it checks the protecting tags;
 * AWS errors (after the SDK's retries of throttling and 5xx) become a failed outcome carrying the AWS error code.
 */
public final class StepExecutors {

    private static final Logger LOG = LoggerFactory.getLogger(StepExecutors.class);
    /** Separates action and step name in keys of executors bound to one step of an action. */
    private static final String STEP_SEPARATOR = "#";

    private final Map<String, StepExecutor> byAction;
    private final Map<String, String> protectingTags;

    StepExecutors(Map<String, StepExecutor> byAction, Map<String, String> protectingTags) {
        this.byAction = Map.copyOf(byAction);
        this.protectingTags = Map.copyOf(protectingTags);
    }

    /** The executors of every action the built-in runbooks plan. */
    public static StepExecutors standard(RunbookSettings settings, Map<String, String> protectingTags) {
        Map<String, StepExecutor> executors = new HashMap<>();
        StepExecutor credentials = new IamCredentialExecutor();
        List.of("iam:ListAccessKeys", "iam:UpdateAccessKey", "iam:DeleteLoginProfile", "iam:UpdateSSHPublicKey",
            "iam:UpdateServiceSpecificCredential", "iam:UpdateSigningCertificate").forEach(a -> executors.put(a, credentials));
        StepExecutor deny = new InlineDenyExecutor();
        executors.put("iam:PutUserPolicy", deny);
        executors.put("iam:PutRolePolicy", deny);
        StepExecutor evidence = new InstanceEvidenceExecutor(new EvidenceStore(settings.forensics()));
        List.of("ec2:DescribeInstances", "ec2:DescribeInstanceAttribute", "ec2:DescribeIamInstanceProfileAssociations",
            "ec2:GetConsoleOutput", "ec2:GetConsoleScreenshot", "ec2:CreateSnapshots").forEach(a -> executors.put(a, evidence));
        StepExecutor preservation = new InstancePreservationExecutor();
        List.of("ec2:ModifyInstanceAttribute", "ec2:DisassociateIamInstanceProfile", "ec2:TerminateInstances", "ec2:StopInstances")
            .forEach(a -> executors.put(a, preservation));
        StepExecutor isolation = new InstanceIsolationExecutor(settings);
        executors.put("ec2:CreateTags", isolation);
        executors.put("ec2:ModifyNetworkInterfaceAttribute", isolation);
        Set<String> trusted = Set.copyOf(settings.forensics().trustedAccountIds());
        StepExecutor exfiltration = new ExfiltrationExecutor(trusted);
        StepExecutor bucketPolicy = new BucketPolicyExecutor(trusted);
        executors.put("s3:PutBucketPolicy", bucketPolicy);
        executors.put("s3:PutBucketAcl", bucketPolicy);
        List.of("s3:GetBucketPolicy", "s3:PutBucketPublicAccessBlock", "ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute")
            .forEach(a -> executors.put(a, exfiltration));
        StepExecutor membership = new ServiceMembershipExecutor();
        List.of("autoscaling:SetInstanceProtection", "autoscaling:EnterStandby", "autoscaling:DetachInstances",
            "elasticloadbalancing:DeregisterTargets").forEach(a -> executors.put(a, membership));
        ForensicExecutor forensic = new ForensicExecutor(settings.forensics());
        forensic.stepActions().forEach(a -> executors.put(a, forensic));
        if (!settings.forensics().forensicAccountId().isEmpty()) {
            executors.put("ec2:ModifySnapshotAttribute" + STEP_SEPARATOR + ForensicExecutor.SHARE_SNAPSHOTS_STEP, forensic);
        }
        executors.put(Notification.WEBHOOK, new WebhookExecutor());
        if (!settings.notificationTopicArn().isEmpty()) {
            executors.put(Notification.SNS_PUBLISH, new SnsPublishExecutor());
        }
        return new StepExecutors(executors, protectingTags);
    }

    /**
     * Every AWS action the executors may call in the accounts the responder acts in, sorted: the permissions of the role it
     * assumes there (the protecting-tag check needs {@code ec2:DescribeInstances}, which the EC2 executors declare too).
     */
    public SortedSet<String> awsActions() {
        SortedSet<String> actions = new TreeSet<>();
        byAction.values().forEach(executor -> actions.addAll(executor.awsActions()));
        return Collections.unmodifiableSortedSet(actions);
    }

    /** Whether a step of {@code action} can be executed here. */
    public boolean supports(String action) {
        return byAction.containsKey(action) || isRecordOnly(action);
    }

    /** The executor bound to the step's action and a prefix of its name, else the action's executor. */
    private StepExecutor executorOf(PlannedStep step) {
        String prefix = step.step().action() + STEP_SEPARATOR;
        for (Map.Entry<String, StepExecutor> entry : byAction.entrySet()) {
            if (entry.getKey().startsWith(prefix) && step.step().name().startsWith(entry.getKey().substring(prefix.length()))) {
                return entry.getValue();
            }
        }
        return byAction.get(step.step().action());
    }

    /** Executes {@code step} with {@code aws}; never throws for AWS errors. */
    public StepOutcome run(PlannedStep step, AwsClients aws) {
        String action = step.step().action();
        if (isRecordOnly(action)) {
            return StepOutcome.executed(List.of(), null, null);
        }
        StepExecutor executor = executorOf(step);
        if (executor == null) {
            return StepOutcome.failed(List.of(), "UnsupportedAction", "the responder cannot execute " + action + " yet");
        }
        RequestIds ids = new RequestIds();
        try {
            Optional<String> protectedBy = protectingTag(step, aws, ids);
            if (protectedBy.isPresent()) {
                return StepOutcome.skipped(ids.all(), "protected: instance carries tag " + protectedBy.get());
            }
            return executor.execute(step, aws);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "Unknown" : e.awsErrorDetails().errorCode();
            LOG.warn("step {} {} on {} failed: {} {}", step.step().name(), action, step.step().resource(), code, e.statusCode());
            return StepOutcome.failed(e.requestId() == null ? ids.all() : List.of(e.requestId()), code,
                e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
        } catch (SdkException e) {
            LOG.warn("step {} {} on {} failed without an AWS answer: {}", step.step().name(), action, step.step().resource(),
                e.getMessage());
            return StepOutcome.failed(ids.all(), "ClientError", e.getMessage());
        }
    }

    private Optional<String> protectingTag(PlannedStep step, AwsClients aws, RequestIds ids) {
        String resource = step.step().resource();
        if (protectingTags.isEmpty() || !resource.contains(":ec2:") || !resource.contains(":instance/")) {
            return Optional.empty();
        }
        Instance instance = Ec2Instances.describe(aws.ec2(), Arns.resourceId(resource), ids);
        return Ec2Instances.protectingTag(instance, protectingTags);
    }

    private static boolean isRecordOnly(String action) {
        return Notification.AUDIT_ONLY.equals(action) || Escalation.ACTION.equals(action);
    }
}
