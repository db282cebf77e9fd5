package io.trailhound.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ModifyInstanceAttributeResponse;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.model.BadRequestException;
import software.amazon.awssdk.services.guardduty.model.Finding;
import software.amazon.awssdk.services.guardduty.model.GetFindingsResponse;
import software.amazon.awssdk.services.guardduty.model.ListFindingsResponse;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.UpdateAccessKeyResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Round trips through the real AWS SDK v2 clients against {@link AwsEndpointExtension}, asserting both ends of the wire. */
class AwsEndpointExtensionIT {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final String INSTANCE_ID = "i-0abc123def4567890";
    private static final String CALLER_IDENTITY = "<Arn>arn:aws:iam::123456789012:user/alice</Arn>"
        + "<UserId>AIDAEXAMPLEUSERID</UserId><Account>123456789012</Account>";

    @Test
    void shouldParseDescribeInstancesFromEc2QueryResponse() {
        AwsReply reply = AWS.stubQuery(AwsQueryService.EC2, "DescribeInstances", "<reservationSet><item>"
            + "<reservationId>r-0123</reservationId><ownerId>123456789012</ownerId><instancesSet><item>"
            + "<instanceId>" + INSTANCE_ID + "</instanceId><imageId>ami-0123</imageId>"
            + "<instanceState><code>16</code><name>running</name></instanceState><instanceType>t3.micro</instanceType>"
            + "<groupSet><item><groupId>sg-0aaa</groupId><groupName>web</groupName></item>"
            + "<item><groupId>sg-0bbb</groupId><groupName>ssh</groupName></item></groupSet>"
            + "</item></instancesSet></item></reservationSet>");

        try (Ec2Client ec2 = LocalClients.build(Ec2Client.builder(), AWS)) {
            DescribeInstancesResponse response = ec2.describeInstances(r -> r.instanceIds(INSTANCE_ID));

            Instance instance = response.reservations().get(0).instances().get(0);
            assertEquals(INSTANCE_ID, instance.instanceId());
            assertEquals(InstanceStateName.RUNNING, instance.state().name());
            assertEquals(List.of("sg-0aaa", "sg-0bbb"), instance.securityGroups().stream().map(g -> g.groupId()).toList());
            assertEquals(reply.requestId(), response.responseMetadata().requestId());
        }
        AwsRequest sent = AWS.verifyCalled("DescribeInstances");
        assertEquals(INSTANCE_ID, sent.param("InstanceId.1"));
        assertEquals("2016-11-15", sent.param("Version"));
    }

