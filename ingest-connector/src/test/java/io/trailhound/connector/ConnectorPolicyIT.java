package io.trailhound.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.cloudtrail.CloudTrailS3SourceTask;
import io.trailhound.connector.cloudtrail.LocalTaskRun;
import io.trailhound.connector.cloudtrail.TrailFixture;
import io.trailhound.connector.eventbridge.CloudTrailEventBridgeSourceConnector;
import io.trailhound.connector.eventbridge.CloudTrailEventBridgeSourceTask;
import io.trailhound.connector.eventbridge.SqsStubs;
import io.trailhound.connector.guardduty.FakeGuardDuty;
import io.trailhound.connector.guardduty.GuardDutySourceConnector;
import io.trailhound.connector.guardduty.GuardDutySourceTask;
import io.trailhound.connector.iam.IamSnapshotSourceTask;
import io.trailhound.connector.iam.IamStubs;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;
import io.trailhound.testkit.aws.S3Endpoint;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ConnectorPolicy} is exactly what the connectors call: each connector's task runs against S3Mock and WireMock,
 * every AWS call its code made (recorded by the global {@link AwsCallRecorder} interceptor, which also keeps the calls of
 * the test classes that ran before in this JVM, and read from the WireMock request journal) maps to an allowed action,
 * and no allowed action goes unused.
 */
class ConnectorPolicyIT {

    static final FakeGuardDuty GUARDDUTY = new FakeGuardDuty();

    @RegisterExtension
    static final S3Endpoint S3 = new S3Endpoint();

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension(GUARDDUTY);

    /** The IAM action of an SDK operation where it is not simply the operation's name (AWS's service authorization reference). */
    private static final Map<String, String> IAM_NAMES = Map.of(
        "S3:ListObjectsV2", "s3:ListBucket",
        "S3:HeadObject", "s3:GetObject",
        "Sqs:DeleteMessageBatch", "sqs:DeleteMessage");
    /** Needed without a request of ours: S3 decrypts SSE-KMS trail files with the reader's kms:Decrypt during GetObject. */
    private static final Set<String> IMPLIED = Set.of("kms:Decrypt");

    @Test
    void shouldAllowEveryCallTheConnectorsMakeAndNothingElse() throws Exception {
        assertEquals(1, readEventBridgeQueue());
        assertEquals(2, readGuardDuty());
        assertEquals(3, readTrailFromS3());
        assertEquals(3, readIamSnapshots());
        validateQueueAndDetector();

        Set<String> needed = new TreeSet<>();
        AwsCallRecorder.calls().forEach(call -> needed.add(action(call)));
        for (AwsRequest request : AWS.requests()) {
            needed.add(action(journalled(request)));
        }

        assertTrue(ConnectorPolicy.actions().containsAll(needed), "not allowed: " + without(needed, ConnectorPolicy.actions()));
        assertEquals(IMPLIED, without(ConnectorPolicy.actions(), needed), "allowed but never called");
        assertTrue(needed.contains("s3:GetObject"), "kms:Decrypt is only implied by GetObject");
        assertTrue(needed.contains("sts:AssumeRole"), "the role of the EventBridge run was assumed: " + needed);
        JsonNode policy = new ObjectMapper().readTree(ConnectorPolicy.policyDocument());
        Set<String> documented = new TreeSet<>();
        policy.get("Statement").forEach(s -> s.get("Action").forEach(a -> documented.add(a.asText())));
        assertEquals(ConnectorPolicy.actions(), documented);
        assertTrue(documented.stream().noneMatch(a -> a.contains("*")), documented.toString());
    }

