package io.trailhound.respond.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Decision;
import io.trailhound.avro.Entities;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.incident.IncidentState;
import io.trailhound.respond.release.ReleasePlan;
import io.trailhound.respond.release.ReleaseRequests;
import io.trailhound.respond.runbook.TrustPolicies;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * #18 item 5 on a real broker and registry, AWS at the HTTP level: an incident whose chain starts at a GitHub subject of a
 * foreign organization. The role's older sessions are denied at once; its trust policy is copied to the evidence bucket and
 * the narrowing to the subjects it served before waits for approval, whose request carries the exact diff, with nothing
 * changed before the decision; once approved, UpdateAssumeRolePolicy sends exactly the narrowed policy; a release restores
 * the original.
 */
class FederatedRootResponseIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();
    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String INCIDENT = "inc-oidc";
    private static final String ROLE = "arn:aws:iam::111122223333:role/github-deploy";
    private static final String PROVIDER = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    private static final String INTRUDER = "repo:evilcorp-labs/payload:ref:refs/heads/main";
    private static final List<String> SERVED = List.of("repo:acme/infra:ref:refs/heads/main", "repo:acme/webapp:ref:refs/heads/main");
    private static final String ORIGINAL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"GitHub\",\"Effect\":\"Allow\","
        + "\"Principal\":{\"Federated\":\"" + PROVIDER + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{"
        + "\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\"},"
        + "\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:*\"}}},"
        + "{\"Sid\":\"Ops\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ops\"},"
        + "\"Action\":\"sts:AssumeRole\"}]}";
    private static final String NARROW = INCIDENT + "|iam:UpdateAssumeRolePolicy|" + ROLE + "|narrow-trust-policy";

    @Test
    void shouldNarrowTheTrustPolicyOnlyAfterApprovalShowingTheDiffAndRestoreItOnRelease() throws Exception {
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        for (Topic<?, ?> topic : List.of(topics.alerts(), topics.incidents(), topics.actions(), topics.approvals(),
                topics.deadLetter())) {
            KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
        }
        stubAws(ORIGINAL);
        try (ResponderEngine engine = new ResponderEngine(config(), EngineFixtures.credentials(AWS), Clock.systemUTC());
             KafkaProducer<String, Alert> alerts = EngineFixtures.producer(KAFKA, topics.alerts());
             ApprovalQueue queue = new ApprovalQueue(topics.approvals(), KAFKA.bootstrapServers())) {
            engine.start();
            alerts.send(new ProducerRecord<>(topics.alerts().name(), "fed-1", signIn())).get();

            await("the role's older sessions denied at once", r -> isCall(r, "PutRolePolicy", "RoleName", "github-deploy"), 1);
            ApprovalRequest request = awaitRequest(queue, NARROW);
            await("the original trust policy in the evidence bucket", r -> r.method().equals("PUT")
                && r.path().endsWith("/" + INCIDENT + "/github-deploy/trust-policy.json"), 1);
            String expected = TrustPolicies.narrow(ORIGINAL, PROVIDER, SERVED).orElseThrow();
            JsonNode details = MAPPER.readTree(request.getDetails());
            assertEquals(MAPPER.readTree(ORIGINAL), details.path("currentPolicy"), request.getDetails());
            assertEquals(MAPPER.readTree(expected), details.path("narrowedPolicy"), request.getDetails());
            assertEquals(TrustPolicies.diff(ORIGINAL, expected), details.path("diff").asText());
            String diff = details.path("diff").asText();
            assertTrue(diff.lines().anyMatch(l -> l.startsWith("- ") && l.contains("\"token.actions.githubusercontent.com:sub\" : "
                + "\"repo:*\"")), diff);
            assertTrue(diff.lines().anyMatch(l -> l.startsWith("+ ") && l.contains("\"token.actions.githubusercontent.com:sub\" : [ "
                + "\"repo:acme/infra:ref:refs/heads/main\", \"repo:acme/webapp:ref:refs/heads/main\" ]")), diff);
            Thread.sleep(1_000);
            assertTrue(AWS.requests("UpdateAssumeRolePolicy").isEmpty(), "nothing changed before approval");

            queue.decide(NARROW, Decision.APPROVED, "alice", "foreign repository", Instant.now(),
                Optional.of(EngineFixtures.ALICE.getPrivate()));
            await("the narrowed trust policy", r -> r.action().equals("UpdateAssumeRolePolicy"), 1);
            AwsRequest update = AWS.requests("UpdateAssumeRolePolicy").get(0);
            assertEquals("github-deploy", update.param("RoleName"));
            assertEquals(MAPPER.readTree(expected), MAPPER.readTree(update.param("PolicyDocument")),
                "exactly the policy the approver saw");
            assertTrue(!update.param("PolicyDocument").contains("evilcorp"), "the intruder is not kept");

            stubAws(update.param("PolicyDocument"));
            try (KafkaProducer<String, ResponseAction> audit = EngineFixtures.producer(KAFKA, topics.actions());
                 KafkaProducer<String, ApprovalMessage> approvals = EngineFixtures.producer(KAFKA, topics.approvals());
                 KafkaActionLedger ledger = KafkaActionLedger.load(topics.actions(), audit, KAFKA.bootstrapServers())) {
                ReleaseRequests release = new ReleaseRequests(ledger, new KafkaApprovalGate(topics.approvals(), approvals),
                    Duration.ofHours(4), "bob", Clock.systemUTC());
                ReleasePlan plan = release.plan(INCIDENT, Optional.empty());
                assertTrue(plan.steps().stream().anyMatch(s -> s.step().action().id().equals("iam:UpdateAssumeRolePolicy")),
                    plan.toString());
                assertTrue(plan.kept().stream().anyMatch(k -> k.awsAction().equals("iam:GetRole")
                    && k.reason().equals("evidence is never touched")), plan.kept().toString());
                release.request(plan);
                for (var step : plan.steps()) {
                    awaitRequest(queue, step.actionId());
                    queue.decide(step.actionId(), Decision.APPROVED, "alice", "release", Instant.now(),
                        Optional.of(EngineFixtures.ALICE.getPrivate()));
                }
            }
            await("the original trust policy back", r -> r.action().equals("UpdateAssumeRolePolicy"), 2);
            assertEquals(MAPPER.readTree(ORIGINAL), MAPPER.readTree(AWS.requests("UpdateAssumeRolePolicy").get(1).param("PolicyDocument")));
        }
    }

    private static Alert signIn() {
        Instant now = Instant.now();
        ChainLink subject = ChainLink.newBuilder().setPrincipalArn(PROVIDER + ":" + INTRUDER).setAccountId("111122223333").build();
        ChainLink role = ChainLink.newBuilder().setPrincipalArn(ROLE).setAccountId("111122223333").setAccessKeyId("ASIAGITHUB1").build();
        return TestAlerts.roleSession(ROLE, "GitHubActions").setAlertId("fed-1").setIncidentId(INCIDENT).setRuleId("TH-FED-002")
            .setRuleKind(RuleKind.BASELINE).setSeverity(Severity.HIGH).setChain(List.of(subject, role))
            .setEntities(Entities.newBuilder().setRoleArns(List.of(ROLE)).setOther(Map.of(IncidentState.SERVED_SUBJECTS + ROLE,
                List.of(SERVED.get(1), SERVED.get(0)))).build())
            .setFirstSeen(now.minusSeconds(120)).setLastSeen(now.minusSeconds(60)).setDetectedAt(now.minusSeconds(55)).build();
    }

    private static void stubAws(String trustPolicy) {
        AWS.stubQuery(AwsQueryService.STS, "AssumeRole", LocalResponder.ASSUME_ROLE_RESULT);
        AWS.stubQueryError(AwsQueryService.IAM, "GetRolePolicy", 404, "NoSuchEntity", "none");
        AWS.stubQuery(AwsQueryService.IAM, "PutRolePolicy", "");
        AWS.stubQuery(AwsQueryService.IAM, "UpdateAssumeRolePolicy", "");
        AWS.stubQuery(AwsQueryService.IAM, "GetRole", "<Role><Path>/</Path><RoleName>github-deploy</RoleName>"
            + "<RoleId>AROAGITHUBDEPLOY</RoleId><Arn>" + ROLE + "</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate>"
            + "<AssumeRolePolicyDocument>" + URLEncoder.encode(trustPolicy, StandardCharsets.UTF_8) + "</AssumeRolePolicyDocument>"
            + "</Role>");
        AWS.wireMock().stubFor(any(urlPathMatching("/trailhound-evidence/.*")).atPriority(10)
            .willReturn(aResponse().withStatus(404)));
        AWS.wireMock().stubFor(put(urlPathMatching("/trailhound-evidence/.*"))
            .willReturn(aResponse().withStatus(200).withHeader("x-amz-request-id", "evidence-put").withHeader("ETag", "\"e\"")));
    }

    private static ApprovalRequest awaitRequest(ApprovalQueue queue, String actionId) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            Optional<ApprovalRequest> request = queue.pending(Instant.now()).stream().filter(r -> r.getActionId().equals(actionId))
                .findFirst();
            if (request.isPresent()) {
                return request.get();
            }
            assertTrue(Instant.now().isBefore(deadline), "no approval request for " + actionId);
            Thread.sleep(200);
        }
    }

    private static boolean isCall(AwsRequest request, String action, String param, String value) {
        return request.action().equals(action) && value.equals(request.param(param));
    }

    private static void await(String what, Predicate<AwsRequest> call, int times) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (AWS.requests().stream().filter(call).count() < times && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertEquals(times, AWS.requests().stream().filter(call).count(), what + ": " + AWS.requests().stream()
            .map(r -> r.method() + " " + r.path() + " " + r.action() + r.params()).toList());
    }

    private static ResponderConfig config() {
        Map<String, String> props = new HashMap<>();
        props.put(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ResponderConfig.SCHEMA_REGISTRY_URL_CONFIG, REGISTRY.url());
        props.put(ResponderConfig.DRY_RUN_CONFIG, "false");
        props.put(ResponderConfig.CONTAINMENT_AUTOMATIC_CONFIG, "always");
        props.put(ResponderConfig.AWS_ENDPOINT_CONFIG, AWS.endpoint().toString());
        props.put(ResponderConfig.AWS_RETRY_BASE_DELAY_CONFIG, "5");
        return new ResponderConfig(EngineFixtures.signing(props));
    }
}
