package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.eventbridge.SqsStubs;
import io.trailhound.testkit.ConnectClusterExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.S3Endpoint;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S3-notification mode with exactly-once source support: the worker restarts in the middle of an ingest and every
 * notification is delivered again afterwards — as SQS does for those not deleted yet, and as S3 may anyway (duplicate
 * notifications) — with one file's notification twice in the first delivery too. Files read before the restart are skipped,
 * the file left partway continues after its last committed record, the rest are read: each event exactly once.
 */
class NotificationExactlyOnceIT {

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension().withExactlyOnceSource();

    @RegisterExtension
    static final S3Endpoint S3 = new S3Endpoint();

    @RegisterExtension
    static final AwsEndpointExtension SQS = new AwsEndpointExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void forgetTheQueue() {
        SQS.reset();
    }

    @Test
    void shouldNeitherLoseNorDuplicateAcrossARestartAndRedeliveredNotifications() throws Exception {
        // two regions × 10 files × 150 events, five minutes apart: all within the default 60-minute dedup window
        TrailFixture trail = TrailFixture.orgTrail(List.of("555555555555"), List.of("us-east-1", "eu-west-1"),
            LocalDate.of(2024, 5, 1), 1, 10, 150);
        S3.createBucket("eos-notified");
        trail.putTo(S3, "eos-notified", "");
        List<String> keys = new ArrayList<>(trail.eventIdsByKey().keySet());
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        SQS.stubSequence(receive, receive.success(messages("eos-notified", keys, "first", true)), receive.success("{}"));
        SqsStubs.quietQueue(SQS, "555555555555");
        CONNECT.cluster().kafka().createTopic("eosn.raw", 1);
        Map<String, String> config = TrailConnectors.withS3(TrailConnectors.config("s3://eos-notified", "eosn.raw", "eosn.dead"), S3);
        config.put("notifications.queue.url", SQS.endpoint() + "/555555555555/trail-notifications");
        config.put("notifications.endpoint.override", SQS.endpoint().toString());
        config.put("exactly.once.support", "required");
        config.put("batch.size", "100");
        config.put("queue.capacity", "200");
        CONNECT.cluster().configureConnector("eos-notified", config);
        CONNECT.awaitRunning("eos-notified", 1);

        List<ConsumerRecord<byte[], byte[]>> records;
        int seenAtRestart;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "eosn.raw", true)) {
            seenAtRestart = reader.readUntil(r -> r.size() >= 400, Duration.ofSeconds(90)).size();
            TrailConnectors.restartWorker(CONNECT, "eos-notified");
            SQS.stubSequence(receive, receive.success(messages("eos-notified", keys, "again", false)), receive.success("{}"));
            reader.readUntil(r -> r.size() >= trail.events().size(), Duration.ofSeconds(120));
            String deletes = SqsStubs.awaitDeletes(SQS, keys.stream().map(k -> "again-" + keys.indexOf(k)).toArray(String[]::new));
            assertTrue(keys.stream().allMatch(k -> deletes.contains("\"again-" + keys.indexOf(k) + "\"")),
                "every redelivered notification handled and deleted");
            records = reader.readFor(Duration.ofSeconds(3));
        }
        CONNECT.cluster().deleteConnector("eos-notified");

        assertTrue(seenAtRestart < trail.events().size(), "restart came after the whole ingest: " + seenAtRestart);
        assertEquals(trail.events().keySet(), TopicReader.keySet(records));
        assertEquals(trail.events().size(), records.size(), "duplicates after the restart or from a repeated notification");
    }

    /**
     * The task stopped partway in file A (its committed offset: A's record 199 of 400, not the last); after the restart
     * B's notification comes first and B is read and committed; the worker restarts again; then A's notification comes back
     * (with B's again). A must continue after record 199 although the committed offset is now B's: A's 200 remaining
     * events and B's 400, each once (reading A from its start again gives 800).
     */
    @Test
    void shouldContinueAFileLeftPartwayAfterAnotherFileAndASecondRestart() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of("555555555555"), List.of("ap-south-1"), LocalDate.of(2024, 5, 2), 1, 2, 400);
        S3.createBucket("eos-partial");
        trail.putTo(S3, "eos-partial", "");
        List<String> keys = new ArrayList<>(trail.eventIdsByKey().keySet());
        String fileA = keys.get(0);
        String fileB = keys.get(1);
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        SqsStubs.quietQueue(SQS, "555555555555");
        CONNECT.cluster().kafka().createTopic("eosp.raw", 1);
        String connector = "eos-partial";
        Map<String, String> config = TrailConnectors.withS3(TrailConnectors.config("s3://eos-partial", "eosp.raw", "eosp.dead"), S3);
        config.put("notifications.queue.url", SQS.endpoint() + "/555555555555/trail-notifications");
        config.put("notifications.endpoint.override", SQS.endpoint().toString());
        config.put("exactly.once.support", "required");
        CONNECT.cluster().configureConnector(connector, config);
        CONNECT.awaitRunning(connector, 1);

        // the position a task stopped partway in A leaves behind, set as an operator would
        CONNECT.cluster().stopConnector(connector);
        TrailConnectors.awaitState(CONNECT, connector, "STOPPED");
        TrailPartition partition = TrailPartition.of(TrailLocation.parse("s3://eos-partial"), TrailFixture.ORG, "555555555555",
            "ap-south-1");
        CONNECT.cluster().alterSourceConnectorOffset(connector, partition.sourcePartition(),
            Map.of("key", fileA, "index", 199, "eof", false, "after", partition.keyPrefix(), "recent", ""));
        TrailConnectors.awaitOffset(CONNECT, connector, fileA);
        SQS.stubSequence(receive, receive.success(messages("eos-partial", List.of(fileB), "b", false)), receive.success("{}"));
        CONNECT.cluster().resumeConnector(connector);
        CONNECT.awaitRunning(connector, 1);

        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "eosp.raw", true)) {
            reader.readUntil(r -> r.size() >= 400, Duration.ofSeconds(90));
            TrailConnectors.awaitOffset(CONNECT, connector, fileB);
            SqsStubs.awaitDeletes(SQS, "b-0");
            TrailConnectors.restartWorker(CONNECT, connector);
            String again = messages("eos-partial", List.of(fileA, fileB), "again", false);
            SQS.stubSequence(receive, receive.success(again), receive.success("{}"));
            SqsStubs.awaitDeletes(SQS, "again-0", "again-1");
            records = reader.readUntil(r -> r.size() >= 600, Duration.ofSeconds(90));
            records = reader.readFor(Duration.ofSeconds(3));
        } finally {
            CONNECT.cluster().deleteConnector(connector);
        }

        List<String> expected = new ArrayList<>(trail.eventIdsByKey().get(fileB));
        expected.addAll(trail.eventIdsByKey().get(fileA).subList(200, 400));
        assertEquals(expected.size(), records.size(), "B's 400 events and A's last 200, each once");
        assertEquals(expected, TopicReader.keys(records), "B once, then A from record 200 on");
    }

    /**
     * One notification per key of {@code bucket} (receipt handle {@code <tag>-<i>}), the first key's twice in a row when
     * {@code repeatFirst}.
     */
    private static String messages(String bucket, List<String> keys, String tag, boolean repeatFirst) throws Exception {
        List<Map<String, String>> messages = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            messages.add(SqsStubs.message(tag + "-m" + i, tag + "-" + i, SqsStubs.s3Notification(bucket, keys.get(i))));
            if (i == 0 && repeatFirst) {
                messages.add(SqsStubs.message(tag + "-dup", tag + "-dup", SqsStubs.s3Notification(bucket, keys.get(0))));
            }
        }
        return JSON.writeValueAsString(Map.of("Messages", messages));
    }
}