    private int readTrailFromS3() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of("111111111111"), List.of("us-east-1"), LocalDate.of(2024, 5, 1), 1, 1, 3);
        S3.createBucket("policy-trail");
        trail.putTo(S3, "policy-trail", "");
        Map<String, String> props = new HashMap<>();
        props.put("location", "s3://policy-trail");
        props.put("poll.interval.ms", "200");
        props.put("aws.endpoint.override", S3.endpoint().toString());
        props.put("aws.region", S3.region());
        props.put("aws.access.key.id", S3.accessKeyId());
        props.put("aws.secret.access.key", S3.secretAccessKey());
        props.put("s3.path.style.access", "true");
        try (LocalTaskRun run = new LocalTaskRun(new CloudTrailS3SourceTask(), props, Map.of())) {
            return run.poll(3, Duration.ofSeconds(60)).size();
        }
    }

    /** One account's IAM through its member role, and its SCPs through the organizations role: a user, the SCPs, the marker. */
    private int readIamSnapshots() throws Exception {
        String account = "111111111111";
        IamStubs.memberRoles(AWS, List.of(account));
        IamStubs.organization(AWS, List.of(account));
        AWS.stubQuery(AwsQueryService.IAM, "GetAccountAuthorizationDetails", "<IsTruncated>false</IsTruncated><UserDetailList><member>"
            + "<Path>/</Path><UserName>u</UserName><UserId>AIDAU</UserId><Arn>arn:aws:iam::" + account + ":user/u</Arn>"
            + "<CreateDate>2024-05-01T10:00:00Z</CreateDate></member></UserDetailList><GroupDetailList/><RoleDetailList/><Policies/>");
        Map<String, String> props = IamStubs.config(AWS, List.of(account), "iam");
        props.put("organizations.role.arn", IamStubs.ORG_ROLE);
        try (LocalTaskRun run = new LocalTaskRun(new IamSnapshotSourceTask(), props, Map.of())) {
            return run.poll(3, Duration.ofSeconds(60)).size();
        }
    }

    private int readEventBridgeQueue() throws Exception {
        String detail = new String(TrailFixture.event("ev-1", "111111111111", "us-east-1", java.time.Instant.EPOCH, 1),
            java.nio.charset.StandardCharsets.UTF_8);
        String body = "{\"detail-type\":\"AWS API Call via CloudTrail\",\"account\":\"111111111111\",\"detail\":" + detail + "}";
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        AWS.stubSequence(receive, receive.success(new ObjectMapper().writeValueAsString(Map.of("Messages",
            List.of(SqsStubs.message("m-1", "rh-1", body))))), receive.success("{}"));
        AWS.stubJson("AmazonSQS.DeleteMessageBatch", "{\"Successful\":[],\"Failed\":[]}");
        // Read through a role: the AssumeRole call is the one sts:AssumeRole covers.
        AWS.stubQuery(AwsQueryService.STS, "AssumeRole", "<Credentials><AccessKeyId>ASIAPOLICYTEMP000001</AccessKeyId>"
            + "<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>"
            + "</Credentials>");
        Map<String, String> props = new HashMap<>();
        props.put("aws.role.arn", "arn:aws:iam::111111111111:role/trailhound-reader");
        props.put("aws.sts.endpoint.override", AWS.endpoint().toString());
        props.put("queue.url", AWS.endpoint() + "/111111111111/events");
        props.put("wait.time.seconds", "0");
        props.put("aws.endpoint.override", AWS.endpoint().toString());
        props.put("aws.region", AWS.region());
        props.put("aws.access.key.id", AWS.accessKeyId());
        props.put("aws.secret.access.key", AWS.secretAccessKey());
        CloudTrailEventBridgeSourceTask task = new CloudTrailEventBridgeSourceTask();
        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(task, props, Map.of())) {
            records = run.poll(1, Duration.ofSeconds(30));
            for (SourceRecord record : records) {
                task.commitRecord(record, new RecordMetadata(new TopicPartition("t", 0), 0, 0, 0, 0, 0));
            }
        }
        assertTrue(SqsStubs.awaitDeletes(AWS, "rh-1").contains("rh-1"));
        return records.size();
    }

    private int readGuardDuty() throws Exception {
        AWS.wireMock().stubFor(any(urlPathMatching("/detector.*")).willReturn(aResponse().withStatus(200)));
        GUARDDUTY.detector("us-east-1", "d-p");
        GUARDDUTY.put(new FakeGuardDuty.Finding("d-p", "p-1", "111111111111", 1714557600000L, 1, false));
        GUARDDUTY.put(new FakeGuardDuty.Finding("d-p", "p-2", "222222222222", 1714557600001L, 1, false));
        Map<String, String> props = new HashMap<>();
        props.put("regions", "us-east-1");
        props.put("poll.interval.ms", "200");
        props.put("aws.endpoint.override", AWS.endpoint().toString());
        props.put("aws.access.key.id", AWS.accessKeyId());
        props.put("aws.secret.access.key", AWS.secretAccessKey());
        try (LocalTaskRun run = new LocalTaskRun(new GuardDutySourceTask(), props, Map.of())) {
            return run.poll(2, Duration.ofSeconds(60)).size();
        }
    }

    /** validate(): GetQueueAttributes of the EventBridge queue, GetDetector of configured detector ids. */
    private void validateQueueAndDetector() {
        AWS.stubJson("AmazonSQS.GetQueueAttributes", "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:us-east-1:111111111111:events\"}}");
        AWS.stubRestJson("GET", "/detector/d-p", 200, "{\"status\":\"ENABLED\",\"serviceRole\":\"arn:aws:iam::111111111111:role/x\"}");
        Map<String, String> props = new HashMap<>();
        props.put("aws.endpoint.override", AWS.endpoint().toString());
        props.put("aws.region", AWS.region());
        props.put("aws.access.key.id", AWS.accessKeyId());
        props.put("aws.secret.access.key", AWS.secretAccessKey());
        Map<String, String> queue = new HashMap<>(props);
        queue.put("queue.url", AWS.endpoint() + "/111111111111/events");
        assertClean(new CloudTrailEventBridgeSourceConnector().validate(queue));
        Map<String, String> detector = new HashMap<>(props);
        detector.put("regions", "us-east-1");
        detector.put("detector.ids", "us-east-1:d-p");
        assertClean(new GuardDutySourceConnector().validate(detector));
    }

    private static void assertClean(Config result) {
        assertTrue(result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty()), result.configValues().toString());
    }

    /** {@code Service:Operation} of a request in the WireMock journal: the Query action, JSON target, or GuardDuty's REST path. */
    private static String journalled(AwsRequest request) {
        String target = request.header("X-Amz-Target");
        if (target != null && target.startsWith("AWSOrganizations")) {
            return "Organizations:" + target.substring(target.lastIndexOf('.') + 1);
        }
        if (target != null) {
            return "Sqs:" + target.substring(target.lastIndexOf('.') + 1);
        }
        if ("AssumeRole".equals(request.param("Action"))) {
            return "Sts:AssumeRole";
        }
        if ("GetAccountAuthorizationDetails".equals(request.param("Action"))) {
            return "Iam:GetAccountAuthorizationDetails";
        }
        if ("/detector".equals(request.path())) {
            return "GuardDuty:ListDetectors";
        }
        if ("GET".equals(request.method()) && request.path().matches("/detector/[^/]+")) {
            return "GuardDuty:GetDetector";
        }
        return request.path().endsWith("/findings/get") ? "GuardDuty:GetFindings"
            : request.path().endsWith("/findings") ? "GuardDuty:ListFindings" : "unknown:" + request.method() + " " + request.path();
    }

    private static String action(String call) {
        String service = call.substring(0, call.indexOf(':'));
        return IAM_NAMES.getOrDefault(call, service.toLowerCase() + ":" + call.substring(call.indexOf(':') + 1));
    }

    private static Set<String> without(Set<String> all, Set<String> removed) {
        Set<String> rest = new TreeSet<>(all);
        rest.removeAll(removed);
        return rest;
    }
}
