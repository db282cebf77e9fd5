package io.trailhound.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;

/** Every serde key is documented and typed; Confluent's defaults hold; bad values fail at configure time with a clear message. */
class AvroSerdeConfigTest {

    private static final String URL = "http://127.0.0.1:8081/apis/ccompat/v7";

    @Test
    void shouldDocumentTypeAndRateEveryKey() {
        List<String> problems = new ArrayList<>();
        for (ConfigDef.ConfigKey key : AvroSerdeConfig.configDef().configKeys().values()) {
            if (key.documentation == null || key.documentation.isBlank() || key.documentation.contains("\n")) {
                problems.add(key.name + " needs a one-line doc");
            }
            if (key.type == null || key.importance == null) {
                problems.add(key.name + " needs a type and an importance");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldDefaultLikeConfluentsSerdes() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, URL));

        assertTrue(config.autoRegisterSchemas());
        assertFalse(config.useLatestVersion());
        assertTrue(config.getBoolean(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG));
        assertEquals(List.of(URI.create(URL)), config.registryUrls());
        assertEquals(Optional.empty(), config.basicAuthUserInfo());
    }

    @Test
    void shouldIgnoreKeysOfTheProducerOrConsumerItIsPartOf() {
        assertNotNull(new AvroSerdeConfig(Map.of("bootstrap.servers", "localhost:9092", "acks", "all",
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, URL)));
    }

    @Test
    void shouldRequireTheRegistryUrlWhenNoClientIsPassedIn() {
        AvroSerializer<Alert> serializer = new AvroSerializer<>();

        ConfigException e = assertThrows(ConfigException.class, () -> serializer.configure(Map.of(), false));

        assertTrue(e.getMessage().contains("schema.registry.url"), e.getMessage());
    }

    @Test
    void shouldRejectABadUrlWithoutShowingItsCredentials() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "ftp://user:topsecret@host/x")));

        assertTrue(e.getMessage().contains("http:// or https://"), e.getMessage());
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    }

    @Test
    void shouldRejectAMisspelledRegistryKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> new AvroSerdeConfig(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, URL, "schema.registry.retires", "3")));

        assertTrue(e.getMessage().startsWith("Unknown schema registry configuration [schema.registry.retires]"), e.getMessage());
    }

    @Test
    void shouldRejectInvalidValues() {
        assertInvalid(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "SASL_INHERIT", "basic.auth.credentials.source");
        assertInvalid(AvroSerdeConfig.RETRIES_CONFIG, "11", "schema.registry.retries");
        assertInvalid(AvroSerdeConfig.RETRIES_CONFIG, "many", "schema.registry.retries");
        assertInvalid(AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, "0", "schema.registry.request.timeout.ms");
        assertInvalid(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "yes", "auto.register.schemas");
        assertInvalid(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "false", "only specific records");
        assertInvalid(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG,
                "io.confluent.kafka.serializers.subject.RecordNameStrategy", "only TopicNameStrategy");
        assertInvalid(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM", "schema.registry.ssl.truststore.type");
        assertInvalid(AvroSerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "no-colon", "user:password");
    }

    @Test
    void shouldAcceptConfluentsTopicNameStrategyByName() {
        assertNotNull(new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, URL,
                AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG, AvroSerdeConfig.TOPIC_NAME_STRATEGY,
                AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY_CONFIG, "TopicNameStrategy")));
    }

    @Test
    void shouldRejectContradictoryCombinations() {
        assertCombinationRejected(Map.of(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO"), "basic.auth.user.info");
        assertCombinationRejected(Map.of(AvroSerdeConfig.RETRY_BACKOFF_MS_CONFIG, "500", AvroSerdeConfig.RETRY_BACKOFF_MAX_MS_CONFIG,
                "100"), "schema.registry.retry.backoff.max.ms");
        assertCombinationRejected(Map.of(AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, "true"), "auto.register.schemas=false");
        assertCombinationRejected(Map.of(AvroSerdeConfig.SSL_KEYSTORE_LOCATION_CONFIG, "/tmp/k.p12"), "keystore.password");
    }

    @Test
    void shouldTakeCredentialsFromTheUrlAndKeepThemOutOfTheUrlList() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
                "https://svc:p%3Ass@registry.example:8443/apis/ccompat/v7, http://127.0.0.1:8081"));

        assertEquals(List.of(URI.create("https://registry.example:8443/apis/ccompat/v7"), URI.create("http://127.0.0.1:8081")),
                config.registryUrls());
        assertEquals(Optional.of("svc:p:ss"), config.basicAuthUserInfo());
    }

    @Test
    void shouldPreferUserInfoWhenThatIsTheSource() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://a:b@127.0.0.1:8081",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "user:pass"));

        assertEquals(Optional.of("user:pass"), config.basicAuthUserInfo());
    }

    private static void assertInvalid(String key, String value, String expectedInMessage) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, URL, key, value)), key + "=" + value);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    private static void assertCombinationRejected(Map<String, String> values, String expectedInMessage) {
        Map<String, Object> config = new HashMap<>(values);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, URL);
        ConfigException e = assertThrows(ConfigException.class, () -> new AvroSerdeConfig(config), values.toString());
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }
}
