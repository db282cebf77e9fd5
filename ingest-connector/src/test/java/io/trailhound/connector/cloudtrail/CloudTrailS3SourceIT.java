package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.eventbridge.SqsStubs;
import io.trailhound.testkit.ConnectClusterExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsRequest;
import io.trailhound.testkit.aws.S3Endpoint;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The log-file source on a real Connect worker and broker, reading S3 (S3Mock) and local trail copies. */
class CloudTrailS3SourceIT {

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension();

    @RegisterExtension
    static final S3Endpoint S3 = new S3Endpoint();

    @RegisterExtension
    static final AwsEndpointExtension SQS = new AwsEndpointExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333");
    private static final LocalDate DAY1 = LocalDate.of(2024, 5, 1);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path root;

    @Test
    void shouldIngestAMultiAccountMultiRegionOrgTrailFromS3Completely() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(ACCOUNTS, List.of("us-east-1", "eu-west-1"), DAY1, 2, 2, 20);
        S3.createBucket("org-trail");
        trail.putTo(S3, "org-trail", "trails/");
        S3.put("org-trail", "trails/AWSLogs/" + TrailFixture.ORG + "/111111111111/CloudTrail-Digest/us-east-1/2024/05/01/"
            + "111111111111_CloudTrail-Digest_us-east-1_t_us-east-1_20240501T0100Z.json.gz", TrailFixture.gzip("{}".getBytes()));
        CONNECT.cluster().kafka().createTopic("s3.raw", 1);
        Map<String, String> config = TrailConnectors.withS3(TrailConnectors.config("s3://org-trail/trails", "s3.raw", "s3.dead"), S3);
        config.put("tasks.max", "2");

