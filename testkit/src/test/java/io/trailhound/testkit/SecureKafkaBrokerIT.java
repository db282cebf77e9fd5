package io.trailhound.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** #19: a broker whose client listener requires SASL/SCRAM over TLS: the right credentials work, wrong ones fail clearly. */
class SecureKafkaBrokerIT {

    private static SecureKafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = SecureKafkaBroker.start(Map.of("alice", "alice-secret"));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldCarryRecordsForAnAuthenticatedUserOverTls() throws Exception {
        broker.createTopic("secure", 1, Map.of());
        Map<String, Object> producer = new HashMap<>(broker.clientSettings("alice"));
        try (KafkaProducer<String, String> p = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>("secure", "k", "over TLS")).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> consumer = new HashMap<>(broker.clientSettings("alice"));
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "secure-reader");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of("secure"));
            String value = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (value == null && System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(300))) {
                    value = r.value();
                }
            }
            assertEquals("over TLS", value);
        }
    }

    @Test
    void shouldTakeTheCredentialsFromMountedSecretFilesThroughKafkasDirectoryConfigProvider() throws Exception {
        // how a pod reads a Strimzi KafkaUser secret mounted as files: no password in the properties file
        java.nio.file.Path secrets = java.nio.file.Files.createTempDirectory("kafka-user-");
        java.nio.file.Files.writeString(secrets.resolve("sasl.jaas.config"), broker.clientSettings("alice").get("sasl.jaas.config"));
        Map<String, Object> settings = new HashMap<>(broker.clientSettings("alice"));
        settings.put("config.providers", "secrets");
        settings.put("config.providers.secrets.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        settings.put("sasl.jaas.config", "${secrets:" + secrets + ":sasl.jaas.config}");
        try (Admin admin = Admin.create(settings)) {
            assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
        }
    }

    @Test
    void shouldRefuseAWrongPasswordWithAnAuthenticationError() {
        Map<String, Object> wrong = new HashMap<>(broker.clientSettings("alice", "not-her-password"));
        try (Admin admin = Admin.create(wrong)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof SaslAuthenticationException, e.toString());
        }
    }

    @Test
    void shouldRefuseAPlaintextClient() {
        Map<String, Object> plain = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
            "request.timeout.ms", 3000, "default.api.timeout.ms", 6000));
        try (Admin admin = Admin.create(plain)) {
            assertThrows(Exception.class, () -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS));
        }
    }
}
