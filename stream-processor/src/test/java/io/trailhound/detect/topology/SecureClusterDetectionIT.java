package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.SecureKafkaBroker;
import io.trailhound.testkit.SecureSchemaRegistry;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * #19: the stream processor, exactly-once, on a cluster whose listener requires SASL/SCRAM over TLS and with a schema registry
 * that requires TLS and basic auth: its Streams clients, its topic set-up, its lineage round trip and its serdes connect with
 * the configured security settings; a raw record becomes an alert. Registry credentials the registry refuses stop the start.
 */
class SecureClusterDetectionIT {

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static SecureKafkaBroker kafka;
    private static SecureSchemaRegistry registry;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void start() throws Exception {
        kafka = SecureKafkaBroker.start(Map.of("detector", "detector-secret", "reader", "reader-secret"));
        registry = SecureSchemaRegistry.start(REGISTRY.url(), Map.of("detector", "detector-registry", "reader", "reader-registry"));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldTurnARawRecordIntoAnAlertOverTlsAndSasl() throws Exception {
        Topics topics = new Topics(registry.clientSettings("reader"));
        for (Topic<?, ?> t : List.of(topics.cloudTrailRaw(), topics.guardDutyRaw(), topics.events(), topics.alerts(),
                topics.deadLetter())) {
            kafka.createTopic(t.name(), 1, Map.of("retention.ms", "-1"));
        }
        try (StreamProcessorApp app = new StreamProcessorApp(settings(registry.clientSettings("detector")))) {
            app.start();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(new HashMap<>(kafka.clientSettings("detector")),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, "s3://trail/1#0", stopLogging())).get();
            }
            List<Alert> alerts = new ArrayList<>();
            Map<String, Object> reader = new HashMap<>(kafka.clientSettings("reader"));
            reader.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
            reader.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            reader.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(reader, new StringDeserializer(),
                    topics.alerts().valueSerde().deserializer())) {
                consumer.subscribe(List.of(Topics.ALERTS));
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (alerts.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> alerts.add(r.value()));
                }
            }
            assertEquals(1, alerts.size());
            assertEquals("TH-CT-001", alerts.get(0).getRuleId());
        }
    }

    @Test
    void shouldRefuseToStartWithRegistryCredentialsTheRegistryRefuses() {
        int refusedBefore = registry.refused();
        ConfigException refused;
        try (StreamProcessorApp app = new StreamProcessorApp(settings(registry.clientSettings("detector", "wrong-password")))) {
            refused = assertThrows(ConfigException.class, app::start);
        }
        assertTrue(refused.getMessage().contains("HTTP 401") && refused.getMessage().contains("basic.auth.user.info"),
            refused.getMessage());
        assertTrue(registry.refused() > refusedBefore, "the registry saw the wrong credentials");
    }

    /** The detector's Kafka settings over SASL/TLS, the given registry settings, and a fresh application. */
    private Map<String, Object> settings(Map<String, String> registrySettings) {
        Map<String, Object> settings = new HashMap<>(kafka.clientSettings("detector"));
        settings.put("application.id", "secure-" + UUID.randomUUID());
        settings.putAll(registrySettings);
        settings.put("state.dir", stateDir.toString());
        settings.put("consumer.auto.offset.reset", "earliest");
        settings.put("trailhound.http.port", "0");
        settings.put(StreamProcessorConfig.SIGNING_REQUIRED_CONFIG, "false");
        return settings;
    }

    private static byte[] stopLogging() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode e = (ObjectNode) mapper.readTree(Files.readString(Path.of("src/test/resources/normalize/assumed-role.json")));
        e.put("eventID", "secure-evt-1").put("eventTime", "2024-05-01T10:00:00Z").put("eventSource", "cloudtrail.amazonaws.com")
            .put("eventName", "StopLogging").put("recipientAccountId", "123456789012")
            .putObject("requestParameters").put("name", "main");
        e.remove("errorCode");
        return mapper.writeValueAsString(e).getBytes(StandardCharsets.UTF_8);
    }
}