        CONNECT.cluster().configureConnector("org-trail", config);
        CONNECT.awaitRunning("org-trail", 2);
        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "s3.raw", false)) {
            reader.readUntil(r -> r.size() >= trail.events().size(), WAIT);
            records = reader.readFor(Duration.ofSeconds(2));
        }
        CONNECT.cluster().deleteConnector("org-trail");

        assertEquals(480, trail.events().size());
        assertEquals(trail.events().size(), records.size());
        assertEquals(trail.events().keySet(), TopicReader.keySet(records));
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String id = new String(record.key(), StandardCharsets.UTF_8);
            assertArrayEquals(trail.events().get(id), record.value(), id);
            assertEquals("org-trail", TopicReader.header(record, "bucket"));
            assertTrue(trail.eventIdsByKey().get(TopicReader.header(record, "key").substring("trails/".length()))
                .get(Integer.parseInt(TopicReader.header(record, "index"))).equals(id));
        }
    }

    @Test
    void shouldReadOnlyNotifiedFilesAndDeleteEachNotificationAfterKafkaAcknowledged() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(ACCOUNTS.subList(0, 1), List.of("sa-east-1"), DAY1, 1, 3, 4);
        S3.createBucket("notified-trail");
        trail.putTo(S3, "notified-trail", "");
        List<String> keys = new ArrayList<>(trail.eventIdsByKey().keySet());
        String direct = SqsStubs.s3Notification("notified-trail", keys.get(0));
        String viaSns = JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", "sns-1",
            "TopicArn", "arn:aws:sns:us-east-1:111111111111:trail", "Message", SqsStubs.s3Notification("notified-trail", keys.get(1))));
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        SQS.stubSequence(receive, receive.success(JSON.writeValueAsString(Map.of("Messages",
            List.of(SqsStubs.message("n-1", "rh-1", direct), SqsStubs.message("n-2", "rh-2", viaSns))))), receive.success("{}"));
        SQS.stubJson("AmazonSQS.DeleteMessageBatch", "{\"Successful\":[],\"Failed\":[]}");
        // The worker's validate() asks for the queue before the connector starts.
        SQS.stubJson("AmazonSQS.GetQueueAttributes", "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:us-east-1:111111111111:q\"}}");
        CONNECT.cluster().kafka().createTopic("nt.raw", 1);
        Map<String, String> config = TrailConnectors.withS3(TrailConnectors.config("s3://notified-trail", "nt.raw", "nt.dead"), S3);
        config.put("notifications.queue.url", SQS.endpoint() + "/111111111111/trail-notifications");
        config.put("notifications.endpoint.override", SQS.endpoint().toString());

        CONNECT.cluster().configureConnector("notified", config);
        CONNECT.awaitRunning("notified", 1);
        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "nt.raw", false)) {
            reader.readUntil(r -> r.size() >= 8, WAIT);
            records = reader.readFor(Duration.ofSeconds(2));
        }
        String deletes = SqsStubs.awaitDeletes(SQS, "rh-1", "rh-2");
        CONNECT.cluster().deleteConnector("notified");

        List<String> expected = new ArrayList<>(trail.eventIdsByKey().get(keys.get(0)));
        expected.addAll(trail.eventIdsByKey().get(keys.get(1)));
        assertEquals(Set.copyOf(expected), TopicReader.keySet(records));
        assertEquals(8, records.size());
        assertTrue(deletes.contains("\"ReceiptHandle\":\"rh-1\"") && deletes.contains("\"ReceiptHandle\":\"rh-2\""), deletes);
        assertEquals(List.of(), SQS.requests("DeleteMessage"), "deleted in batches");
    }

    @Test
    void shouldKeepTheNotificationWhenTheProduceFails() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(ACCOUNTS.subList(0, 1), List.of("ap-south-1"), DAY1, 1, 1, 2);
        S3.createBucket("refused-trail");
        trail.putTo(S3, "refused-trail", "");
        String key = trail.eventIdsByKey().keySet().iterator().next();
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        SQS.stubSequence(receive, receive.success(JSON.writeValueAsString(Map.of("Messages",
            List.of(SqsStubs.message("n-9", "rh-9", SqsStubs.s3Notification("refused-trail", key)))))), receive.success("{}"));
        SQS.stubJson("AmazonSQS.DeleteMessageBatch", "{\"Successful\":[],\"Failed\":[]}");
        // The worker's validate() asks for the queue before the connector starts.
        SQS.stubJson("AmazonSQS.GetQueueAttributes", "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:us-east-1:111111111111:q\"}}");
        // The broker refuses records over 512 bytes on this topic: the produce fails after the notification was read.
        CONNECT.cluster().kafka().createTopic("nt.tiny", 1, 1, Map.of("max.message.bytes", "512"));
        Map<String, String> config = TrailConnectors.withS3(TrailConnectors.config("s3://refused-trail", "nt.tiny", "nt.tiny.dead"), S3);
        config.put("notifications.queue.url", SQS.endpoint() + "/111111111111/trail-notifications");
        config.put("notifications.endpoint.override", SQS.endpoint().toString());

        CONNECT.cluster().configureConnector("refused", config);
        TrailConnectors.awaitTaskFailed(CONNECT, "refused");
        Thread.sleep(1_500);
        List<AwsRequest> deletes = SQS.requests("DeleteMessageBatch");
        CONNECT.cluster().deleteConnector("refused");

        assertTrue(SQS.requests("ReceiveMessage").size() >= 1);
        assertEquals(List.of(), deletes, "the notification stays on the queue to be delivered again");
        assertEquals(List.of(), SQS.requests("DeleteMessage"));
    }



    @Test
    void shouldDeadLetterACorruptFileWhileTheRestFlows() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(ACCOUNTS.subList(0, 1), List.of("us-east-1"), DAY1, 1, 3, 10);
        trail.writeTo(root);
        String corrupt = "AWSLogs/" + TrailFixture.ORG + "/111111111111/CloudTrail/us-east-1/2024/05/01/"
            + "111111111111_CloudTrail_us-east-1_20240501T0007Z_zz.json.gz";
        byte[] truncated = trail.files().values().iterator().next();
        TrailFixture.write(root.resolve(corrupt), Arrays.copyOf(truncated, truncated.length / 2));
        CONNECT.cluster().kafka().createTopic("dl.raw", 1);
        CONNECT.cluster().kafka().createTopic("dl.dead", 1);

        CONNECT.cluster().configureConnector("corrupt", TrailConnectors.config(root.toUri().toString(), "dl.raw", "dl.dead"));
        CONNECT.awaitRunning("corrupt", 1);
        List<ConsumerRecord<byte[], byte[]>> raw;
        List<ConsumerRecord<byte[], byte[]>> dead;
        try (TopicReader rawReader = new TopicReader(CONNECT.bootstrapServers(), "dl.raw", false);
             TopicReader deadReader = new TopicReader(CONNECT.bootstrapServers(), "dl.dead", false)) {
            raw = rawReader.readUntil(r -> r.size() >= 30, WAIT);
            dead = deadReader.readUntil(r -> !r.isEmpty(), WAIT);
        }
        CONNECT.cluster().deleteConnector("corrupt");

        assertEquals(trail.events().keySet(), TopicReader.keySet(raw));
        assertEquals(1, dead.size());
        assertEquals(root.resolve(corrupt).toUri().toString(), TopicReader.header(dead.get(0), "location"));
        assertTrue(TopicReader.header(dead.get(0), "reason").startsWith("corrupt gzip"), TopicReader.header(dead.get(0), "reason"));
        assertArrayEquals(Arrays.copyOf(truncated, truncated.length / 2), dead.get(0).value());
    }

    @Test
    void shouldReplayFromARewoundOffset() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(ACCOUNTS.subList(1, 2), List.of("eu-west-1"), DAY1, 1, 2, 5);
        trail.writeTo(root);
        CONNECT.cluster().kafka().createTopic("rw.raw", 1);
        CONNECT.cluster().configureConnector("rewind", TrailConnectors.config(root.toUri().toString(), "rw.raw", "rw.dead"));
        CONNECT.awaitRunning("rewind", 1);
        List<String> firstKeys = new ArrayList<>(trail.eventIdsByKey().keySet());
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "rw.raw", false)) {
            reader.readUntil(r -> r.size() >= 10, WAIT);
            TrailConnectors.awaitOffset(CONNECT, "rewind", firstKeys.get(1));
            CONNECT.cluster().stopConnector("rewind");
            TrailConnectors.awaitState(CONNECT, "rewind", "STOPPED");

            // As an operator would: the partition exactly as GET /connectors/rewind/offsets reports it.
            Map<String, ?> partition = CONNECT.cluster().connectorOffsets("rewind").offsets().get(0).partition();
            assertEquals(Map.of("location", root.toUri().toString(), "org", TrailFixture.ORG, "account", "222222222222",
                "region", "eu-west-1"), partition);
            CONNECT.cluster().alterSourceConnectorOffset("rewind", partition, Map.of("key", firstKeys.get(0), "index", 2, "eof", false));
            TrailConnectors.awaitOffset(CONNECT, "rewind", firstKeys.get(0));
            CONNECT.cluster().resumeConnector("rewind");
            CONNECT.awaitRunning("rewind", 1);
            List<ConsumerRecord<byte[], byte[]>> records = reader.readUntil(r -> r.size() >= 17, WAIT);
            records = reader.readFor(Duration.ofSeconds(2));

            List<String> replayed = new ArrayList<>(trail.eventIdsByKey().get(firstKeys.get(0)).subList(3, 5));
            replayed.addAll(trail.eventIdsByKey().get(firstKeys.get(1)));
            assertEquals(17, records.size());
            assertEquals(replayed, TopicReader.keys(records).subList(10, 17));
        } finally {
            CONNECT.cluster().deleteConnector("rewind");
        }
    }

    @Test
    void shouldReadLateFilesOnceAcrossAWorkerRestart() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(ACCOUNTS.subList(0, 1), List.of("ca-central-1"), DAY1, 1, 4, 3);
        trail.writeTo(root);
        CONNECT.cluster().kafka().createTopic("late.raw", 1);
        CONNECT.cluster().configureConnector("late", TrailConnectors.config(root.toUri().toString(), "late.raw", "late.dead"));
        CONNECT.awaitRunning("late", 1);
        List<String> expected = new ArrayList<>(trail.eventIdsByKey().values().stream().flatMap(List::stream).toList());
        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "late.raw", false)) {
            reader.readUntil(r -> r.size() >= 12, WAIT);
            // Files at 00:05 .. 00:20 were read; one named 00:07 is delivered now, then one named 00:12 while the worker is down.
            TrailFixture firstLate = lateFile(DAY1.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(420));
            expected.addAll(firstLate.events().keySet());
            reader.readUntil(r -> r.size() >= 15, WAIT);
            TrailConnectors.awaitOffset(CONNECT, "late", firstLate.files().keySet().iterator().next());
            CONNECT.cluster().removeWorker();
            TrailFixture secondLate = lateFile(DAY1.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(720));
            expected.addAll(secondLate.events().keySet());
            CONNECT.cluster().addWorker();
            CONNECT.awaitRunning("late", 1);
            reader.readUntil(r -> r.size() >= 18, WAIT);
            records = reader.readFor(Duration.ofSeconds(3));
        } finally {
            CONNECT.cluster().deleteConnector("late");
        }

        assertEquals(18, records.size(), "each event once: " + TopicReader.keys(records));
        assertEquals(Set.copyOf(expected), TopicReader.keySet(records));
    }

    /** Writes one 3-event log file of account 1 in ca-central-1 named at {@code time} below the test's trail copy. */
    private TrailFixture lateFile(java.time.Instant time) {
        String key = TrailFixture.key(ACCOUNTS.get(0), "ca-central-1", DAY1, time);
        Map<String, byte[]> events = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String id = "late-" + time.getEpochSecond() + "-" + i;
            events.put(id, TrailFixture.event(id, ACCOUNTS.get(0), "ca-central-1", time.plusSeconds(i), i));
        }
        TrailFixture late = new TrailFixture(Map.of(key, TrailFixture.gzip(TrailFixture.file(List.copyOf(events.values())))), events,
            Map.of(key, List.copyOf(events.keySet())));
        late.writeTo(root);
        return late;
    }

    @Test
    void shouldLoseNothingWhenTheWorkerRestartsMidIngest() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(ACCOUNTS.subList(2, 3), List.of("us-east-1", "us-west-2"), DAY1, 1, 10, 150);
        trail.writeTo(root);
        CONNECT.cluster().kafka().createTopic("rs.raw", 1);
        Map<String, String> config = TrailConnectors.config(root.toUri().toString(), "rs.raw", "rs.dead");
        config.put("batch.size", "100");
        config.put("queue.capacity", "200");
        CONNECT.cluster().configureConnector("restart", config);
        CONNECT.awaitRunning("restart", 1);

        List<ConsumerRecord<byte[], byte[]>> records;
        int seenAtRestart;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "rs.raw", false)) {
            seenAtRestart = reader.readUntil(r -> r.size() >= 300, WAIT).size();
            TrailConnectors.restartWorker(CONNECT, "restart");
            records = reader.readUntil(r -> TopicReader.keySet(r).size() >= trail.events().size(), WAIT);
        } finally {
            CONNECT.cluster().deleteConnector("restart");
        }

        assertTrue(seenAtRestart < trail.events().size(), "restart came after the whole ingest: " + seenAtRestart);
        assertEquals(trail.events().keySet(), TopicReader.keySet(records));
    }
}
