package io.trailhound.detect.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.detect.normalize.EventTimes;
import io.trailhound.detect.normalize.JsonFields;
import io.trailhound.detect.normalize.RecordNormalizer;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.topology.DeadLetterHandler;
import io.trailhound.detect.topology.DetectionMetrics;
import io.trailhound.detect.topology.DetectionTopology;
import io.trailhound.detect.topology.LocalSchemaRegistry;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.serde.AvroDeserializer;
import io.trailhound.topic.Topics;

/**
 * The reference of {@link ScanEqualityTest}: the scan as it was before #16 item 5, the live topology run through Kafka Streams'
 * {@link TopologyTestDriver} (kept as a test dependency for this), over raw records in event-time order (the whole input
 * sorted); the result is the final state of every alert (a suppressed repeat updates its alert's count).
 */
final class DriverScan {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Records between two drains of the driver's retained output. */
    private static final int DRAIN_EVERY = 1_000;
    /** Header naming where a raw record came from, as the connector names the S3 key. */
    static final String ORIGIN_HEADER = "key";

    private final Map<String, Object> settings;
    private final RuleCatalog catalog;

    /** @param settings stream-processor configuration ({@link StreamProcessorConfig} keys); the mode defaults to REPLAY */
    DriverScan(Map<String, ?> settings, RuleCatalog catalog) {
        this.settings = new HashMap<>(settings);
        this.settings.putIfAbsent(StreamProcessorConfig.MODE_CONFIG, "REPLAY");
        this.catalog = catalog;
    }

    /** Scans {@code records} (raw JSON, any order) and returns the alerts in the order they were first raised. */
    OfflineScan.Result run(List<byte[]> records) {
        return run(ScanSource.of(records));
    }

