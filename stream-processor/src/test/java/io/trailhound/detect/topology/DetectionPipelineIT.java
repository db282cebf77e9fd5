package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Mode;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.topic.DeadLetters;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * The stream processor on a real KRaft broker and a real schema registry, exactly-once: raw CloudTrail records in (one
 * duplicated, one malformed), Avro alerts out through the live serdes, the bad record on the dead-letter topic. The app creates
 * its own lineage topic.
 */
class DetectionPipelineIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    @Test
    void shouldTurnRawRecordsIntoAvroAlertsAndDeadLetters() throws Exception {
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        List<Topic<?, ?>> used = List.of(topics.cloudTrailRaw(), topics.guardDutyRaw(), topics.events(), topics.alerts(),
                topics.deadLetter());
        for (Topic<?, ?> t : used) {
            // records carry 2024 event times: keep them, or the broker's default 7-day retention deletes them mid-test
            KAFKA.createTopic(t.name(), 2, Map.of("retention.ms", "-1"));
        }
        Map<String, Object> settings = new HashMap<>();
        settings.put("application.id", "it-" + UUID.randomUUID());
        settings.put("bootstrap.servers", KAFKA.bootstrapServers());
        settings.put("schema.registry.url", REGISTRY.url());
        settings.put("state.dir", stateDir.toString());
        settings.put("consumer.auto.offset.reset", "earliest");
        settings.put("trailhound.http.port", "0");
        // unsigned alerts: this test reads them, no responder does (signing: SignedRecordsTest, IntrusionIT)
        settings.put(StreamProcessorConfig.SIGNING_REQUIRED_CONFIG, "false");
        try (StreamProcessorApp app = new StreamProcessorApp(settings)) {
            app.start();
            String stop = stopLogging("it-evt-1", "2024-05-01T10:00:00Z");
            try (KafkaProducer<String, byte[]> producer = producer()) {
                // poison records mid-partition: the records after them are processed, the poison is dead-lettered (#17)
                producer.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, 0, "s3://trail/1#0", bytes(stop)));
                producer.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, 0, "eventbridge/1", bytes(stop)));
                producer.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, 0, "s3://trail/1#1", bytes("{\"Records\": [")));
                producer.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, 0, "s3://trail/1#2", bytes("42")));
                producer.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, 0, "s3://trail/2#0",
                    bytes(stopLogging("it-evt-2", "2024-05-09T10:00:00Z"))));
                producer.flush();
            }
            List<Alert> alerts = consume(Topics.ALERTS, topics.alerts().valueSerde().deserializer(), 2);
            assertEquals(2, alerts.size(), alerts.toString());
            assertEquals("TH-CT-001", alerts.get(0).getRuleId());
            assertEquals(List.of("it-evt-1"), alerts.get(0).getEventIds());
            assertEquals(List.of("it-evt-2"), alerts.get(1).getEventIds(), "the record after the poison is processed");
            assertEquals(Mode.LIVE, alerts.get(0).getMode());
            assertEquals(200, get(app.httpPort(), "/ready").statusCode());
            assertEquals(200, get(app.httpPort(), "/healthy").statusCode());
            String metrics = get(app.httpPort(), "/metrics").body();
            assertTrue(metrics.contains("trailhound_alerts_total{rule=\"TH-CT-001\",severity=\"HIGH\"} 2.0"), metrics);
            assertTrue(metrics.contains("trailhound_records_normalized_total{outcome=\"rejected\"} 2.0"), metrics);
            assertTrue(metrics.contains("kafka_stream"), "Kafka Streams meters are bound");
            assertTrue(metrics.contains("trailhound_detection_latency_seconds_count 2"), "two alerts, two latency samples: " + metrics);
            assertTrue(metrics.contains("trailhound_detection_latency_seconds{quantile=\"0.99\"}"), "p99 published");
            assertTrue(metrics.contains("trailhound_state_store_entries{store=\"dedup-store\"}"), "store sizes published");
            assertTrue(!metrics.contains("trailhound_state_store_entries{store=\"dedup-store\"} 0.0"), "the dedup store holds the event");
            Alert alert = alerts.get(0);
            assertTrue(alert.getIncidentId() != null, "every alert carries its incident");
            List<byte[]> incidents = consume(Topics.INCIDENTS, new ByteArrayDeserializer(), 2);
            assertEquals(2, incidents.size(), "an incident record for each alert that opened or changed one");
            List<ConsumerRecord<String, byte[]>> dead = consumeRecords(Topics.DEADLETTER, 2);
            assertEquals(java.util.Set.of("{\"Records\": [", "42"), dead.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.toSet()));
            for (ConsumerRecord<String, byte[]> letter : dead) {
                assertEquals(Topics.CLOUDTRAIL_RAW, header(letter, DeadLetters.SOURCE_TOPIC));
                assertEquals("stream-processor", header(letter, DeadLetters.COMPONENT));
                assertTrue(header(letter, DeadLetters.SOURCE_OFFSET).startsWith("0:"), header(letter, DeadLetters.SOURCE_OFFSET));
                assertTrue(!header(letter, DeadLetters.REASON).isBlank(), "a reason");
            }
            assertEquals(2, consume(Topics.EVENTS, new ByteArrayDeserializer(), 2).size(), "the duplicate is dropped");
        }
    }

    private static <V> List<V> consume(String topic, Deserializer<V> values, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
            // a short extra poll shows whether anything beyond the expected records was written
            consumer.poll(Duration.ofSeconds(3)).forEach(r -> out.add(r.value()));
        }
        return out;
    }

    private static List<ConsumerRecord<String, byte[]>> consumeRecords(String topic, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String stopLogging(String id, String time) throws Exception {
        ObjectNode e = (ObjectNode) MAPPER.readTree(Files.readString(Path.of("src/test/resources/normalize/assumed-role.json")));
        e.put("eventID", id).put("eventTime", time).put("eventSource", "cloudtrail.amazonaws.com")
                .put("eventName", "StopLogging").put("recipientAccountId", "123456789012")
                .putObject("requestParameters").put("name", "main");
        e.remove("errorCode");
        return MAPPER.writeValueAsString(e);
    }
}