    @Test
    void shouldSendModifyInstanceAttributeFormParameters() {
        AwsReply reply = AWS.stubQuery(AwsQueryService.EC2, "ModifyInstanceAttribute", "<return>true</return>");

        try (Ec2Client ec2 = LocalClients.build(Ec2Client.builder(), AWS)) {
            ModifyInstanceAttributeResponse response = ec2.modifyInstanceAttribute(r -> r
                .instanceId(INSTANCE_ID)
                .disableApiTermination(v -> v.value(true)));

            assertEquals(reply.requestId(), response.responseMetadata().requestId());
        }
        AwsRequest sent = AWS.verifyCalled("ModifyInstanceAttribute", 1).get(0);
        assertEquals("ModifyInstanceAttribute", sent.param("Action"));
        assertEquals(INSTANCE_ID, sent.param("InstanceId"));
        assertEquals("true", sent.param("DisableApiTermination.Value"));
        assertTrue(sent.header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=" + AWS.accessKeyId()));
    }

    @Test
    void shouldMapEc2XmlErrorToEc2Exception() {
        AwsReply reply = AWS.stubQueryError(AwsQueryService.EC2, "DescribeInstances", 400, "InvalidInstanceID.NotFound",
            "The instance ID 'i-0missing' does not exist");

        try (Ec2Client ec2 = LocalClients.build(Ec2Client.builder(), AWS)) {
            Ec2Exception error = assertThrows(Ec2Exception.class, () -> ec2.describeInstances(r -> r.instanceIds("i-0missing")));

            assertEquals("InvalidInstanceID.NotFound", error.awsErrorDetails().errorCode());
            assertEquals("The instance ID 'i-0missing' does not exist", error.awsErrorDetails().errorMessage());
            assertEquals(400, error.statusCode());
            assertEquals(reply.requestId(), error.requestId());
        }
    }

    @Test
    void shouldListAccessKeysAndSendUpdateAccessKeyThroughIam() {
        AWS.stubQuery(AwsQueryService.IAM, "ListAccessKeys", "<UserName>alice</UserName><AccessKeyMetadata><member>"
            + "<UserName>alice</UserName><AccessKeyId>AKIAALICEEXAMPLE0001</AccessKeyId><Status>Active</Status>"
            + "<CreateDate>2024-01-02T03:04:05Z</CreateDate></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>");
        AwsReply update = AWS.stubQuery(AwsQueryService.IAM, "UpdateAccessKey",
            Map.of("AccessKeyId", "AKIAALICEEXAMPLE0001", "Status", "Inactive"), "");

        try (IamClient iam = LocalClients.build(IamClient.builder(), AWS, Region.AWS_GLOBAL)) {
            AccessKeyMetadata key = iam.listAccessKeys(r -> r.userName("alice")).accessKeyMetadata().get(0);
            assertEquals("AKIAALICEEXAMPLE0001", key.accessKeyId());
            assertEquals(StatusType.ACTIVE, key.status());

            UpdateAccessKeyResponse response = iam.updateAccessKey(r -> r
                .userName("alice").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));
            assertEquals(update.requestId(), response.responseMetadata().requestId());
        }
        AwsRequest sent = AWS.verifyCalled("UpdateAccessKey");
        assertEquals("alice", sent.param("UserName"));
        assertEquals("Inactive", sent.param("Status"));
        assertEquals("2010-05-08", sent.param("Version"));
        assertEquals(List.of("ListAccessKeys", "UpdateAccessKey"), AWS.requests().stream().map(AwsRequest::action).toList());
    }

    @Test
    void shouldServeQueryStubOnlyToCallsWithItsFormParameters() {
        AWS.stubQuery(AwsQueryService.IAM, "UpdateAccessKey", Map.of("AccessKeyId", "AKIAALICEEXAMPLE0001"), "");

        try (IamClient iam = LocalClients.build(IamClient.builder(), AWS, Region.AWS_GLOBAL)) {
            iam.updateAccessKey(r -> r.userName("alice").accessKeyId("AKIAALICEEXAMPLE0001").status(StatusType.INACTIVE));
            assertThrows(Exception.class, () -> iam.updateAccessKey(r -> r
                .userName("bob").accessKeyId("AKIABOBEXAMPLE000002").status(StatusType.INACTIVE)));
        }
        List<AwsRequest> unmatched = AWS.journal().unmatched();
        assertTrue(unmatched.stream().allMatch(r -> "AKIABOBEXAMPLE000002".equals(r.param("AccessKeyId"))), unmatched::toString);
        assertTrue(!unmatched.isEmpty());
    }

    @Test
    void shouldMapIamNoSuchEntityErrorToItsModeledException() {
        AwsReply reply = AWS.stubQueryError(AwsQueryService.IAM, "ListAccessKeys", 404, "NoSuchEntity",
            "The user with name bob cannot be found.");

        try (IamClient iam = LocalClients.build(IamClient.builder(), AWS, Region.AWS_GLOBAL)) {
            NoSuchEntityException error = assertThrows(NoSuchEntityException.class, () -> iam.listAccessKeys(r -> r.userName("bob")));

            assertEquals("NoSuchEntity", error.awsErrorDetails().errorCode());
            assertEquals(404, error.statusCode());
            assertEquals(reply.requestId(), error.requestId());
        }
    }

