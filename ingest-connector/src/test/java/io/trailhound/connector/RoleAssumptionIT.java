package io.trailhound.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.cloudtrail.CloudTrailS3SourceTask;
import io.trailhound.connector.cloudtrail.LocalTaskRun;
import io.trailhound.connector.cloudtrail.TrailFixture;
import io.trailhound.connector.eventbridge.CloudTrailEventBridgeSourceConnector;
import io.trailhound.connector.eventbridge.CloudTrailEventBridgeSourceTask;
import io.trailhound.connector.eventbridge.SqsStubs;
import io.trailhound.connector.guardduty.GuardDutySourceTask;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;
import io.trailhound.testkit.aws.S3Endpoint;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Role assumption at the HTTP level, for each connector kind: the base credentials call STS AssumeRole with the configured
 * role ARN, external id and session name, and every S3, SQS and GuardDuty request after it is signed with the temporary
 * key STS returned (the {@code Credential=} of its Authorization header) and carries the session token.
 */
class RoleAssumptionIT {

    @RegisterExtension
    static final S3Endpoint S3 = new S3Endpoint();

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READER = "arn:aws:iam::999999999999:role/trailhound-log-reader";
    private static final String TEMPLATE = "arn:aws:iam::{account}:role/trailhound-guardduty-reader";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldListAndReadTheTrailBucketWithTheAssumedRole() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of("111111111111"), List.of("us-east-1"), LocalDate.of(2024, 5, 1), 1, 2, 3);
        S3.createBucket("role-trail");
        trail.putTo(S3, "role-trail", "");
        // S3 requests go through WireMock (which journals them) to S3Mock; STS is answered by WireMock itself.
        AWS.wireMock().stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(S3.endpoint().toString())));
        stubAssumeRole(READER, "ASIAS3READERTEMP0001", "token-s3");
        Map<String, String> props = base();
        props.put("location", "s3://role-trail");
        props.put("s3.path.style.access", "true");
        props.put("poll.interval.ms", "200");

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(new CloudTrailS3SourceTask(), props, Map.of())) {
            records = run.poll(6, WAIT);
        }

        assertEquals(6, records.size());
        assertAssumed(READER);
        List<AwsRequest> s3 = AWS.requests().stream().filter(r -> r.path().startsWith("/role-trail")).toList();
        assertTrue(s3.stream().anyMatch(r -> r.method().equals("GET") && r.path().endsWith(".json.gz")), "GetObject went through");
        assertSignedWith(s3, "ASIAS3READERTEMP0001", "token-s3");
    }

    @Test
    void shouldReceiveAndDeleteQueueMessagesWithTheAssumedRole() throws Exception {
        String detail = new String(TrailFixture.event("ev-r", "111111111111", "us-east-1", Instant.EPOCH, 1), StandardCharsets.UTF_8);
        String body = "{\"detail-type\":\"AWS API Call via CloudTrail\",\"account\":\"111111111111\",\"detail\":" + detail + "}";
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        AWS.stubSequence(receive, receive.success(JSON.writeValueAsString(Map.of("Messages",
            List.of(SqsStubs.message("m-r", "rh-r", body))))), receive.success("{}"));
        AWS.stubJson("AmazonSQS.DeleteMessageBatch", "{\"Successful\":[],\"Failed\":[]}");
        stubAssumeRole(READER, "ASIASQSREADERTEMP001", "token-sqs");
        Map<String, String> props = base();
        props.put("queue.url", AWS.endpoint() + "/999999999999/events");
        props.put("wait.time.seconds", "0");

        CloudTrailEventBridgeSourceTask task = new CloudTrailEventBridgeSourceTask();
        try (LocalTaskRun run = new LocalTaskRun(task, props, Map.of())) {
            for (SourceRecord record : run.poll(1, WAIT)) {
                task.commitRecord(record, new RecordMetadata(new TopicPartition("t", 0), 0, 0, 0, 0, 0));
            }
            assertTrue(SqsStubs.awaitDeletes(AWS, "rh-r").contains("rh-r"));
        }

        assertAssumed(READER);
        List<AwsRequest> sqs = AWS.requests().stream().filter(r -> r.header("X-Amz-Target") != null).toList();
        assertTrue(sqs.stream().anyMatch(r -> r.isCallTo("DeleteMessageBatch")));
        assertSignedWith(sqs, "ASIASQSREADERTEMP001", "token-sqs");
    }

    @Test
    void shouldReadEachAccountsDetectorsWithThatAccountsRole() throws Exception {
        stubAssumeRole(TEMPLATE.replace("{account}", "111111111111"), "ASIAGDACCOUNTONE0001", "token-one");
        stubAssumeRole(TEMPLATE.replace("{account}", "222222222222"), "ASIAGDACCOUNTTWO0002", "token-two");
        stubDetector("ASIAGDACCOUNTONE0001", "d-one", "111111111111");
        stubDetector("ASIAGDACCOUNTTWO0002", "d-two", "222222222222");
        Map<String, String> props = base();
        props.remove("aws.role.arn");
        props.put("regions", "us-east-1");
        props.put("aws.role.arn.template", TEMPLATE);
        props.put("accounts", "111111111111,222222222222");
        props.put("poll.interval.ms", "200");

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(new GuardDutySourceTask(), props, Map.of())) {
            records = run.poll(2, WAIT);
        }

        Set<String> accounts = new TreeSet<>();
        records.forEach(r -> accounts.add((String) r.headers().lastWithName("account").value()));
        assertEquals(Set.of("111111111111", "222222222222"), accounts);
        List<AwsRequest> assumed = AWS.requests("AssumeRole");
        assertEquals(Set.of(TEMPLATE.replace("{account}", "111111111111"), TEMPLATE.replace("{account}", "222222222222")),
            new TreeSet<>(assumed.stream().map(r -> r.param("RoleArn")).toList()));
        assertSignedWith(AWS.requests().stream().filter(r -> r.path().startsWith("/detector/d-one")).toList(),
            "ASIAGDACCOUNTONE0001", "token-one");
        assertSignedWith(AWS.requests().stream().filter(r -> r.path().startsWith("/detector/d-two")).toList(),
            "ASIAGDACCOUNTTWO0002", "token-two");
    }

    @Test
    void shouldNameSTSAssumeRoleWhenTheRoleCannotBeAssumed() {
        AWS.stubQueryError(AwsQueryService.STS, "AssumeRole", 403, "AccessDenied",
            "User: arn:aws:iam::111111111111:user/connect is not authorized to perform: sts:AssumeRole on resource: " + READER);
        Map<String, String> props = base();
        props.put("queue.url", AWS.endpoint() + "/999999999999/events");

        Config result = new CloudTrailEventBridgeSourceConnector().validate(props);

        List<String> errors = result.configValues().stream().filter(v -> v.name().equals("queue.url")).findFirst().orElseThrow()
            .errorMessages();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("sts:AssumeRole") && errors.get(0).contains("aws.role.arn"), errors.get(0));
        assertTrue(AWS.requests("GetQueueAttributes").isEmpty(), "no SQS call without the role's credentials");
    }

    @Test
    void shouldFailTheTaskNamingTheRoleWhenStsRefusesIt() throws Exception {
        AWS.stubQueryError(AwsQueryService.STS, "AssumeRole", 403, "AccessDenied", "not authorized to perform: sts:AssumeRole");
        Map<String, String> props = base();
        props.put("queue.url", AWS.endpoint() + "/999999999999/events");
        props.put("wait.time.seconds", "0");

        ConnectException failure = null;
        try (LocalTaskRun run = new LocalTaskRun(new CloudTrailEventBridgeSourceTask(), props, Map.of())) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (failure == null && System.nanoTime() < deadline) {
                try {
                    run.pollOnce();
                } catch (ConnectException e) {
                    failure = e;
                }
            }
        }

        assertTrue(failure != null, "the task did not fail");
        assertTrue(failure.getMessage().contains("sts:AssumeRole") && failure.getMessage().contains("aws.role.arn"),
            failure.getMessage());
        assertEquals(List.of(), AWS.requests("ReceiveMessage"), "nothing reached SQS without the role's credentials");
    }

    /** Base credentials (the stubs' static key), the reader role with an external id, and every endpoint on the stubs. */
    private static Map<String, String> base() {
        Map<String, String> props = new HashMap<>();
        props.put("aws.endpoint.override", AWS.endpoint().toString());
        props.put("aws.region", AWS.region());
        props.put("aws.access.key.id", AWS.accessKeyId());
        props.put("aws.secret.access.key", AWS.secretAccessKey());
        props.put("aws.role.arn", READER);
        props.put("aws.role.external.id", "ext-4711");
        props.put("aws.sts.endpoint.override", AWS.endpoint().toString());
        return props;
    }

    private static void stubAssumeRole(String role, String keyId, String token) {
        AWS.stubQuery(AwsQueryService.STS, "AssumeRole", Map.of("RoleArn", role), "<Credentials><AccessKeyId>" + keyId
            + "</AccessKeyId><SecretAccessKey>temporary-secret</SecretAccessKey><SessionToken>" + token + "</SessionToken>"
            + "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>" + role.replace(":iam:", ":sts:")
            .replace(":role/", ":assumed-role/") + "/trailhound-connector</Arn><AssumedRoleId>AROAEXAMPLE:trailhound-connector"
            + "</AssumedRoleId></AssumedRoleUser>");
    }

    /** ListDetectors signed with {@code keyId} answers {@code detector}, which holds one finding of {@code account}. */
    private static void stubDetector(String keyId, String detector, String account) {
        String finding = "{\"accountId\":\"" + account + "\",\"id\":\"f-" + detector + "\",\"createdAt\":\"2024-05-01T10:00:00.000Z\","
            + "\"updatedAt\":\"2024-05-01T10:00:00.000Z\",\"region\":\"us-east-1\",\"schemaVersion\":\"2.0\",\"severity\":5.0,"
            + "\"type\":\"Recon:IAMUser/MaliciousIPCaller\",\"service\":{\"count\":1,\"additionalInfo\":{\"type\":\"default\"}}}";
        AWS.wireMock().stubFor(get(urlPathEqualTo("/detector")).withHeader("Authorization", containing("Credential=" + keyId + "/"))
            .willReturn(json("{\"detectorIds\":[\"" + detector + "\"]}")));
        AWS.wireMock().stubFor(post(urlPathEqualTo("/detector/" + detector + "/findings"))
            .willReturn(json("{\"findingIds\":[\"f-" + detector + "\"]}")));
        AWS.wireMock().stubFor(post(urlPathEqualTo("/detector/" + detector + "/findings/get"))
            .willReturn(json("{\"findings\":[" + finding + "]}")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** One AssumeRole call (signed with the base key) naming the role, the external id and the default session name. */
    private static void assertAssumed(String role) {
        List<AwsRequest> assumed = AWS.requests("AssumeRole");
        assertEquals(1, assumed.size(), "one AssumeRole, then the cached credentials");
        assertEquals(role, assumed.get(0).param("RoleArn"));
        assertEquals("ext-4711", assumed.get(0).param("ExternalId"));
        assertEquals("trailhound-connector", assumed.get(0).param("RoleSessionName"));
        assertTrue(assumed.get(0).header("Authorization").contains("Credential=" + AWS.accessKeyId() + "/"),
            assumed.get(0).header("Authorization"));
    }

    private static void assertSignedWith(List<AwsRequest> requests, String keyId, String token) {
        assertFalse(requests.isEmpty(), "no request to check");
        for (AwsRequest request : requests) {
            assertTrue(request.header("Authorization").contains("Credential=" + keyId + "/"),
                request.action() + ": " + request.header("Authorization"));
            assertEquals(token, request.header("X-Amz-Security-Token"), request.action());
        }
    }
}
