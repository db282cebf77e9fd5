package io.trailhound.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** #19: one place picks what every client needs to reach a secured cluster and registry. */
class ClientSettingsTest {

    private static final Map<String, Object> SETTINGS = Map.of(
        "bootstrap.servers", "kafka:9093",
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
        "ssl.truststore.location", "/etc/kafka/ca.p12",
        "schema.registry.url", "https://registry:8443",
        "schema.registry.ssl.truststore.location", "/etc/registry/ca.p12",
        "basic.auth.credentials.source", "USER_INFO",
        "basic.auth.user.info", "u:p",
        "responder.dry.run", "true");

    @Test
    void shouldPickKafkaConnectionAndSecuritySettings() {
        assertEquals(Map.of("bootstrap.servers", "kafka:9093", "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", SETTINGS.get("sasl.jaas.config"), "ssl.truststore.location", "/etc/kafka/ca.p12"),
            ClientSettings.kafka(SETTINGS));
    }

    @Test
    void shouldPickRegistrySettings() {
        assertEquals(Map.of("schema.registry.url", "https://registry:8443", "schema.registry.ssl.truststore.location",
            "/etc/registry/ca.p12", "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "u:p"),
            ClientSettings.registry(SETTINGS));
    }

    @Test
    void shouldPassKafkasConfigProvidersSoSecretsCanComeFromMountedFiles() {
        Map<String, Object> settings = Map.of("config.providers", "secrets",
            "config.providers.secrets.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
            "sasl.jaas.config", "${secrets:/etc/kafka-user:sasl.jaas.config}", "trailhound.mode", "LIVE");
        assertEquals(3, ClientSettings.kafka(settings).size());
    }

    @Test
    void shouldLetAClientsOwnSettingsWin() {
        Map<String, Object> more = new HashMap<>();
        more.put("bootstrap.servers", "other:9093");
        more.put("group.id", "g");
        Map<String, Object> merged = ClientSettings.kafka(SETTINGS, more);
        assertEquals("other:9093", merged.get("bootstrap.servers"));
        assertEquals("g", merged.get("group.id"));
        assertEquals("SASL_SSL", merged.get("security.protocol"));
    }
}