    /**
     * Scans {@code source} in event-time order, reading its parts as they are needed; each record carries its part's origin
     * in the {@code key} header, as the connector's records carry their S3 key (an organization trail's layout names the
     * organization's accounts).
     */
    OfflineScan.Result run(ScanSource source) {
        StreamProcessorConfig config = new StreamProcessorConfig(settings, catalog);
        LocalSchemaRegistry registry = new LocalSchemaRegistry();
        Map<String, Object> serdeConfigs = Map.of("schema.registry.url", "http://in-process.invalid");
        Topics topics = new Topics(registry, serdeConfigs);
        Path stateDir = tempDir();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "trailhound-scan");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "in-process:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // as live: a record that cannot be processed is a dead letter (counted below), not the end of the scan
        DeadLetterHandler.install(props, topics.deadLetter().name());
        List<Timed> ordered = order(source);
        Map<String, Alert> alerts = new LinkedHashMap<>();
        Map<String, Incident> incidents = new LinkedHashMap<>();
        int dead;
        List<Alert> held;
        try (TopologyTestDriver driver = new TopologyTestDriver(
                DetectionTopology.build(config, catalog, topics, registry, serdeConfigs, DetectionMetrics.none(),
                        DetectionTopology.Sinks.live(topics, config), true), props)) {
            TestInputTopic<String, byte[]> cloudTrail = driver.createInputTopic(topics.cloudTrailRaw().name(),
                    new StringSerializer(), new ByteArraySerializer());
            TestInputTopic<String, byte[]> guardDuty = driver.createInputTopic(topics.guardDutyRaw().name(),
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, Alert> out = driver.createOutputTopic(topics.alerts().name(), new StringDeserializer(),
                    new AvroDeserializer<>(Alert.class, registry));
            TestOutputTopic<String, Alert> signals = driver.createOutputTopic(topics.signals().name(), new StringDeserializer(),
                    new AvroDeserializer<>(Alert.class, registry));
            TestOutputTopic<String, Incident> incidentOut = driver.createOutputTopic(topics.incidents().name(), new StringDeserializer(),
                    new AvroDeserializer<>(Incident.class, registry));
            Set<String> kept = Set.of(topics.alerts().name(), topics.signals().name(), topics.incidents().name());
            int piped = 0;
            dead = 0;
            for (Timed t : ordered) {
                byte[] raw = source.records(t.part()).get(t.index());
                String origin = source.origin(t.part());
                Headers headers = new RecordHeaders();
                if (origin != null) {
                    headers.add(ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
                }
                (t.finding() ? guardDuty : cloudTrail).pipeInput(new TestRecord<>(null, raw, headers, Instant.ofEpochMilli(t.millis())));
                // alerts and signals in the order raised (a record writes its signals and alerts in one step)
                out.readValuesToList().forEach(a -> alerts.put(a.getAlertId(), a));
                signals.readValuesToList().forEach(a -> alerts.put(a.getAlertId(), a));
                incidentOut.readValuesToList().forEach(i -> incidents.put(i.getIncidentId(), i));
                if (++piped % DRAIN_EVERY == 0) {
                    dead += drain(driver, kept, topics.deadLetter().name());
                }
            }
            dead += drain(driver, kept, topics.deadLetter().name());
            held = held(driver);
        } finally {
            deleteQuietly(stateDir);
        }
        return new OfflineScan.Result(new ArrayList<>(alerts.values()), ordered.size(), dead, new ArrayList<>(incidents.values()), held);
    }

    /** The hits the follow-up processor still holds (their window had not passed when the input ended), oldest due first. */
    private static List<Alert> held(TopologyTestDriver driver) {
        List<Alert> held = new ArrayList<>();
        KeyValueStore<String, Alert> store = driver.getKeyValueStore(DetectionTopology.FOLLOW_UP_STORE);
        try (KeyValueIterator<String, Alert> it = store.all()) {
            it.forEachRemaining(kv -> held.add(kv.value));
        }
        return held;
    }

    /** Where a record is (part, index), its event time, a hash of its bytes (for an order independent of input order). */
    private record Timed(int part, int index, long millis, long hash, boolean finding) {
    }

    /**
     * Drops what the driver kept of every topic written but {@code kept} (it keeps each record produced until read: the
     * events, the repartitions, the lineage), so memory does not grow with the input; returns how many were dead letters.
     */
    private static int drain(TopologyTestDriver driver, Set<String> kept, String deadLetter) {
        int dead = 0;
        for (String topic : driver.producedTopicNames()) {
            if (!kept.contains(topic)) {
                int n = driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                        .readRecordsToList().size();
                dead += topic.equals(deadLetter) ? n : 0;
            }
        }
        return dead;
    }

    /**
     * Event-time order, then the records' hashes among equal times (so the same records in any order give the same output), then
     * their place; records without a readable time go first (they dead-letter). Reads each part once, keeps no record bytes.
     */
    private static List<Timed> order(ScanSource source) {
        List<Timed> out = new ArrayList<>();
        for (int part = 0; part < source.parts(); part++) {
            List<byte[]> records = source.records(part);
            for (int i = 0; i < records.size(); i++) {
                byte[] raw = records.get(i);
                JsonNode node = parse(raw);
                JsonNode body = node.has("detail-type") ? node.path("detail") : node;
                String time = firstNonNull(JsonFields.text(body, "eventTime"), JsonFields.text(body, "@timestamp"),
                        JsonFields.text(body, "updatedAt"), JsonFields.text(body, "createdAt"));
                long millis = EventTimes.parse(time).map(Instant::toEpochMilli).orElse(0L);
                out.add(new Timed(part, i, millis, hash(raw), RecordNormalizer.isGuardDutyFinding(node)));
            }
        }
        out.sort(Comparator.comparingLong(Timed::millis).thenComparingLong(Timed::hash).thenComparingInt(Timed::part)
                .thenComparingInt(Timed::index));
        return out;
    }

    /** A 64-bit FNV-1a hash of the bytes. */
    private static long hash(byte[] raw) {
        long h = 0xcbf29ce484222325L;
        for (byte b : raw) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static JsonNode parse(byte[] raw) {
        try {
            JsonNode node = MAPPER.readTree(raw);
            return node == null ? JsonFields.MISSING : node;
        } catch (IOException e) {
            return JsonFields.MISSING;
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("trailhound-scan");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the scan", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
