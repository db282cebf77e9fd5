package io.trailhound.respond.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.Decision;
import io.trailhound.avro.Entities;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.release.ReleasePlan;
import io.trailhound.respond.release.ReleasePlanner;
import io.trailhound.respond.release.ReleaseRequests;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * Release (#14) on a real broker and registry, AWS at the HTTP level: an incident contains an IAM user, a role's sessions,
 * an instance (isolation, instance deny, profile removed) and a bucket policy (an approved revert); then the release is
 * requested the way {@code trailhound release --execute} does and approved through the approvals topic, and the running
 * responder puts each resource back as recorded: exactly the key we deactivated reactivated, our inline denies deleted, the
 * interfaces' original groups, the profile re-associated, the previous bucket policy; evidence untouched; the role whose
 * policy someone edited in between is refused and audited SKIPPED.
 */
class ReleaseResponseIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();
    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String INCIDENT = "inc-release";
    private static final String INSTANCE = "i-0123456789abcdef0";
    private static final String PROFILE = "arn:aws:iam::111122223333:instance-profile/web";
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Public\",\"Effect\":\"Allow\","
        + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::customer-data/*\"},{\"Sid\":\"Own\","
        + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"s3:*\","
        + "\"Resource\":\"arn:aws:s3:::customer-data/*\"}]}";

    @Test
    void shouldRestoreEachContainedResourceAsRecordedLeaveTheEvidenceAndRefuseAChangedOne() throws Exception {
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        for (Topic<?, ?> topic : List.of(topics.alerts(), topics.incidents(), topics.actions(), topics.approvals(),
                topics.deadLetter())) {
            KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
        }
        stubContainment();
        try (ResponderEngine engine = new ResponderEngine(config(), EngineFixtures.credentials(AWS), Clock.systemUTC());
             KafkaProducer<String, Alert> alerts = EngineFixtures.producer(KAFKA, topics.alerts());
             ApprovalQueue queue = new ApprovalQueue(topics.approvals(), KAFKA.bootstrapServers())) {
            engine.start();
            for (Alert alert : incident()) {
                alerts.send(new ProducerRecord<>(topics.alerts().name(), alert.getAlertId(), alert)).get();
            }
            String revert = INCIDENT + "|s3:PutBucketPolicy|arn:aws:s3:::customer-data|revert-bucket-policy-customer-data";
            approve(queue, revert);
            await("the approved bucket policy revert", r -> r.method().equals("PUT") && r.params().containsKey("policy"), 1);
            await("both isolation steps", r -> r.action().equals("ModifyNetworkInterfaceAttribute"), 4);
            await("the profile removed", r -> r.action().equals("DisassociateIamInstanceProfile"), 1);
            await("the role's sessions revoked", r -> isCall(r, "PutRolePolicy", "RoleName", "app-role"), 1);
            await("the user's key", r -> isCall(r, "UpdateAccessKey", "Status", "Inactive"), 1);
            assertEquals(List.of("AKIAMALLORY1"), AWS.requests("UpdateAccessKey").stream().map(r -> r.param("AccessKeyId")).toList(),
                "the key already inactive is left alone");
            int contained = AWS.requests().size();

            stubContainedState();
            try (KafkaProducer<String, ResponseAction> audit = EngineFixtures.producer(KAFKA, topics.actions());
                 KafkaProducer<String, ApprovalMessage> approvals = EngineFixtures.producer(KAFKA, topics.approvals());
                 KafkaActionLedger ledger = KafkaActionLedger.load(topics.actions(), audit, KAFKA.bootstrapServers())) {
                ReleaseRequests release = new ReleaseRequests(ledger, new KafkaApprovalGate(topics.approvals(), approvals),
                    Duration.ofHours(4), "bob", Clock.systemUTC());
                ReleasePlan plan = release.plan(INCIDENT, Optional.empty());
                assertEquals(List.of("ec2:AssociateIamInstanceProfile", "iam:DeleteRolePolicy", "ec2:ModifyNetworkInterfaceAttribute",
                    "s3:PutBucketPolicy", "iam:DeleteRolePolicy", "iam:DeleteUserPolicy", "iam:UpdateAccessKey").stream().sorted().toList(),
                    plan.steps().stream().map(s -> s.step().action().id()).sorted().toList(), plan.toString());
                assertTrue(plan.kept().stream().anyMatch(k -> k.awsAction().equals("ec2:CreateSnapshots")
                    && k.reason().equals("evidence is never touched")), plan.kept().toString());
                assertEquals(contained, AWS.requests().size(), "planning a release calls nothing");
                release.request(plan);
                for (var step : plan.steps()) {
                    approve(queue, step.actionId());
                }
            }

            await("exactly the key we deactivated reactivated", r -> isCall(r, "UpdateAccessKey", "Status", "Active"), 1);
            assertEquals("AKIAMALLORY1", AWS.requests("UpdateAccessKey").stream().filter(r -> "Active".equals(r.param("Status")))
                .findFirst().orElseThrow().param("AccessKeyId"));
            await("the user's token-age deny deleted", r -> isCall(r, "DeleteUserPolicy", "PolicyName", "AWSRevokeOlderSessions"), 1);
            await("the instance deny deleted", r -> isCall(r, "DeleteRolePolicy", "PolicyName", "TrailhoundDenyInstance-" + INSTANCE), 1);
            await("the profile re-associated", r -> isCall(r, "AssociateIamInstanceProfile", "IamInstanceProfile.Arn", PROFILE), 1);
            await("the original groups", r -> r.action().equals("ModifyNetworkInterfaceAttribute")
                && r.params().containsKey("SecurityGroupId.2"), 1);
            AwsRequest eni1 = AWS.requests("ModifyNetworkInterfaceAttribute").stream()
                .filter(r -> "eni-1".equals(r.param("NetworkInterfaceId")) && "sg-web".equals(r.param("SecurityGroupId.1")))
                .findFirst().orElseThrow();
            assertEquals("sg-ssh", eni1.param("SecurityGroupId.2"));
            await("eni-2 back", r -> isCall(r, "ModifyNetworkInterfaceAttribute", "SecurityGroupId.1", "sg-db"), 1);
            await("the previous bucket policy", r -> r.method().equals("PUT") && r.params().containsKey("policy")
                && r.body().contains("\"Sid\":\"Public\""), 1);

            ResponseAction refused = awaitRecord(topics, ReleasePlanner.actionId(INCIDENT,
                INCIDENT + "|iam:PutRolePolicy|arn:aws:iam::111122223333:role/app-role|revoke-older-sessions"));
            assertEquals(ActionStatus.SKIPPED, refused.getStatus(), refused.toString());
            assertTrue(refused.getReason().contains("differs from ours"), refused.getReason());
            assertTrue(AWS.requests().stream().noneMatch(r -> isCall(r, "DeleteRolePolicy", "RoleName", "app-role")),
                "the edited policy is left alone");
            assertTrue(AWS.requests().stream().noneMatch(r -> r.action().equals("DeleteSnapshot") || r.action().equals("DeleteTags")
                || r.method().equals("DELETE")), "evidence untouched");
        }
    }

    private static List<Alert> incident() {
        return List.of(
            live(TestAlerts.iamUser(), 0),
            live(TestAlerts.roleSession("arn:aws:iam::111122223333:role/app-role", "attacker"), 1),
            live(TestAlerts.instance(INSTANCE).setEntities(Entities.newBuilder().setInstanceIds(List.of(INSTANCE))
                .setRoleArns(List.of("arn:aws:iam::111122223333:role/web")).build())
                .setFindingTypes(List.of("CryptoCurrency:EC2/BitcoinTool.B!DNS")), 2),
            live(TestAlerts.iamUser().setPrincipal(null).setRuleId("AttackSequence:S3/CompromisedData")
                .setEntities(Entities.newBuilder().setBuckets(List.of("customer-data")).build()), 3));
    }

    private static Alert live(Alert.Builder alert, int number) {
        Instant now = Instant.now();
        return alert.setAlertId("release-" + number).setIncidentId(INCIDENT).setSeverity(Severity.MEDIUM).setRuleKind(RuleKind.SIGNATURE)
            .setFirstSeen(now.minusSeconds(120)).setLastSeen(now.minusSeconds(60)).setDetectedAt(now.minusSeconds(55)).build();
    }

    private static void stubContainment() {
        AWS.stubQuery(AwsQueryService.STS, "AssumeRole", LocalResponder.ASSUME_ROLE_RESULT);
        AWS.stubQuery(AwsQueryService.IAM, "ListAccessKeys", keys("Active"));
        AWS.stubQuery(AwsQueryService.IAM, "UpdateAccessKey", "");
        AWS.stubQueryError(AwsQueryService.IAM, "GetUserPolicy", 404, "NoSuchEntity", "none");
        AWS.stubQueryError(AwsQueryService.IAM, "GetRolePolicy", 404, "NoSuchEntity", "none");
        for (String call : List.of("PutUserPolicy", "PutRolePolicy", "DeleteUserPolicy", "DeleteRolePolicy", "DeleteLoginProfile")) {
            AWS.stubQuery(AwsQueryService.IAM, call, "");
        }
        AWS.stubQuery(AwsQueryService.IAM, "ListSSHPublicKeys", "<SSHPublicKeys/><IsTruncated>false</IsTruncated>");
        AWS.stubQuery(AwsQueryService.IAM, "ListServiceSpecificCredentials", "<ServiceSpecificCredentials/>");
        AWS.stubQuery(AwsQueryService.IAM, "ListSigningCertificates", "<Certificates/><IsTruncated>false</IsTruncated>");
        instance("<groupSet><item><groupId>sg-web</groupId></item><item><groupId>sg-ssh</groupId></item></groupSet>",
            "<groupSet><item><groupId>sg-db</groupId></item></groupSet>", "");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeInstanceAttribute", Map.of("Attribute", "userData"),
            "<instanceId>" + INSTANCE + "</instanceId><userData><value>IyEvYmluL2Jhc2g=</value></userData>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeInstanceAttribute", Map.of("Attribute", "disableApiTermination"),
            "<instanceId>" + INSTANCE + "</instanceId><disableApiTermination><value>false</value></disableApiTermination>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeInstanceAttribute", Map.of("Attribute", "instanceInitiatedShutdownBehavior"),
            "<instanceId>" + INSTANCE + "</instanceId><instanceInitiatedShutdownBehavior><value>terminate</value>"
                + "</instanceInitiatedShutdownBehavior>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeIamInstanceProfileAssociations", "<iamInstanceProfileAssociationSet><item>"
            + "<associationId>iip-assoc-1</associationId><instanceId>" + INSTANCE + "</instanceId><iamInstanceProfile><arn>" + PROFILE
            + "</arn><id>AIPAEXAMPLE</id></iamInstanceProfile><state>associated</state></item></iamInstanceProfileAssociationSet>");
        AWS.stubQuery(AwsQueryService.EC2, "GetConsoleOutput", "<instanceId>" + INSTANCE + "</instanceId>"
            + "<timestamp>2026-11-28T00:09:00.000Z</timestamp><output>Ym9vdA==</output>");
        AWS.stubQuery(AwsQueryService.EC2, "GetConsoleScreenshot", "<instanceId>" + INSTANCE + "</instanceId>"
            + "<imageData>/9gBAg==</imageData>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeSnapshots", "<snapshotSet/>");
        AWS.stubQuery(AwsQueryService.EC2, "CreateSnapshots", "<snapshotSet><item><snapshotId>snap-1</snapshotId>"
            + "<volumeId>vol-1</volumeId></item></snapshotSet>");
        for (String call : List.of("ModifyInstanceAttribute", "CreateTags", "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupEgress",
                "ModifyNetworkInterfaceAttribute")) {
            AWS.stubQuery(AwsQueryService.EC2, call, "<return>true</return>");
        }
        AWS.stubQuery(AwsQueryService.EC2, "DescribeSecurityGroups", "<securityGroupInfo/>");
        AWS.stubQuery(AwsQueryService.EC2, "CreateSecurityGroup", Map.of("GroupName", "trailhound-isolation-allow-all"),
            "<return>true</return><groupId>sg-allowall</groupId>");
        AWS.stubQuery(AwsQueryService.EC2, "CreateSecurityGroup", Map.of("GroupName", "trailhound-quarantine"),
            "<return>true</return><groupId>sg-quarantine</groupId>");
        AWS.stubQuery(AwsQueryService.EC2, "DisassociateIamInstanceProfile", "<iamInstanceProfileAssociation>"
            + "<associationId>iip-assoc-1</associationId><state>disassociating</state></iamInstanceProfileAssociation>");
        AWS.stubQuery(AwsQueryService.EC2, "AssociateIamInstanceProfile", "<iamInstanceProfileAssociation>"
            + "<associationId>iip-assoc-2</associationId><state>associating</state></iamInstanceProfileAssociation>");
        QueryStubs.AUTO_SCALING.stub(AWS.wireMock(), "DescribeAutoScalingInstances", "<AutoScalingInstances/>");
        QueryStubs.ELB.stub(AWS.wireMock(), "DescribeTargetGroups", "<TargetGroups/>");
        AWS.wireMock().stubFor(any(urlPathMatching("/trailhound-evidence/.*")).atPriority(10)
            .willReturn(aResponse().withStatus(404)));
        AWS.wireMock().stubFor(put(urlPathMatching("/trailhound-evidence/.*"))
            .willReturn(aResponse().withStatus(200).withHeader("x-amz-request-id", "evidence-put").withHeader("ETag", "\"e\"")));
        AWS.wireMock().stubFor(get(urlPathEqualTo("/customer-data")).withQueryParam("policy", matching(".*"))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(POLICY)));
        AWS.wireMock().stubFor(put(urlPathEqualTo("/customer-data")).withQueryParam("policy", matching(".*"))
            .willReturn(aResponse().withStatus(204).withHeader("x-amz-request-id", "put-policy")));
        AWS.wireMock().stubFor(get(urlPathEqualTo("/customer-data")).withQueryParam("publicAccessBlock", matching(".*"))
            .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/xml").withBody("<Error>"
                + "<Code>NoSuchPublicAccessBlockConfiguration</Code><Message>none</Message><RequestId>r1</RequestId></Error>")));
        AWS.wireMock().stubFor(put(urlPathEqualTo("/customer-data")).withQueryParam("publicAccessBlock", matching(".*"))
            .willReturn(aResponse().withStatus(200).withHeader("x-amz-request-id", "put-pab")));
    }

    /** What AWS answers once contained, and someone edited app-role's revoke policy in between. */
    private static void stubContainedState() {
        AWS.stubQuery(AwsQueryService.IAM, "ListAccessKeys", keys("Inactive"));
        AWS.stubQuery(AwsQueryService.IAM, "GetUserPolicy", Map.of("UserName", "mallory"), policy("mallory", "AWSRevokeOlderSessions",
            sent("PutUserPolicy", "UserName", "mallory")));
        String instanceDeny = "TrailhoundDenyInstance-" + INSTANCE;
        AWS.stubQuery(AwsQueryService.IAM, "GetRolePolicy", Map.of("RoleName", "web"), policy("web", instanceDeny,
            sent("PutRolePolicy", "RoleName", "web")));
        AWS.stubQuery(AwsQueryService.IAM, "GetRolePolicy", Map.of("RoleName", "app-role"), policy("app-role", "AWSRevokeOlderSessions",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));
        String quarantine = "<groupSet><item><groupId>sg-quarantine</groupId></item></groupSet>";
        instance(quarantine, quarantine, "<tagSet><item><key>trailhound:original-security-groups</key>"
            + "<value>eni-1=sg-web+sg-ssh;eni-2=sg-db</value></item></tagSet>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeIamInstanceProfileAssociations", "<iamInstanceProfileAssociationSet/>");
        String ours = AWS.requests().stream().filter(r -> r.method().equals("PUT") && r.params().containsKey("policy"))
            .findFirst().orElseThrow().body();
        AWS.wireMock().stubFor(get(urlPathEqualTo("/customer-data")).withQueryParam("policy", matching(".*"))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(ours)));
    }

    private static String keys(String first) {
        return "<AccessKeyMetadata><member><UserName>mallory</UserName><AccessKeyId>AKIAMALLORY1</AccessKeyId><Status>" + first
            + "</Status></member><member><UserName>mallory</UserName><AccessKeyId>AKIAMALLORY2</AccessKeyId><Status>Inactive</Status>"
            + "</member></AccessKeyMetadata><IsTruncated>false</IsTruncated>";
    }

    private static String policy(String principal, String name, String document) {
        return "<PolicyName>" + name + "</PolicyName><UserName>" + principal + "</UserName><RoleName>" + principal + "</RoleName>"
            + "<PolicyDocument>" + URLEncoder.encode(document, StandardCharsets.UTF_8) + "</PolicyDocument>";
    }

    private static String sent(String action, String param, String value) {
        return AWS.requests(action).stream().filter(r -> value.equals(r.param(param))).findFirst().orElseThrow().param("PolicyDocument");
    }

    private static void instance(String eni1Groups, String eni2Groups, String tags) {
        AWS.stubQuery(AwsQueryService.EC2, "DescribeInstances", "<reservationSet><item><reservationId>r-1</reservationId>"
            + "<instancesSet><item><instanceId>" + INSTANCE + "</instanceId><instanceState><code>16</code><name>running</name>"
            + "</instanceState><vpcId>vpc-1</vpcId>" + tags
            + "<blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-1</volumeId>"
            + "<deleteOnTermination>true</deleteOnTermination></ebs></item></blockDeviceMapping>"
            + "<networkInterfaceSet><item><networkInterfaceId>eni-1</networkInterfaceId>" + eni1Groups + "</item>"
            + "<item><networkInterfaceId>eni-2</networkInterfaceId>" + eni2Groups + "</item>"
            + "</networkInterfaceSet></item></instancesSet></item></reservationSet>");
    }

    private static boolean isCall(AwsRequest request, String action, String param, String value) {
        return request.action().equals(action) && value.equals(request.param(param));
    }

    private static void approve(ApprovalQueue queue, String actionId) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (queue.pending(Instant.now()).stream().map(ApprovalRequest::getActionId).noneMatch(actionId::equals)) {
            assertTrue(Instant.now().isBefore(deadline), "no approval request for " + actionId);
            Thread.sleep(200);
        }
        queue.decide(actionId, Decision.APPROVED, "alice", "release test", Instant.now(),
                    Optional.of(EngineFixtures.ALICE.getPrivate()));
    }

    private static void await(String what, Predicate<AwsRequest> call, int times) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (AWS.requests().stream().filter(call).count() < times && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertEquals(times, AWS.requests().stream().filter(call).count(), what + ": " + AWS.requests().stream()
            .map(r -> r.action() + r.params()).toList());
    }

    private static ResponseAction awaitRecord(Topics topics, String actionId) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        try (KafkaProducer<String, ResponseAction> audit = EngineFixtures.producer(KAFKA, topics.actions())) {
            while (true) {
                try (KafkaActionLedger ledger = KafkaActionLedger.load(topics.actions(), audit, KAFKA.bootstrapServers())) {
                    Optional<ResponseAction> latest = ledger.latest(actionId);
                    if (latest.isPresent() && ActionLedger.isFinal(latest.get().getStatus())) {
                        return latest.get();
                    }
                }
                assertTrue(Instant.now().isBefore(deadline), "no final record of " + actionId);
                Thread.sleep(500);
            }
        }
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
