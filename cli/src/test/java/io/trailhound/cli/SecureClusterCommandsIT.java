package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.trailhound.avro.Alert;
import io.trailhound.avro.AlertRef;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Severity;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.SecureKafkaBroker;
import io.trailhound.testkit.SecureSchemaRegistry;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * #19: `tail` and `report` against a cluster whose listener requires SASL/SCRAM over TLS and a schema registry that requires
 * TLS and basic auth, their security settings in a --command-config file as Kafka's own tools take them; wrong Kafka or
 * registry credentials and a wrong key fail with one line.
 */
class SecureClusterCommandsIT {

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static final Instant TIME = Instant.now().minusSeconds(600);
    private static SecureKafkaBroker kafka;
    private static SecureSchemaRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = SecureKafkaBroker.start(Map.of("analyst", "analyst-secret", "detector", "detector-secret"));
        registry = SecureSchemaRegistry.start(REGISTRY.url(), Map.of("analyst", "analyst-registry", "detector", "detector-registry"));
        Topics topics = new Topics(registry.clientSettings("detector"));
        for (Topic<?, ?> topic : List.of(topics.alerts(), topics.incidents(), topics.actions(), topics.approvals())) {
            kafka.createTopic(topic.name(), 1, Map.of());
        }
        Alert alert = ReportSamples.alert("secure-alert", "TH-IAM-003", Severity.HIGH,
            ReportSamples.user("111122223333", "alice", "AKIAALICE"), "111122223333", TIME);
        alert = Alert.newBuilder(alert).setIncidentId("inc-secure").build();
        Incident incident = Incident.newBuilder().setIncidentId("inc-secure").setTitle("Leaked key of alice over TLS")
            .setSeverity(Severity.HIGH).setPrincipal(alert.getPrincipal()).setAccountIds(List.of("111122223333"))
            .setAlerts(List.of(AlertRef.newBuilder().setAlertId("secure-alert").setRuleId("TH-IAM-003").setTitle("t")
                .setSeverity(Severity.HIGH).setTime(TIME).build()))
            .setStartedAt(TIME).setLastActivityAt(TIME).build();
        produce(topics.alerts(), alert.getAlertId(), alert);
        produce(topics.incidents(), incident.getIncidentId(), incident);
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

    private static <V> void produce(Topic<String, V> topic, String key, V value) throws Exception {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(new HashMap<>(kafka.clientSettings("detector")),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), null, TIME.toEpochMilli(), key, value)).get();
        }
    }

    /** A --command-config file with {@code settings} and the analyst's registry TLS and basic-auth settings. */
    private Path commandConfig(Map<String, String> settings) throws IOException {
        return commandConfig(settings, registry.clientSettings("analyst"));
    }

    private Path commandConfig(Map<String, String> settings, Map<String, String> registrySettings) throws IOException {
        Properties properties = new Properties();
        Map<String, String> all = new HashMap<>(registrySettings);
        all.putAll(settings);
        all.forEach((k, v) -> {
            if (!k.equals("bootstrap.servers") && !k.equals("schema.registry.url")) {
                properties.setProperty(k, v);
            }
        });
        Path file = dir.resolve("client-" + System.nanoTime() + ".properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            properties.store(out, null);
        }
        return file;
    }

    @Test
    void shouldTailAndReportOverTlsAndSasl() throws IOException {
        Path config = commandConfig(kafka.clientSettings("analyst"));
        CliRun tail = new CliRun();
        assertEquals(0, tail.exec("tail", "--bootstrap-server", kafka.bootstrapServers(), "--schema-registry", registry.url(),
            "--command-config", config.toString(), "--from", "2h", "--format", "json", "--until-end", "--timeout", "60s"), tail.err());
        assertTrue(tail.out().contains("\"alertId\":\"secure-alert\""), tail.out());
        CliRun report = new CliRun();
        assertEquals(0, report.exec("report", "inc-secure", "--bootstrap-server", kafka.bootstrapServers(), "--schema-registry",
            registry.url(), "--command-config", config.toString()), report.err());
        assertTrue(report.out().contains("Leaked key of alice over TLS"), report.out());
    }

    @Test
    void shouldFailWithOneLineOnWrongCredentialsOrAForeignKey() throws IOException {
        CliRun wrong = new CliRun();
        int code = wrong.exec("tail", "--bootstrap-server", kafka.bootstrapServers(), "--schema-registry", registry.url(),
            "--command-config", commandConfig(kafka.clientSettings("analyst", "guess")).toString(), "--timeout", "10s");
        assertEquals(2, code, wrong.out() + wrong.err());
        assertTrue(wrong.err().contains("Authentication failed") || wrong.err().contains("authentication"), wrong.err());
        assertTrue(wrong.err().strip().lines().count() <= 2, "a short answer, no stack trace: " + wrong.err());

        Map<String, String> foreign = new HashMap<>(kafka.clientSettings("analyst"));
        foreign.put("group.id", "mine");
        CliRun bad = new CliRun();
        assertEquals(2, bad.exec("tail", "--bootstrap-server", kafka.bootstrapServers(), "--command-config",
            commandConfig(foreign).toString(), "--timeout", "5s"));
        assertTrue(bad.err().contains("[group.id] are not Kafka security or schema registry settings"), bad.err());

        CliRun refused = new CliRun();
        assertEquals(2, refused.exec("tail", "--bootstrap-server", kafka.bootstrapServers(), "--schema-registry", registry.url(),
            "--command-config", commandConfig(kafka.clientSettings("analyst"), registry.clientSettings("analyst", "guess")).toString(),
            "--timeout", "10s"), refused.out() + refused.err());
        assertTrue(refused.err().contains("HTTP 401") && refused.err().contains("basic.auth.user.info"), refused.err());
        assertTrue(refused.err().strip().lines().count() <= 2, "a short answer, no stack trace: " + refused.err());
    }
}
