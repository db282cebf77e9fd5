package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.SecureKafkaBroker;
import io.trailhound.testkit.SecureSchemaRegistry;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * #19: the responder on a cluster whose listener requires SASL/SCRAM over TLS (what Strimzi clusters use): every client it
 * builds (alert and incident consumer, ledger reader, audit, approval and dead-letter producers) connects with the configured
 * security settings, and wrong credentials fail at start-up with the broker's authentication error.
 */
class SecureClusterResponseIT {

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();
    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static SecureKafkaBroker kafka;
    private static SecureSchemaRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        kafka = SecureKafkaBroker.start(Map.of("responder", "responder-secret", "detector", "detector-secret"));
        registry = SecureSchemaRegistry.start(REGISTRY.url(), Map.of("responder", "responder-registry",
            "detector", "detector-registry"));
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
    void shouldContainOverTlsAndSaslAndRefuseWrongCredentialsAtStartUp() throws Exception {
        Topics topics = new Topics(registry.clientSettings("detector"));
        EngineFixtures.createTopics(kafka, topics);
        EngineFixtures.stubIamUser(AWS, "mallory", "AKIAEXAMPLEKEY1");
        Instant now = Instant.now();
        Alert alert = TestAlerts.iamUser().setAlertId("secure-1").setIncidentId("inc-secure")
            .setLastSeen(now.minusSeconds(30)).setDetectedAt(now.minusSeconds(20)).build();
        try (ResponderEngine engine = new ResponderEngine(config(kafka.clientSettings("responder"), registry.clientSettings("responder")),
                EngineFixtures.credentials(AWS), Clock.systemUTC());
             KafkaProducer<String, Alert> alerts = new KafkaProducer<>(new HashMap<>(kafka.clientSettings("detector")),
                 topics.alerts().keySerde().serializer(), topics.alerts().valueSerde().serializer())) {
            engine.start();
            alerts.send(new ProducerRecord<>(topics.alerts().name(), 0, alert.getAlertId(), alert)).get();
            List<ResponseAction> audit = read(topics.actions(), 8);
            assertEquals(8, audit.size(), audit.toString());
            assertEquals(1, AWS.requests("UpdateAccessKey").size(), "the key deactivated once");
        }

        Map<String, String> wrong = kafka.clientSettings("responder", "not-the-password");
        RuntimeException refused = assertThrows(RuntimeException.class, () -> new ResponderEngine(config(wrong,
            registry.clientSettings("responder")), EngineFixtures.credentials(AWS), Clock.systemUTC()).close());
        assertTrue(String.valueOf(refused.getMessage()).contains("Authentication failed"), String.valueOf(refused));

        // registry credentials the registry refuses: the engine does not start, and says what to check
        ConfigException registryRefused = assertThrows(ConfigException.class, () -> new ResponderEngine(config(
            kafka.clientSettings("responder"), registry.clientSettings("responder", "not-the-password")), EngineFixtures.credentials(AWS),
            Clock.systemUTC()).close());
        assertTrue(registryRefused.getMessage().contains("HTTP 401") && registryRefused.getMessage().contains("basic.auth.user.info"),
            registryRefused.getMessage());
        assertEquals(1, AWS.requests("UpdateAccessKey").size(), "nothing more in AWS");
    }

    private static ResponderConfig config(Map<String, String> connection, Map<String, String> registrySettings) {
        Map<String, String> props = EngineFixtures.live(REGISTRY.url(), AWS);
        props.putAll(connection);
        props.putAll(registrySettings);
        props.put(ResponderConfig.ALERTS_REQUIRE_SIGNATURE_CONFIG, "false");
        return new ResponderConfig(props);
    }

    private static List<ResponseAction> read(Topic<String, ResponseAction> topic, int count) {
        return EngineFixtures.audit(kafka.clientSettings("responder"), topic, count, Duration.ZERO);
    }
}
