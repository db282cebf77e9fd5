package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Mode;
import io.trailhound.serde.AvroDeserializer;
import io.trailhound.topic.ReplayTopics;
import io.trailhound.topic.Topics;

/** The replay sinks of the topology: output only on {@code trailhound.replay.<id>.*}, only event times in {@code [from, to)}. */
class ReplaySinksTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path stateDir;

    @Test
    void shouldWriteOnlyReplayTopicsAndKeepOnlyTheRange() throws IOException {
        LocalSchemaRegistry registry = new LocalSchemaRegistry();
        Map<String, Object> serdeConfigs = Map.of("schema.registry.url", "http://in-process.invalid");
        Topics topics = new Topics(registry, serdeConfigs);
        ReplayTopics replay = topics.replay("case-1");
        StreamProcessorConfig config = new StreamProcessorConfig(Map.of(StreamProcessorConfig.MODE_CONFIG, "REPLAY"),
                TopologyFixture.CATALOG);
        DetectionTopology.Sinks sinks = DetectionTopology.Sinks.replay(replay, Instant.parse("2024-05-01T10:00:00Z"),
                Instant.parse("2024-05-01T11:00:00Z"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "replay-sinks-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(DetectionTopology.build(config, TopologyFixture.CATALOG, topics,
                registry, serdeConfigs, DetectionMetrics.none(), sinks), props)) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.CLOUDTRAIL_RAW, new StringSerializer(),
                    new ByteArraySerializer());
            for (String time : List.of("2024-05-01T09:59:59Z", "2024-05-01T10:00:00Z", "2024-05-01T10:59:59Z", "2024-05-01T11:00:00Z")) {
                // appended at event time: the driver runs all sub-topologies as one task, so a later append time would move the
                // stream time of the suppression purge too
                raw.pipeInput(null, stopLogging("e-" + time, time), Instant.parse(time));
            }
            List<Alert> alerts = driver.createOutputTopic(replay.alerts().name(), new StringDeserializer(),
                    new AvroDeserializer<>(Alert.class, registry)).readValuesToList();
            assertEquals(2, alerts.size(), alerts.stream().map(a -> a.getRuleId() + a.getEventIds() + a.getCount()).toList().toString());
            assertEquals(List.of("e-2024-05-01T10:00:00Z", "e-2024-05-01T10:59:59Z"), alerts.get(1).getEventIds(),
                    alerts.stream().map(a -> a.getRuleId() + a.getEventIds() + a.getCount() + a.getDedupKey()).toList().toString());
            assertTrue(alerts.stream().allMatch(a -> a.getMode() == Mode.REPLAY));
            List<Incident> incidents = driver.createOutputTopic(replay.incidents().name(), new StringDeserializer(),
                    new AvroDeserializer<>(Incident.class, registry)).readValuesToList();
            assertEquals(Mode.REPLAY, incidents.get(incidents.size() - 1).getMode());
            assertTrue(driver.producedTopicNames().stream().noneMatch(n -> n.equals(Topics.ALERTS) || n.equals(Topics.EVENTS)
                    || n.equals(Topics.INCIDENTS) || n.equals(Topics.LINEAGE) || n.equals(Topics.DEADLETTER)),
                    "nothing live: " + driver.producedTopicNames());
        }
    }

    private static byte[] stopLogging(String id, String time) throws IOException {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("eventID", id).put("eventTime", time).put("eventSource", "cloudtrail.amazonaws.com").put("eventName", "StopLogging")
                .put("awsRegion", "us-east-1").put("recipientAccountId", "111111111111").put("sourceIPAddress", "198.51.100.7")
                .put("userAgent", "aws-cli/2.15.0");
        e.putObject("userIdentity").put("type", "IAMUser").put("accountId", "111111111111")
                .put("arn", "arn:aws:iam::111111111111:user/dave").put("userName", "dave").put("accessKeyId", "AKIADAVE");
        e.putObject("requestParameters").put("name", "main");
        return MAPPER.writeValueAsString(e).getBytes(StandardCharsets.UTF_8);
    }
}
