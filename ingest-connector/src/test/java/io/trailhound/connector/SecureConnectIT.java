package io.trailhound.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.cloudtrail.TrailFixture;
import io.trailhound.keying.PrincipalKeys;
import io.trailhound.testkit.SecureKafkaBroker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our packaged connectors on a cluster that requires SASL/SCRAM over TLS (#19), as a Strimzi cluster's TLS+SCRAM listener does:
 * a Connect worker in its own JVM authenticates as the {@code connect} user for its own clients and its connectors'
 * producers, and the log-file source delivers every record of a trail, keyed by principal; a worker given a wrong password
 * does not start, and its log names the authentication failure.
 */
class SecureConnectIT {

    private static final String CONNECT_PASSWORD = "connect-secret";
    private static SecureKafkaBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void broker() throws Exception {
        kafka = SecureKafkaBroker.start(Map.of("connect", CONNECT_PASSWORD, "reader", "reader-secret"));
        kafka.createTopic("secure.raw", 2, Map.of());
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldDeliverATrailOverSaslAndTlsWithTheWorkersOwnCredentials() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of("111111111111"), List.of("us-east-1"), LocalDate.of(2024, 5, 1), 1, 2, 5);
        trail.writeTo(dir.resolve("trail"));
        int expected = trail.events().size();
        try (ConnectWorkerProcess worker = ConnectWorkerProcess.start(dir, "secure-it", workerSettings(CONNECT_PASSWORD))) {
            try {
                worker.awaitGet("/connectors", Duration.ofSeconds(180));
                var created = worker.create(PluginPackagingIT.keyedTrailConnector("secured", dir.resolve("trail"), "secure.raw"));
                assertEquals(201, created.statusCode(), created.body());
                List<ConsumerRecord<byte[], byte[]>> records = read("secure.raw", expected, Duration.ofSeconds(120));
                assertEquals(expected, records.size(), "records from the connector over SASL_SSL");
                PrincipalKeys keys = PrincipalKeys.of(List.of("AWSReservedSSO_.*"));
                Set<String> eventIds = new TreeSet<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    var json = new ObjectMapper().readTree(record.value());
                    assertEquals(keys.recordKey(json), new String(record.key(), StandardCharsets.UTF_8));
                    eventIds.add(json.get("eventID").asText());
                }
                assertEquals(expected, eventIds.size(), "each event once");
                assertTrue(worker.awaitGet("/connectors/secured/status", Duration.ofSeconds(30)).contains("\"RUNNING\""));
            } catch (Exception | AssertionError failure) {
                failure.addSuppressed(new AssertionError("worker log ends with:\n" + worker.logTail(60)));
                throw failure;
            }
        }
    }

    @Test
    void shouldNotStartAWorkerWithAWrongPasswordAndSayWhy() throws Exception {
        try (ConnectWorkerProcess worker = ConnectWorkerProcess.start(dir, "wrong-password-it", workerSettings("not-the-password"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (System.nanoTime() < deadline && !worker.log().contains("SaslAuthenticationException") && worker.alive()) {
                Thread.sleep(500);
            }
            String log = worker.log();
            assertTrue(log.contains("SaslAuthenticationException") && log.contains("invalid credentials"),
                "the worker's log names the authentication failure:\n" + worker.logTail(40));
            // it never joins its group: its REST API never lists connectors
            assertTrue(!log.contains("Finished starting connectors and tasks"), worker.logTail(40));
        }
    }

    /**
     * A worker's settings for a secured cluster: its own clients (group membership, config/offset/status topics) take the
     * top-level security settings, and the clients it creates for connectors take the same under {@code producer.},
     * {@code consumer.} and {@code admin.}: without those a source connector's producer would try plaintext.
     */
    static Map<String, String> workerSettings(String password) {
        Map<String, String> client = kafka.clientSettings("connect", password);
        Map<String, String> settings = new LinkedHashMap<>(client);
        for (String prefix : List.of("producer.", "consumer.", "admin.")) {
            client.forEach((key, value) -> {
                if (!key.equals("bootstrap.servers")) {
                    settings.put(prefix + key, value);
                }
            });
        }
        return settings;
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected, Duration max) {
        Map<String, Object> config = new HashMap<>(kafka.clientSettings("reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + max.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // anything beyond the expected count would be a duplicate: read a little longer to see it
            consumer.poll(Duration.ofSeconds(2)).forEach(records::add);
        }
        return records;
    }
}
