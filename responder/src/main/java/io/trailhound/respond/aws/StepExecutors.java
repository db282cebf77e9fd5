package io.trailhound.respond.aws;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.Arns;
import io.trailhound.respond.runbook.AwsAction;
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

    private static final Duration FIRST_THROTTLE_WAIT = Duration.ofMillis(500);
    private static final Duration LONGEST_THROTTLE_WAIT = Duration.ofSeconds(15);

    private final Map<AwsAction, StepExecutor> byAction;
    private final StepExecutor release;
    private final Map<String, String> protectingTags;
    private final Duration throttleBudget;

    StepExecutors(Map<AwsAction, StepExecutor> byAction, StepExecutor release, Map<String, String> protectingTags) {
        this(byAction, release, protectingTags, Duration.ZERO);
    }

    private StepExecutors(Map<AwsAction, StepExecutor> byAction, StepExecutor release, Map<String, String> protectingTags,
                          Duration throttleBudget) {
        this.byAction = new EnumMap<>(byAction);
        this.release = release;
        this.protectingTags = Map.copyOf(protectingTags);
        this.throttleBudget = throttleBudget;
    }

    /**
     * These executors, running a step again while AWS throttles it (after the SDK's own retries), with a growing jittered
     * wait, for up to {@code budget} from the step's start: an account-wide throttling storm during containment (#17) must
     * delay a containment step, not turn it into a final FAILED that is never attempted again. Steps are idempotent: a run
     * after a partial one finds what is already done.
     */
    public StepExecutors persistingThrough(Duration budget) {
        return new StepExecutors(byAction, release, protectingTags, budget);
    }

    /** The executors of every action the built-in runbooks plan. */
    public static StepExecutors standard(RunbookSettings settings, Map<String, String> protectingTags) {
        Set<String> trusted = Set.copyOf(settings.forensics().trustedAccountIds());
        Standard standard = new Standard(new IamCredentialExecutor(), new InlineDenyExecutor(),
            new TrustPolicyExecutor(new EvidenceStore(settings.forensics())),
            new InstanceEvidenceExecutor(new EvidenceStore(settings.forensics())), new InstancePreservationExecutor(),
            new InstanceIsolationExecutor(settings), new ExfiltrationExecutor(trusted), new BucketPolicyExecutor(trusted),
            new ServiceMembershipExecutor(), new ForensicExecutor(settings.forensics()), new WebhookExecutor(),
            new SnsPublishExecutor(),
            new ReleaseExecutor(!settings.forensics().quarantineInstanceProfileArn().isEmpty()));
        Map<AwsAction, StepExecutor> executors = new EnumMap<>(AwsAction.class);
        for (AwsAction action : AwsAction.values()) {
            standard.of(action).ifPresent(executor -> executors.put(action, executor));
        }
        return new StepExecutors(executors, standard.release(), protectingTags);
    }

    /** The standard executors, one per action family. */
    private record Standard(StepExecutor credentials, StepExecutor deny, StepExecutor trust, StepExecutor evidence,
                            StepExecutor preservation,
                            StepExecutor isolation, StepExecutor exfiltration, StepExecutor bucketPolicy, StepExecutor membership,
                            ForensicExecutor forensic, StepExecutor webhook, StepExecutor sns, StepExecutor release) {

        /**
         * The executor of steps of {@code action}; empty for actions that are only ever called inside another step (and
         * {@code trailhound:*} actions that call nothing). A switch without default: a new action does not compile until
         * it is given an executor or declared a supporting call (#14).
         */
        Optional<StepExecutor> of(AwsAction action) {
            return Optional.ofNullable(switch (action) {
                case IAM_LIST_ACCESS_KEYS, IAM_UPDATE_ACCESS_KEY, IAM_DELETE_LOGIN_PROFILE, IAM_UPDATE_SSH_PUBLIC_KEY,
                    IAM_UPDATE_SERVICE_SPECIFIC_CREDENTIAL, IAM_UPDATE_SIGNING_CERTIFICATE -> credentials;
                case IAM_PUT_USER_POLICY, IAM_PUT_ROLE_POLICY -> deny;
                case IAM_GET_ROLE, IAM_UPDATE_ASSUME_ROLE_POLICY -> trust;
                case EC2_DESCRIBE_INSTANCES, EC2_DESCRIBE_INSTANCE_ATTRIBUTE, EC2_DESCRIBE_IAM_INSTANCE_PROFILE_ASSOCIATIONS,
                    EC2_GET_CONSOLE_OUTPUT, EC2_GET_CONSOLE_SCREENSHOT, EC2_CREATE_SNAPSHOTS -> evidence;
                case EC2_MODIFY_INSTANCE_ATTRIBUTE, EC2_DISASSOCIATE_IAM_INSTANCE_PROFILE, EC2_STOP_INSTANCES,
                    EC2_TERMINATE_INSTANCES -> preservation;
                case EC2_CREATE_TAGS, EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE -> isolation;
                case S3_GET_BUCKET_POLICY, S3_PUT_BUCKET_PUBLIC_ACCESS_BLOCK, EC2_MODIFY_IMAGE_ATTRIBUTE -> exfiltration;
                // one AWS action, two steps: unsharing (data exfiltration) and sharing with the forensic account
                case EC2_MODIFY_SNAPSHOT_ATTRIBUTE -> new SnapshotPermissions(exfiltration, forensic);
                case S3_PUT_BUCKET_POLICY, S3_PUT_BUCKET_ACL -> bucketPolicy;
                case AUTOSCALING_SET_INSTANCE_PROTECTION, AUTOSCALING_ENTER_STANDBY, AUTOSCALING_DETACH_INSTANCES,
                    ELB_DEREGISTER_TARGETS -> membership;
                case EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION, SSM_SEND_COMMAND -> forensic;
                case SNS_PUBLISH -> sns;
                // only release steps (#14) take these actions; a release step of any action runs through it, see run
                case IAM_DELETE_USER_POLICY, IAM_DELETE_ROLE_POLICY, EC2_ASSOCIATE_IAM_INSTANCE_PROFILE, S3_DELETE_BUCKET_POLICY -> release;
                case TRAILHOUND_POST_WEBHOOK -> webhook;
                case TRAILHOUND_RECORD_ONLY, TRAILHOUND_ESCALATE_TO_HUMAN -> RECORD_ONLY;
                case IAM_LIST_SSH_PUBLIC_KEYS, IAM_LIST_SERVICE_SPECIFIC_CREDENTIALS, IAM_LIST_SIGNING_CERTIFICATES,
                    IAM_GET_USER_POLICY, IAM_GET_ROLE_POLICY, IAM_PASS_ROLE, EC2_DESCRIBE_SNAPSHOTS, EC2_DESCRIBE_SNAPSHOT_ATTRIBUTE,
                    EC2_DESCRIBE_IMAGE_ATTRIBUTE, EC2_DESCRIBE_SECURITY_GROUPS, EC2_CREATE_SECURITY_GROUP,
                    EC2_AUTHORIZE_SECURITY_GROUP_INGRESS, EC2_REVOKE_SECURITY_GROUP_EGRESS, SSM_LIST_COMMANDS,
                    AUTOSCALING_DESCRIBE_AUTO_SCALING_INSTANCES, ELB_DESCRIBE_TARGET_GROUPS, ELB_DESCRIBE_TARGET_HEALTH,
                    S3_GET_BUCKET_ACL, S3_GET_BUCKET_PUBLIC_ACCESS_BLOCK, S3_GET_OBJECT, S3_PUT_OBJECT,
                    S3_PUT_OBJECT_TAGGING, S3_PUT_OBJECT_RETENTION, STS_ASSUME_ROLE -> null;
            });
        }
    }

    /** Snapshot permissions: added for the forensic account ({@code OperationType=add}), else removed (exfiltration). */
    private record SnapshotPermissions(StepExecutor unshare, StepExecutor share) implements StepExecutor {

        @Override
        public StepOutcome execute(PlannedStep step, AwsClients aws) {
            boolean add = "add".equals(step.step().parameters().get("OperationType"));
            return (add ? share : unshare).execute(step, aws);
        }

        @Override
        public Set<AwsAction> awsActions() {
            Set<AwsAction> actions = new TreeSet<>(unshare.awsActions());
            actions.addAll(share.awsActions());
            return actions;
        }
    }

    /** The steps that call nothing: their audit record is what they do. */
    private static final StepExecutor RECORD_ONLY = new StepExecutor() {
        @Override
        public StepOutcome execute(PlannedStep step, AwsClients aws) {
            return StepOutcome.executed(List.of(), null, null);
        }

        @Override
        public Set<AwsAction> awsActions() {
            return Set.of();
        }
    };

    /**
     * Every AWS action the executors may call in the accounts the responder acts in, sorted: the permissions of the role it
     * assumes there (the protecting-tag check needs {@code ec2:DescribeInstances}, which the EC2 executors declare too).
     */
    public SortedSet<String> awsActions() {
        SortedSet<String> actions = new TreeSet<>();
        byAction.values().forEach(executor -> executor.awsActions().forEach(action -> actions.add(action.id())));
        return Collections.unmodifiableSortedSet(actions);
    }

    /** Whether a step of {@code action} can be executed here. */
    public boolean supports(AwsAction action) {
        return byAction.containsKey(action);
    }

    /**
     * Executes {@code step} with {@code aws}; never throws for AWS errors. A release step (#14) runs through the release
     * executor whatever its action (an {@code iam:UpdateAccessKey} that reactivates), and without the protecting-tag check:
     * it gives back what containment took.
     */
    public StepOutcome run(PlannedStep step, AwsClients aws) {
        long deadline = System.nanoTime() + throttleBudget.toNanos();
        Duration wait = FIRST_THROTTLE_WAIT;
        while (true) {
            Attempt attempt = runOnce(step, aws);
            if (!attempt.throttled() || System.nanoTime() + wait.toNanos() > deadline) {
                return attempt.outcome();
            }
            long jittered = wait.toMillis() / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(wait.toMillis() / 2 + 1);
            LOG.warn("step {} {} on {} throttled by AWS ({}); trying again in {} ms", step.step().name(), step.step().action(),
                step.step().resource(), attempt.outcome().errorCode(), jittered);
            try {
                Thread.sleep(jittered);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return attempt.outcome();
            }
            wait = wait.multipliedBy(2).compareTo(LONGEST_THROTTLE_WAIT) > 0 ? LONGEST_THROTTLE_WAIT : wait.multipliedBy(2);
        }
    }

    /** One run of a step: its outcome, and whether it failed because AWS throttled it. */
    private record Attempt(StepOutcome outcome, boolean throttled) {
    }

    private Attempt runOnce(PlannedStep step, AwsClients aws) {
        AwsAction action = step.step().action();
        boolean releasing = step.step().isRelease();
        StepExecutor executor = releasing ? release : byAction.get(action);
        if (executor == null) {
            return new Attempt(StepOutcome.failed(List.of(), "UnsupportedAction", "the responder cannot execute " + action + " yet"),
                false);
        }
        RequestIds ids = new RequestIds();
        try {
            Optional<String> protectedBy = releasing ? Optional.empty() : protectingTag(step, aws, ids);
            if (protectedBy.isPresent()) {
                return new Attempt(StepOutcome.skipped(ids.all(), "protected: instance carries tag " + protectedBy.get()), false);
            }
            return new Attempt(executor.execute(step, aws), false);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "Unknown" : e.awsErrorDetails().errorCode();
            LOG.warn("step {} {} on {} failed: {} {}", step.step().name(), action, step.step().resource(), code, e.statusCode());
            return new Attempt(StepOutcome.failed(e.requestId() == null ? ids.all() : List.of(e.requestId()), code,
                e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()), e.isThrottlingException());
        } catch (SdkException e) {
            LOG.warn("step {} {} on {} failed without an AWS answer: {}", step.step().name(), action, step.step().resource(),
                e.getMessage());
            return new Attempt(StepOutcome.failed(ids.all(), "ClientError", e.getMessage()), false);
        }
    }

    /**
     * What the approval request for {@code step} must show (see {@link StepExecutor#preview}); a failed read is a failed
     * outcome, for the caller to record instead of asking a human to approve what nobody could show.
     */
    public Preview preview(PlannedStep step, Supplier<AwsClients> aws) {
        StepExecutor executor = step.step().isRelease() ? release : byAction.get(step.step().action());
        if (executor == null) {
            return new Preview(Optional.empty(), null);
        }
        try {
            return new Preview(executor.preview(step, aws), null);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "Unknown" : e.awsErrorDetails().errorCode();
            return new Preview(Optional.empty(), StepOutcome.failed(e.requestId() == null ? List.of() : List.of(e.requestId()), code,
                "cannot show the approver what would change: " + (e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorMessage())));
        } catch (SdkException | IllegalArgumentException e) {
            return new Preview(Optional.empty(), StepOutcome.failed(List.of(), "ClientError",
                "cannot show the approver what would change: " + e.getMessage()));
        }
    }

    /**
     * The preview of a step waiting for approval, or why there is none.
     *
     * @param preview what to show, if the executor shows anything
     * @param failure the failed outcome when reading what to show failed, else null
     */
    public record Preview(Optional<ApprovalPreview> preview, StepOutcome failure) {
    }

    private Optional<String> protectingTag(PlannedStep step, AwsClients aws, RequestIds ids) {
        String resource = step.step().resource();
        if (protectingTags.isEmpty() || !resource.contains(":ec2:") || !resource.contains(":instance/")) {
            return Optional.empty();
        }
        Instance instance = Ec2Instances.describe(aws.ec2(), Arns.resourceId(resource), ids);
        return Ec2Instances.protectingTag(instance, protectingTags);
    }
}
