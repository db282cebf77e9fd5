package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.access.AccessSummary;
import io.trailhound.access.GraphBuilder;
import io.trailhound.access.SnapshotOptions;
import io.trailhound.access.SnapshotRecords;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Severity;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * Issue #15 item 4 on a real KRaft broker and a real schema registry: IAM snapshot records in (the connector's contract),
 * then a CloudTrail AttachRolePolicy(AdministratorAccess) on the raw topic: the role's summary says administrator-equivalent
 * and TH-ACC-001 is on trailhound.alerts within 60 s of the event. Then the rest of a day of IAM changes
 * (src/test/resources/access/events.jsonl): the summaries the pipeline publishes equal those of a rebuild from the next
 * snapshot (access/n1).
 */
class AccessGraphIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static final Logger LOG = LoggerFactory.getLogger(AccessGraphIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long NEXT = Instant.parse("2026-12-07T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    @Test
    void shouldFollowIamChangesIntoSummariesAndAlerts() throws Exception {
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        for (Topic<?, ?> t : List.of(topics.cloudTrailRaw(), topics.guardDutyRaw(), topics.events(), topics.alerts(), topics.signals(),
                topics.deadLetter())) {
            KAFKA.createTopic(t.name(), 2, Map.of("retention.ms", "-1"));
        }
        KAFKA.createTopic(Topics.IAM_SNAPSHOTS, 1, Map.of("cleanup.policy", "compact"));
        Map<String, Object> settings = new HashMap<>();
        settings.put("application.id", "it-" + UUID.randomUUID());
        settings.put("bootstrap.servers", KAFKA.bootstrapServers());
        settings.put("schema.registry.url", REGISTRY.url());
        settings.put("state.dir", stateDir.toString());
        settings.put("consumer.auto.offset.reset", "earliest");
        settings.put("trailhound.http.port", "0");
        settings.put(StreamProcessorConfig.SIGNING_REQUIRED_CONFIG, "false");
        settings.put(StreamProcessorConfig.ACCESS_REBUILD_INTERVAL_MS_CONFIG, "500");
        List<String> day = Files.readAllLines(Path.of("src/test/resources/access/events.jsonl"), StandardCharsets.UTF_8);
        try (StreamProcessorApp app = new StreamProcessorApp(settings);
             KafkaProducer<String, String> snapshots = new KafkaProducer<>(producerProps(), new StringSerializer(), new StringSerializer());
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, String> summaries = consumer(new StringDeserializer());
             KafkaConsumer<String, Alert> alerts = consumer(topics.alerts().valueSerde().deserializer())) {
            app.start();
            summaries.subscribe(List.of(Topics.ACCESS_SUMMARIES));
            alerts.subscribe(List.of(Topics.ALERTS));
            AccessStageTest.snapshot().forEach((k, v) -> snapshots.send(new ProducerRecord<>(Topics.IAM_SNAPSHOTS, k, v)));
            snapshots.flush();
            Map<String, AccessSummary> latest = new TreeMap<>();
            poll(summaries, latest, m -> m.size() == 6);
            assertFalse(latest.get(AccessStageTest.APP).adminEquivalent());

            long sent = System.currentTimeMillis();
            raw.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, 0, null, day.get(0).getBytes(StandardCharsets.UTF_8))).get();
            Alert admin = pollAlert(alerts, a -> a.getRuleId().equals("TH-ACC-001")
                && a.getPrincipal().getArn().equals(AccessStageTest.APP));
            long took = System.currentTimeMillis() - sent;
            LOG.info("TH-ACC-001 on trailhound.alerts {} ms after the event was sent", took);
            assertTrue(took < TIMEOUT.toMillis(), "TH-ACC-001 " + took + " ms after the event");
            assertEquals(Severity.HIGH, admin.getSeverity());
            assertEquals(List.of("00000000-0000-4000-8000-000000000001"), admin.getEventIds());
            assertTrue(admin.getEvidence().startsWith("path: its own policies grant * on *"), admin.getEvidence());
            poll(summaries, latest, m -> m.get(AccessStageTest.APP).adminEquivalent());
            assertTrue(latest.get(AccessStageTest.DEV).adminEquivalent(), "dev may assume app");

            // one partition: the changes apply in the order they arrive (README, limits)
            for (String line : day.subList(1, day.size())) {
                raw.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, 0, null, line.getBytes(StandardCharsets.UTF_8)));
            }
            raw.flush();
            Map<String, AccessSummary> next = nextSnapshotSummaries();
            poll(summaries, latest, m -> m.keySet().equals(next.keySet())
                && next.entrySet().stream().allMatch(e -> e.getValue().sameAccess(m.get(e.getKey()))));
            next.forEach((arn, s) -> assertTrue(s.sameAccess(latest.get(arn)), arn + ": " + s + " vs " + latest.get(arn)));
        }
    }

    /** The summaries of a rebuild from snapshot N+1 (access/n1), offline. */
    private static Map<String, AccessSummary> nextSnapshotSummaries() throws Exception {
        Map<String, String> records = new TreeMap<>();
        for (String account : List.of(AccessStageTest.ACCOUNT, AccessStageTest.OTHER)) {
            Path gaad = Path.of("src/test/resources/access/n1/" + account + ".gaad.json");
            records.putAll(SnapshotRecords.of(account, NEXT, JSON.readTree(gaad.toFile()), null));
        }
        SnapshotRecords.Built built = SnapshotRecords.build(records, SnapshotOptions.defaults());
        return AccessSummary.of(GraphBuilder.build(built.snapshot()), built, 5);
    }

    /** Polls the summaries into {@code latest} (a tombstone removes) until {@code done} holds; fails after the timeout. */
    private static void poll(KafkaConsumer<String, String> consumer, Map<String, AccessSummary> latest,
                             Predicate<Map<String, AccessSummary>> done) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!safe(done, latest)) {
            assertTrue(System.nanoTime() < deadline, "summaries never got there: " + latest);
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.value() == null) {
                    latest.remove(r.key());
                } else {
                    latest.put(r.key(), AccessSummary.fromJson(r.value()));
                }
            }
        }
    }

    private static boolean safe(Predicate<Map<String, AccessSummary>> done, Map<String, AccessSummary> latest) {
        try {
            return done.test(latest);
        } catch (NullPointerException e) {
            return false;
        }
    }

    private static Alert pollAlert(KafkaConsumer<String, Alert> consumer, Predicate<Alert> wanted) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<Alert> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Alert> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(r.value());
                if (wanted.test(r.value())) {
                    return r.value();
                }
            }
        }
        throw new AssertionError("no such alert within " + TIMEOUT + "; seen " + seen.stream().map(Alert::getRuleId).toList());
    }

    private static Map<String, Object> producerProps() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    }

    private static <V> KafkaConsumer<String, V> consumer(Deserializer<V> values) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new StringDeserializer(), values);
    }
}
