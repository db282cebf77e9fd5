package io.trailhound.connector.eventbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.cloudtrail.TopicReader;
import io.trailhound.connector.cloudtrail.TrailFixture;
import io.trailhound.testkit.ConnectClusterExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsRequest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The EventBridge source on a real Connect worker and broker, against a local endpoint speaking SQS's JSON 1.0 protocol. */
class CloudTrailEventBridgeSourceIT {

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension();

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldForwardTheDetailVerbatimAndDeleteOnlyAfterKafkaAcknowledged() throws Exception {
        byte[] detail = TrailFixture.event("ev-1", "111122223333", "us-east-1", Instant.parse("2024-05-01T00:00:00Z"), 1);
        stubReceiveOnce(message("m-1", "rh-1", envelope("AWS API Call via CloudTrail", new String(detail, StandardCharsets.UTF_8))),
            message("m-2", "rh-2", envelope("EC2 Instance State-change Notification", "{\"state\":\"running\"}")));
        CONNECT.cluster().kafka().createTopic("eb.raw", 1);
        CONNECT.cluster().kafka().createTopic("eb.dead", 1);

        CONNECT.cluster().configureConnector("eventbridge", config("eb.raw", "eb.dead"));
        CONNECT.awaitRunning("eventbridge", 1);
        List<ConsumerRecord<byte[], byte[]>> raw;
        List<ConsumerRecord<byte[], byte[]>> dead;
        try (TopicReader rawReader = new TopicReader(CONNECT.bootstrapServers(), "eb.raw", false);
             TopicReader deadReader = new TopicReader(CONNECT.bootstrapServers(), "eb.dead", false)) {
            raw = rawReader.readUntil(r -> !r.isEmpty(), WAIT);
            dead = deadReader.readUntil(r -> !r.isEmpty(), WAIT);
        }
        String deletes = SqsStubs.awaitDeletes(AWS, "rh-1", "rh-2");
        CONNECT.cluster().deleteConnector("eventbridge");

        assertEquals(1, raw.size());
        assertArrayEquals(detail, raw.get(0).value());
        assertEquals("ev-1", new String(raw.get(0).key(), StandardCharsets.UTF_8));
        assertEquals("m-1", TopicReader.header(raw.get(0), "message.id"));
        assertEquals(1, dead.size());
        assertTrue(TopicReader.header(dead.get(0), "reason").contains("EC2 Instance State-change Notification"));
        assertTrue(deletes.contains("\"ReceiptHandle\":\"rh-1\""), deletes);
        assertTrue(deletes.contains("\"ReceiptHandle\":\"rh-2\""), deletes);
        assertEquals("connector", TopicReader.header(dead.get(0), "component"));
    }

    @Test
    void shouldKeepTheMessageWhenTheProduceFails() throws Exception {
        byte[] detail = TrailFixture.event("ev-2", "111122223333", "us-east-1", Instant.parse("2024-05-01T00:00:00Z"), 2);
        stubReceiveOnce(message("m-3", "rh-3", envelope("AWS API Call via CloudTrail", new String(detail, StandardCharsets.UTF_8))));
        // The broker refuses records over 512 bytes on this topic: the produce fails after the message was received.
        CONNECT.cluster().kafka().createTopic("eb.tiny", 1, 1, Map.of("max.message.bytes", "512"));

        CONNECT.cluster().configureConnector("refused", config("eb.tiny", "eb.tiny.dead"));
        awaitTaskFailed("refused");
        Thread.sleep(1_000);
        List<AwsRequest> deletes = AWS.requests("DeleteMessageBatch");
        CONNECT.cluster().deleteConnector("refused");

        assertTrue(AWS.requests("ReceiveMessage").size() >= 1);
        assertEquals(List.of(), deletes);
    }

    private static Map<String, String> config(String topic, String deadLetterTopic) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", CloudTrailEventBridgeSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("key.converter", ByteArrayConverter.class.getName());
        config.put("value.converter", ByteArrayConverter.class.getName());
        config.put("queue.url", AWS.endpoint() + "/111122223333/cloudtrail-events");
        config.put("topic", topic);
        config.put("deadletter.topic", deadLetterTopic);
        config.put("wait.time.seconds", "0");
        config.put("aws.endpoint.override", AWS.endpoint().toString());
        config.put("aws.region", AWS.region());
        config.put("aws.access.key.id", AWS.accessKeyId());
        config.put("aws.secret.access.key", AWS.secretAccessKey());
        return config;
    }

    private static void stubReceiveOnce(Map<?, ?>... messages) throws Exception {
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        AWS.stubSequence(receive, receive.success(JSON.writeValueAsString(Map.of("Messages", List.of(messages)))), receive.success("{}"));
        AWS.stubJson("AmazonSQS.DeleteMessageBatch", "{\"Successful\":[],\"Failed\":[]}");
        // The worker's validate() asks for the queue before the connector starts.
        AWS.stubJson("AmazonSQS.GetQueueAttributes", "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:us-east-1:111122223333:q\"}}");
    }

    private static Map<String, String> message(String id, String receipt, String body) throws Exception {
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        return Map.of("MessageId", id, "ReceiptHandle", receipt, "MD5OfBody", md5, "Body", body);
    }

    private static String envelope(String detailType, String detail) {
        return "{\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\",\"detail-type\":\"" + detailType + "\","
            + "\"source\":\"aws.s3\",\"account\":\"111122223333\",\"time\":\"2024-05-01T00:00:00Z\",\"region\":\"us-east-1\","
            + "\"resources\":[],\"detail\":" + detail + "}";
    }

    private static void awaitTaskFailed(String connector) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (CONNECT.cluster().connectorStatus(connector).tasks().stream().anyMatch(t -> "FAILED".equals(t.state()))) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // The connector is not registered yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError(connector + " task did not fail");
    }
}