    @Test
    void shouldParseCallerIdentityAndAssumedRoleCredentialsFromSts() {
        AWS.stubQuery(AwsQueryService.STS, "GetCallerIdentity", CALLER_IDENTITY);
        AWS.stubQuery(AwsQueryService.STS, "AssumeRole", "<Credentials><AccessKeyId>ASIAEXAMPLESESSION01</AccessKeyId>"
            + "<SecretAccessKey>session-secret</SecretAccessKey><SessionToken>session-token</SessionToken>"
            + "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser>"
            + "<Arn>arn:aws:sts::123456789012:assumed-role/responder/trailhound</Arn>"
            + "<AssumedRoleId>AROAEXAMPLEROLEID:trailhound</AssumedRoleId></AssumedRoleUser>");

        try (StsClient sts = LocalClients.build(StsClient.builder(), AWS)) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();
            assertEquals("123456789012", identity.account());
            assertEquals("arn:aws:iam::123456789012:user/alice", identity.arn());

            AssumeRoleResponse assumed = sts.assumeRole(r -> r
                .roleArn("arn:aws:iam::123456789012:role/responder").roleSessionName("trailhound"));
            assertEquals("ASIAEXAMPLESESSION01", assumed.credentials().accessKeyId());
            assertEquals("session-token", assumed.credentials().sessionToken());
            assertEquals("2030-01-01T00:00:00Z", assumed.credentials().expiration().toString());
        }
        AwsRequest sent = AWS.verifyCalled("AssumeRole");
        assertEquals("arn:aws:iam::123456789012:role/responder", sent.param("RoleArn"));
        assertEquals("trailhound", sent.param("RoleSessionName"));
        assertEquals("2011-06-15", sent.param("Version"));
    }

    @Test
    void shouldReceiveAndDeleteSqsMessagesOverJson10() {
        String queueUrl = AWS.endpoint() + "/123456789012/trailhound-cloudtrail";
        String body = "{\"Records\":[{\"s3\":{\"object\":{\"key\":\"AWSLogs/123456789012/CloudTrail/x.json.gz\"}}}]}";
        AwsReply received = AWS.stubJson("AmazonSQS.ReceiveMessage", "{\"Messages\":[{\"MessageId\":\"m-1\","
            + "\"ReceiptHandle\":\"rh-1\",\"MD5OfBody\":\"" + md5Hex(body) + "\",\"Body\":" + JsonText.quote(body) + "}]}");
        AWS.stubJson("AmazonSQS.DeleteMessage", "{}");

        try (SqsClient sqs = LocalClients.build(SqsClient.builder(), AWS)) {
            ReceiveMessageResponse response = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0));
            Message message = response.messages().get(0);
            assertEquals(body, message.body());
            assertEquals("rh-1", message.receiptHandle());
            assertEquals(received.requestId(), response.responseMetadata().requestId());

            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
        AwsRequest receive = AWS.verifyCalled("ReceiveMessage");
        assertEquals("AmazonSQS.ReceiveMessage", receive.header("X-Amz-Target"));
        assertEquals("application/x-amz-json-1.0", receive.header("Content-Type"));
        assertTrue(receive.body().contains("\"QueueUrl\":\"" + queueUrl + "\""), receive.body());
        AwsRequest delete = AWS.verifyCalled("AmazonSQS.DeleteMessage");
        assertTrue(delete.body().contains("\"ReceiptHandle\":\"rh-1\""), delete.body());
    }

    @Test
    void shouldMapSqsJsonErrorTypeToItsModeledException() {
        AWS.stubJsonError("AmazonSQS.ReceiveMessage", 400, "com.amazonaws.sqs#QueueDoesNotExist", "The specified queue does not exist.");

        try (SqsClient sqs = LocalClients.build(SqsClient.builder(), AWS)) {
            QueueDoesNotExistException error = assertThrows(QueueDoesNotExistException.class,
                () -> sqs.receiveMessage(r -> r.queueUrl(AWS.endpoint() + "/123456789012/gone")));

            assertEquals("QueueDoesNotExist", error.awsErrorDetails().errorCode());
            assertEquals("The specified queue does not exist.", error.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void shouldListAndGetGuardDutyFindingsOverRestJson() {
        AWS.stubRestJson("POST", "/detector/[^/]+/findings", 200, "{\"findingIds\":[\"f-0001\"]}");
        AWS.stubRestJson("POST", "/detector/[^/]+/findings/get", 200, "{\"findings\":[{\"accountId\":\"123456789012\","
            + "\"arn\":\"arn:aws:guardduty:us-east-1:123456789012:detector/d-1/finding/f-0001\",\"createdAt\":\"2024-01-02T03:04:05.000Z\","
            + "\"id\":\"f-0001\",\"partition\":\"aws\",\"region\":\"us-east-1\",\"resource\":{\"resourceType\":\"Instance\"},"
            + "\"schemaVersion\":\"2.0\",\"severity\":8.0,\"title\":\"SSH brute force\","
            + "\"type\":\"UnauthorizedAccess:EC2/SSHBruteForce\",\"updatedAt\":\"2024-01-02T03:04:05.000Z\"}]}");

        try (GuardDutyClient guardDuty = LocalClients.build(GuardDutyClient.builder(), AWS)) {
            ListFindingsResponse listed = guardDuty.listFindings(r -> r.detectorId("d-1"));
            assertEquals(List.of("f-0001"), listed.findingIds());

            GetFindingsResponse got = guardDuty.getFindings(r -> r.detectorId("d-1").findingIds(listed.findingIds()));
            Finding finding = got.findings().get(0);
            assertEquals("f-0001", finding.id());
            assertEquals("UnauthorizedAccess:EC2/SSHBruteForce", finding.type());
            assertEquals(8.0, finding.severity());
        }
        AwsRequest get = AWS.verifyCalled("POST /detector/d-1/findings/get");
        assertTrue(get.body().contains("\"findingIds\":[\"f-0001\"]"), get.body());
    }

    @Test
    void shouldMapGuardDutyRestJsonErrorToItsModeledException() {
        AwsReply reply = AWS.stubRestJsonError("POST", "/detector/[^/]+/findings/get", 400, "BadRequestException",
            "The request is rejected because the input detectorId is not owned by the current account.");

        try (GuardDutyClient guardDuty = LocalClients.build(GuardDutyClient.builder(), AWS)) {
            BadRequestException error = assertThrows(BadRequestException.class,
                () -> guardDuty.getFindings(r -> r.detectorId("d-other").findingIds("f-0001")));

            assertEquals("BadRequestException", error.awsErrorDetails().errorCode());
            assertEquals(reply.requestId(), error.requestId());
        }
    }

    @Test
    void shouldLetSdkRetryPastTwoThrottlingErrors() {
        AwsOperation operation = AwsOperation.query(AwsQueryService.STS, "GetCallerIdentity");
        List<AwsReply> replies = AWS.stubSequence(operation,
            operation.error(400, "Throttling", "Rate exceeded"),
            operation.error(400, "Throttling", "Rate exceeded"),
            operation.success(CALLER_IDENTITY));

        try (StsClient sts = LocalClients.build(StsClient.builder(), AWS)) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();

            assertEquals("123456789012", identity.account());
            assertEquals(replies.get(2).requestId(), identity.responseMetadata().requestId());
        }
        AWS.verifyCalled("GetCallerIdentity", 3);
    }

    @Test
    void shouldLetSdkRetryPastServerErrorsOverJson() {
        AwsOperation operation = AwsOperation.json("AmazonSQS.DeleteMessage");
        AWS.stubSequence(operation, operation.error(503, "ServiceUnavailable", "Try again"), operation.success("{}"));

        try (SqsClient sqs = LocalClients.build(SqsClient.builder(), AWS)) {
            sqs.deleteMessage(r -> r.queueUrl(AWS.endpoint() + "/123456789012/q").receiptHandle("rh-1"));
        }
        AWS.verifyCalled("DeleteMessage", 2);
    }

    @Test
    void shouldForgetStubsAndRequestsOnReset() {
        AWS.stubQuery(AwsQueryService.STS, "GetCallerIdentity", CALLER_IDENTITY);
        try (StsClient sts = LocalClients.build(StsClient.builder(), AWS)) {
            sts.getCallerIdentity();
            AWS.reset();

            assertTrue(AWS.requests().isEmpty());
            assertThrows(Exception.class, sts::getCallerIdentity);
        }
    }

    private static String md5Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
