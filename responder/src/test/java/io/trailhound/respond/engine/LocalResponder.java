package io.trailhound.respond.engine;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.aws.AwsClientFactory;
import io.trailhound.respond.aws.StepExecutors;
import io.trailhound.respond.plan.ResponsePlanner;
import io.trailhound.respond.runbook.RunbookSettings;
import io.trailhound.respond.safety.Approvers;
import io.trailhound.respond.safety.DecisionCheck;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** A responder wired to local AWS endpoints with an in-memory ledger and approvals, at {@link TestAlerts#NOW} unless told. */
final class LocalResponder implements AutoCloseable {

    static final String ASSUME_ROLE_RESULT = "<Credentials><AccessKeyId>ASIAASSUMEDEXAMPLE</AccessKeyId>"
        + "<SecretAccessKey>assumedSecretExample</SecretAccessKey><SessionToken>assumedTokenExample</SessionToken>"
        + "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser>"
        + "<Arn>arn:aws:sts::111122223333:assumed-role/TrailhoundResponder/trailhound-responder</Arn>"
        + "<AssumedRoleId>AROAEXAMPLE:trailhound-responder</AssumedRoleId></AssumedRoleUser>";

    /** What the least-privilege role policy allows in the target accounts. */
    static final Set<String> POLICY_ACTIONS = StepExecutors.standard(RunbookSettings.defaults(), Map.of()).awsActions();

    final ActionLedger ledger;
    final RecordingApprovals approvals = new RecordingApprovals();
    final AlertResponder responder;
    private final AwsClientFactory factory;

    LocalResponder(AwsEndpointExtension aws, URI s3, Map<String, String> overrides) {
        this(aws, s3, overrides, new InMemoryActionLedger());
    }

    LocalResponder(AwsEndpointExtension aws, URI s3, Map<String, String> overrides, ActionLedger ledger) {
        this(aws, s3, overrides, ledger, Clock.fixed(TestAlerts.NOW, ZoneOffset.UTC));
    }

    /** A responder whose clock is {@code clock} (a restart later than {@link TestAlerts#NOW} plans new cut-offs). */
    LocalResponder(AwsEndpointExtension aws, URI s3, Map<String, String> overrides, ActionLedger ledger, Clock clock) {
        this.ledger = ledger;
        aws.stubQuery(AwsQueryService.STS, "AssumeRole", ASSUME_ROLE_RESULT);
        Map<String, String> props = new HashMap<>(Map.of(ResponderConfig.DRY_RUN_CONFIG, "false"));
        props.putAll(overrides);
        ResponderConfig config = new ResponderConfig(props);
        factory = new AwsClientFactory(new AwsClientFactory.AwsSettings(Optional.of(aws.endpoint()), 3, Duration.ofMillis(5), true,
            "TrailhoundResponder", "aws", "us-east-1", Optional.ofNullable(s3)),
            StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey())));
        responder = new AlertResponder(ResponsePlanner.from(config),
            StepExecutors.standard(config.runbookSettings(), config.protectedInstanceTags())
                .persistingThrough(config.awsThrottleBudget()), factory::clientsFor, ledger, approvals,
            new AlertResponder.Settings(config.dryRun(), Duration.ofHours(1), "trailhound-test", decisions(overrides)),
            clock, new ResponderMetrics(() -> ledger.count(ActionStatus.AWAITING_APPROVAL)));
    }

    /**
     * The decision check: as configured when the test names approvers, else one applying unsigned decisions (what these
     * tests of the runbooks send; signing is tested by DecisionCheckTest and TrustedDecisionsIT).
     */
    private static DecisionCheck decisions(Map<String, String> overrides) {
        boolean signed = overrides.keySet().stream().anyMatch(key -> key.startsWith(Approvers.PREFIX));
        return signed ? new ResponderConfig(overrides).decisionCheck() : new DecisionCheck(Approvers.none(), false);
    }

    /**
     * The EC2, IAM, Auto Scaling, ELB and SSM actions the local endpoint received, in IAM policy notation (STS and SNS
     * belong to the base identity).
     */
    static Set<String> calledActions(AwsEndpointExtension aws) {
        Set<String> actions = new TreeSet<>();
        for (AwsRequest request : aws.requests()) {
            String version = request.param("Version");
            if (AwsQueryService.EC2.version().equals(version)) {
                actions.add("ec2:" + request.action());
            } else if (AwsQueryService.IAM.version().equals(version)) {
                actions.add("iam:" + request.action());
            } else if (QueryStubs.AUTO_SCALING.version().equals(version)) {
                actions.add("autoscaling:" + request.action());
            } else if (QueryStubs.ELB.version().equals(version)) {
                actions.add("elasticloadbalancing:" + request.action());
            } else if (request.action().startsWith("AmazonSSM.")) {
                actions.add("ssm:" + request.action().substring("AmazonSSM.".length()));
            }
        }
        return actions;
    }

    @Override
    public void close() {
        factory.close();
    }

    /** Approval requests kept in a list. */
    static final class RecordingApprovals implements ApprovalGate {

        final List<ApprovalRequest> requests = new ArrayList<>();

        @Override
        public void request(ApprovalRequest request) {
            requests.add(request);
        }
    }
}
