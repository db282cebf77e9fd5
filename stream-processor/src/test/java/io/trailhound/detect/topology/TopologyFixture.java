package io.trailhound.detect.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Incident;
import io.trailhound.detect.normalize.EventTimes;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.keying.PrincipalKeys;
import io.trailhound.serde.AvroDeserializer;
import io.trailhound.topic.Topics;

/** The detection topology in a {@link TopologyTestDriver} with its input and output topics, for tests. */
final class TopologyFixture implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static final RuleCatalog CATALOG = RuleCatalog.builtIn();
    private static final PrincipalKeys KEYS = PrincipalKeys.of(List.of("AWSReservedSSO_.*"));

    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> cloudTrail;
    final TestInputTopic<String, byte[]> guardDuty;
    final TestOutputTopic<String, Alert> alerts;
    final TestOutputTopic<String, Alert> signals;
    final TestOutputTopic<String, CloudTrailEvent> events;
    final TestOutputTopic<byte[], byte[]> deadLetter;
    final TestOutputTopic<String, Incident> incidents;

    TopologyFixture(Path stateDir) {
        this(stateDir, Map.of());
    }

    TopologyFixture(Path stateDir, Map<String, Object> settings) {
        this(stateDir, settings, DetectionMetrics.none());
    }

    TopologyFixture(Path stateDir, Map<String, Object> settings, DetectionMetrics metrics) {
        Map<String, Object> all = new HashMap<>(settings);
        all.putIfAbsent(StreamProcessorConfig.MODE_CONFIG, "LIVE");
        StreamProcessorConfig config = new StreamProcessorConfig(all, CATALOG);
        LocalSchemaRegistry registry = new LocalSchemaRegistry();
        Map<String, Object> serdeConfigs = Map.of("schema.registry.url", "http://in-process.invalid");
        Topics topics = new Topics(registry, serdeConfigs);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(DetectionTopology.build(config, CATALOG, topics, registry, serdeConfigs, metrics), props);
        cloudTrail = driver.createInputTopic(Topics.CLOUDTRAIL_RAW, new StringSerializer(), new ByteArraySerializer());
        guardDuty = driver.createInputTopic(Topics.GUARDDUTY_RAW, new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(Topics.ALERTS, new StringDeserializer(), new AvroDeserializer<>(Alert.class, registry));
        signals = driver.createOutputTopic(Topics.SIGNALS, new StringDeserializer(), new AvroDeserializer<>(Alert.class, registry));
        events = driver.createOutputTopic(Topics.EVENTS, new StringDeserializer(),
                new AvroDeserializer<>(CloudTrailEvent.class, registry));
        deadLetter = driver.createOutputTopic(Topics.DEADLETTER, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        incidents = driver.createOutputTopic(Topics.INCIDENTS, new StringDeserializer(), new AvroDeserializer<>(Incident.class, registry));
    }

    /** Pipes one raw CloudTrail record, appended at {@code appendTime}. */
    void pipe(String json, Instant appendTime) {
        cloudTrail.pipeInput(null, json.getBytes(StandardCharsets.UTF_8), appendTime);
    }

    /**
     * Pipes one raw record appended a minute after its event time, as a trail delivers it. (The driver runs the whole topology
     * as one task, so an append time far from event time would move the stream time of the event-time processors too.)
     */
    void pipe(String json) {
        Instant eventTime = Instant.parse("2020-01-01T00:00:00Z");
        try {
            JsonNode node = MAPPER.readTree(json);
            String text = node.hasNonNull("eventTime") ? node.get("eventTime").asText() : node.path("updatedAt").asText(null);
            eventTime = EventTimes.parse(text).orElse(eventTime);
        } catch (IOException ignored) {
            // not JSON: any append time will do, it goes to the dead-letter topic
        }
        pipe(json, eventTime.plusSeconds(60));
    }

    /**
     * Pipes one raw CloudTrail record keyed by its durable principal, as the connector's {@code PrincipalKey} transform writes
     * it (no repartition: its event reaches the detect processor in the step that reads it), appended at {@code appendTime}.
     */
    void pipeKeyed(String json, Instant appendTime) {
        try {
            cloudTrail.pipeInput(KEYS.recordKey(MAPPER.readTree(json)), json.getBytes(StandardCharsets.UTF_8), appendTime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pipes every line of a JSON Lines file. */
    void pipeLines(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                pipe(line);
            }
        }
    }

    /**
     * Every rule hit emitted so far, alerts and signals alike, in event-time order (alerts before signals of the same
     * time: the driver keeps each topic apart, so the order between the two within one record is not known).
     */
    List<Alert> alerts() {
        List<TestRecord<String, Alert>> all = new ArrayList<>(alerts.readRecordsToList());
        all.addAll(signals.readRecordsToList());
        all.sort(Comparator.comparing(TestRecord::getRecordTime));
        return all.stream().map(TestRecord::value).toList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
