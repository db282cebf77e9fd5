package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Mode;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.topic.Topics;

/** {@code trailhound replay detect} runs the stream processor's ReplayRun over a time range into replay topics only. */
class ReplayDetectCommandIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * Replayed alerts carry their event time as record timestamp and the replay topics keep 7 days, so the range must be recent
     * or the broker's retention check deletes the replay's output during the test.
     */
    private static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));

    private final CliRun cli = new CliRun();

    private static String stopLogging(String id, String time) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("eventVersion", "1.09").put("eventID", id).put("eventTime", time).put("eventSource", "cloudtrail.amazonaws.com")
            .put("eventName", "StopLogging").put("awsRegion", "us-east-1").put("recipientAccountId", "111111111111")
            .put("sourceIPAddress", "203.0.113.66").put("userAgent", "aws-cli/2.15.0").put("eventType", "AwsApiCall");
        e.putObject("userIdentity").put("type", "IAMUser").put("accountId", "111111111111")
            .put("arn", "arn:aws:iam::111111111111:user/mallory").put("userName", "mallory").put("accessKeyId", "AKIAMALLORY")
            .put("principalId", "AIDAMALLORY");
        e.putObject("requestParameters").put("name", "arn:aws:cloudtrail:us-east-1:111111111111:trail/main-" + id);
        return e.toString();
    }

    @Test
    void shouldReplayOnlyTheRangeIntoReplayTopicsMarkedReplayAndLeaveTheLiveAlertTopicAlone() throws Exception {
        Map<String, String> keep = Map.of("retention.ms", "-1");
        KAFKA.createTopic(Topics.CLOUDTRAIL_RAW, 1, keep);
        KAFKA.createTopic(Topics.GUARDDUTY_RAW, 1, keep);
        KAFKA.createTopic(Topics.ALERTS, 1, keep);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (String[] e : new String[][] {{"before", DAY.minus(Duration.ofDays(1)).toString()},
                {"inside", DAY.plus(Duration.ofHours(8)).toString()}, {"after", DAY.plus(Duration.ofDays(2)).toString()}}) {
                producer.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, "k", stopLogging(e[0], e[1]).getBytes(StandardCharsets.UTF_8)))
                    .get();
            }
        }
        assertEquals(0, cli.exec("replay", "detect", "--bootstrap-server", KAFKA.bootstrapServers(), "--schema-registry",
            REGISTRY.url(), "--from", DAY.toString(), "--to", DAY.plus(Duration.ofDays(1)).toString(), "--replay-id", "it-range",
            "--timeout", "PT4M"), cli.err());
        assertTrue(cli.out().startsWith("replay it-range: read 3 raw records"), cli.out());
        assertTrue(cli.out().contains("on trailhound.replay.it-range.alerts"), cli.out());

        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        List<Alert> alerts = new ArrayList<>();
        try (ReplayReader reader = new ReplayReader(KAFKA.bootstrapServers())) {
            reader.readToEnd("trailhound.replay.it-range.alerts", null, r -> alerts.add(
                topics.alerts().valueSerde().deserializer().deserialize(r.topic(), r.headers(), r.value())));
            long[] live = {0};
            reader.readToEnd(Topics.ALERTS, null, r -> live[0]++);
            assertEquals(0, live[0], "nothing on the live alert topic");
        }
        assertFalse(alerts.isEmpty(), "StopLogging inside the range raises an alert");
        assertTrue(alerts.stream().allMatch(a -> a.getMode() == Mode.REPLAY), alerts.toString());
        assertTrue(alerts.stream().allMatch(a -> a.getEventIds().equals(List.of("inside"))), "only the event inside the range: " + alerts);

        assertEquals(1, new CliRun().exec("replay", "detect", "--bootstrap-server", KAFKA.bootstrapServers(), "--schema-registry",
            REGISTRY.url(), "--from", DAY.toString(), "--replay-id", "it-range"), "a used replay id is refused");
    }
}
