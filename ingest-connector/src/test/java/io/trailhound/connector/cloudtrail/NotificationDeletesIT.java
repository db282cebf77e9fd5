package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.eventbridge.SqsStubs;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsRequest;
import io.trailhound.testkit.aws.S3Endpoint;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S3 notification mode deletes consumed notifications with DeleteMessageBatch, ten per call, and only those whose files'
 * records Kafka acknowledged: a notification with one record not acknowledged stays on the queue.
 */
class NotificationDeletesIT {

    @RegisterExtension
    static final S3Endpoint S3 = new S3Endpoint();

    @RegisterExtension
    static final AwsEndpointExtension SQS = new AwsEndpointExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldDeleteAcknowledgedNotificationsInBatchesAndKeepTheOthers() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of("111111111111"), List.of("us-east-1"), LocalDate.of(2024, 5, 1), 1, 12, 2);
        S3.createBucket("batched-trail");
        trail.putTo(S3, "batched-trail", "");
        List<String> keys = new ArrayList<>(trail.eventIdsByKey().keySet());
        List<Map<String, String>> messages = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            messages.add(SqsStubs.message("n-" + i, "rh-" + i, SqsStubs.s3Notification("batched-trail", keys.get(i))));
        }
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        // Two answers with messages, then empty answers that take a second, as a long poll does.
        SQS.stubSequence(receive, receive.success(JSON.writeValueAsString(Map.of("Messages", messages.subList(0, 10)))),
            receive.success(JSON.writeValueAsString(Map.of("Messages", messages.subList(10, 12)))), receive.success("{}"));
        SqsStubs.quietQueue(SQS, "111111111111");

        String kept = keys.get(5);
        List<String> deleted = new ArrayList<>();
        CloudTrailS3SourceTask task = new CloudTrailS3SourceTask();
        try (LocalTaskRun run = new LocalTaskRun(task, props(), Map.of())) {
            List<SourceRecord> records = run.poll(24, Duration.ofSeconds(60));
            assertEquals(24, records.size());
            for (SourceRecord record : records) {
                // One record of the sixth file is not acknowledged (a failed produce): its notification must stay.
                boolean refused = record.headers().lastWithName("key").value().equals(kept)
                    && ((Number) record.sourceOffset().get("index")).longValue() == 1;
                task.commitRecord(record, refused ? null : new RecordMetadata(new TopicPartition("t", 0), 0, 0, 0, 0, 0));
            }
            for (int i = 0; i < 12; i++) {
                if (i != 5) {
                    deleted.add("rh-" + i);
                }
            }
            SqsStubs.awaitDeletes(SQS, deleted.toArray(String[]::new));
            Thread.sleep(1_500);
        }

        List<AwsRequest> batches = SQS.requests("DeleteMessageBatch");
        Set<String> receipts = new TreeSet<>();
        int entries = 0;
        for (AwsRequest batch : batches) {
            JsonNode sent = JSON.readTree(batch.body()).get("Entries");
            assertTrue(sent.size() <= 10, "at most ten per call: " + sent.size());
            entries += sent.size();
            sent.forEach(e -> receipts.add(e.get("ReceiptHandle").asText()));
        }
        assertEquals(new TreeSet<>(deleted), receipts);
        assertEquals(11, entries, "each acknowledged notification deleted once");
        assertTrue(batches.size() <= 3, "eleven deletes in " + batches.size() + " calls");
        assertFalse(receipts.contains("rh-5"));
        assertEquals(List.of(), SQS.requests("DeleteMessage"), "no single deletes");
    }

    private static Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put("location", "s3://batched-trail");
        props.put("aws.endpoint.override", S3.endpoint().toString());
        props.put("aws.region", S3.region());
        props.put("aws.access.key.id", S3.accessKeyId());
        props.put("aws.secret.access.key", S3.secretAccessKey());
        props.put("s3.path.style.access", "true");
        props.put("notifications.queue.url", SQS.endpoint() + "/111111111111/trail-notifications");
        props.put("notifications.endpoint.override", SQS.endpoint().toString());
        return props;
    }

}
