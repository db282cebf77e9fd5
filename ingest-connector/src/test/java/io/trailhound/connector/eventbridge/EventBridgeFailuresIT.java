package io.trailhound.connector.eventbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.cloudtrail.LocalTaskRun;
import io.trailhound.connector.cloudtrail.TrailFixture;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsReply;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The EventBridge queue reader under the connectors' failure model (issue 17 item 4), through the real SQS client against
 * SQS's JSON protocol on WireMock: throttling is ridden out, a denied queue fails the task naming sqs:ReceiveMessage, and
 * expired credentials are retried for aws.credentials.retry.ms, then fail the task.
 */
class EventBridgeFailuresIT {

    @RegisterExtension
    static final AwsEndpointExtension SQS = new AwsEndpointExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AwsOperation RECEIVE = AwsOperation.json("AmazonSQS.ReceiveMessage");

    @Test
    void shouldRideOutThrottlingAndDeliverTheEvent() throws Exception {
        byte[] detail = TrailFixture.event("ev-t", "111122223333", "us-east-1", Instant.parse("2024-05-01T00:00:00Z"), 1);
        List<AwsReply> replies = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            replies.add(RECEIVE.error(400, i % 2 == 0 ? "com.amazonaws.sqs#ThrottlingException" : "RequestThrottled", "Rate exceeded"));
        }
        replies.add(RECEIVE.success(JSON.writeValueAsString(Map.of("Messages", List.of(SqsStubs.message("m-t", "rh-t",
            "{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.s3\",\"account\":\"111122223333\","
                + "\"detail\":" + new String(detail, StandardCharsets.UTF_8) + "}"))))));
        replies.add(RECEIVE.success("{}"));
        SQS.stubSequence(RECEIVE, replies.toArray(AwsReply[]::new));
        SqsStubs.quietQueue(SQS, "111122223333");

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(new CloudTrailEventBridgeSourceTask(), props(), Map.of())) {
            records = run.poll(1, Duration.ofSeconds(60));
        }

        assertEquals(1, records.size());
        assertEquals("ev-t", new String((byte[]) records.get(0).key(), StandardCharsets.UTF_8));
        assertTrue(SQS.requests("ReceiveMessage").size() >= 8, "every throttled receive was retried");
    }

    @Test
    void shouldFailTheTaskNamingTheActionWhenTheQueueIsDenied() throws Exception {
        SQS.stubJsonError("AmazonSQS.ReceiveMessage", 403, "AccessDenied",
            "User: arn:aws:sts::111122223333:assumed-role/connect/i-1 is not authorized to perform: sqs:receivemessage");

        ConnectException failure = failureOf(props(), Duration.ofSeconds(30));

        assertNotNull(failure, "the task did not fail");
        assertTrue(failure.getMessage().startsWith("sqs:ReceiveMessage on " + SQS.endpoint() + "/111122223333/events denied "
            + "(AccessDenied)"), failure.getMessage());
        assertTrue(failure.getMessage().contains("'queue.url'"), failure.getMessage());
        assertEquals(1, SQS.requests("ReceiveMessage").size(), "a permanent error is not retried");
    }

    @Test
    void shouldRetryExpiredCredentialsForABoundedTimeThenFail() throws Exception {
        SQS.stubJsonError("AmazonSQS.ReceiveMessage", 400, "ExpiredToken", "The security token included in the request is expired");
        Map<String, String> props = props();
        props.put("aws.credentials.retry.ms", "2000");

        long start = System.nanoTime();
        ConnectException failure = failureOf(props, Duration.ofSeconds(30));
        long took = (System.nanoTime() - start) / 1_000_000;

        assertNotNull(failure, "the task did not fail");
        assertTrue(failure.getMessage().contains("ExpiredToken") && failure.getMessage().contains("aws.credentials.retry.ms"),
            failure.getMessage());
        assertTrue(took >= 2_000, "failed after " + took + " ms, before aws.credentials.retry.ms");
        assertTrue(SQS.requests("ReceiveMessage").size() > 1, "expired credentials were retried");
    }

    private static ConnectException failureOf(Map<String, String> props, Duration wait) throws InterruptedException {
        try (LocalTaskRun run = new LocalTaskRun(new CloudTrailEventBridgeSourceTask(), props, Map.of())) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    run.pollOnce();
                } catch (ConnectException e) {
                    return e;
                }
            }
        }
        return null;
    }

    private static Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put("queue.url", SQS.endpoint() + "/111122223333/events");
        props.put("wait.time.seconds", "0");
        props.put("aws.region", SQS.region());
        props.put("aws.endpoint.override", SQS.endpoint().toString());
        props.put("aws.access.key.id", SQS.accessKeyId());
        props.put("aws.secret.access.key", SQS.secretAccessKey());
        props.put("retry.backoff.base.ms", "50");
        props.put("retry.backoff.max.ms", "400");
        return props;
    }
}
