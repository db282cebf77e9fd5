package io.trailhound.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.TextNode;

import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;

/** The HTTP registry client against a loopback fake: Confluent's paths and JSON, retries, failover, error mapping, auth. */
class RestSchemaRegistryClientTest {

    private static final Schema ALERT = Alert.getClassSchema();

    @Test
    void shouldNameTheUrlAndAttemptsWhenTheRegistryIsDown() throws Exception {
        String url = FakeRegistryServer.closedPortUrl();
        SchemaRegistryClient client = SchemaRegistryClient.create(config(url, 2));

        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(7));

        assertEquals(3, e.attempts(), "one attempt plus schema.registry.retries=2");
        assertTrue(e.isUnreachable());
        assertTrue(e.getMessage().contains("GET /schemas/ids/7 failed after 3 attempts against [" + url + "]"), e.getMessage());
    }

    @Test
    void shouldSurfaceAnUnreachableRegistryThroughTheDeserializer() throws Exception {
        String url = FakeRegistryServer.closedPortUrl();
        AvroDeserializer<Alert> deserializer = new AvroDeserializer<>(Alert.class);
        deserializer.configure(config(url, 1), false);

        SerializationException e = assertThrows(SerializationException.class,
                () -> deserializer.deserialize("trailhound.alerts", WireFormat.header(5)));

        assertTrue(e.getMessage().contains("Cannot fetch schema id 5"), e.getMessage());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        assertTrue(e.getMessage().contains("after 2 attempts against [" + url + "]"), e.getMessage());
    }

    @Test
    void shouldRetryServerErrorsExactlyTheConfiguredNumberOfTimes() throws Exception {
        try (FakeRegistryServer server = new FakeRegistryServer(503, "{\"error_code\":50003,\"message\":\"Error in the backend\"}")) {
            SchemaRegistryClient client = SchemaRegistryClient.create(config(server.url(), 4));

            SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(1));

            assertEquals(5, server.received.size());
            assertEquals(50003, e.errorCode());
            assertTrue(e.getMessage().contains("HTTP 503, error code 50003: Error in the backend"), e.getMessage());
        }
    }

    @Test
    void shouldNotRetryClientErrorsAndShouldCarryTheRegistryErrorCode() throws Exception {
        try (FakeRegistryServer server = new FakeRegistryServer(404, "{\"error_code\":40403,\"message\":\"Schema 7 not found\"}")) {
            SchemaRegistryClient client = SchemaRegistryClient.create(config(server.url(), 4));

            SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(7));

            assertEquals(1, server.received.size());
            assertTrue(e.isNotFound());
            assertTrue(e.getMessage().contains(server.url()), e.getMessage());
            assertTrue(e.getMessage().contains("error code 40403: Schema 7 not found"), e.getMessage());
        }
    }

    @Test
    void shouldReportAnIncompatibleSchemaWithSubjectAndRegistryMessage() throws Exception {
        String answer = "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}";
        try (FakeRegistryServer server = new FakeRegistryServer(409, answer)) {
            AvroSerializer<Alert> serializer = new AvroSerializer<>();
            serializer.configure(config(server.url(), 0), false);

            SerializationException e = assertThrows(SerializationException.class,
                    () -> serializer.serialize("trailhound.alerts", TestRecords.alert("a")));

            assertTrue(e.getMessage().startsWith("Schema io.trailhound.avro.Alert is incompatible with the schemas already registered "
                    + "under subject trailhound.alerts-value"), e.getMessage());
            assertTrue(e.getMessage().contains("incompatible with an earlier schema"), e.getMessage());
        }
    }

    @Test
    void shouldFindASchemaWhoseRegistrationGotNoAnswer() throws Exception {
        // a registry stuck on a table lock (Apicurio over H2, concurrent first registrations) may apply what it never answered
        String found = "{\"subject\":\"trailhound.alerts-value\",\"id\":42,\"version\":1,\"schema\":" + quoted(ALERT.toString()) + "}";
        try (FakeRegistryServer server = new FakeRegistryServer(200, found).delayingBy(3_000, "/versions")) {
            Map<String, Object> config = config(server.url(), 0);
            config.put(AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, "300");
            SchemaRegistryClient client = SchemaRegistryClient.create(config);

            assertEquals(42, client.register("trailhound.alerts-value", ALERT));

            assertEquals("POST /apis/ccompat/v7/subjects/trailhound.alerts-value/versions", describe(server.received.get(0)));
            assertEquals("POST /apis/ccompat/v7/subjects/trailhound.alerts-value", describe(server.received.get(1)));
        }
    }

    @Test
    void shouldHintAtCredentialsOnAuthFailures() throws Exception {
        try (FakeRegistryServer server = new FakeRegistryServer(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}")) {
            SchemaRegistryClient client = SchemaRegistryClient.create(config(server.url(), 3));

            SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.latest("s"));

            assertEquals(1, server.received.size());
            assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("basic.auth.user.info"), e.getMessage());
        }
    }

    @Test
    void shouldUseConfluentPathsContentTypeAndJson() throws Exception {
        try (FakeRegistryServer server = new FakeRegistryServer(200, "{\"id\":42}")) {
            SchemaRegistryClient client = SchemaRegistryClient.create(config(server.url(), 0));

            assertEquals(42, client.register("trailhound.alerts-value", ALERT));
            server.answering(200, "{\"subject\":\"s\",\"id\":43,\"version\":2,\"schema\":" + quoted(ALERT.toString()) + "}");
            assertEquals(43, client.lookup("trailhound.alerts-value", ALERT).id());
            assertEquals(2, client.latest("trailhound.alerts-value").version());
            assertEquals(ALERT, client.schemaById(44));

            FakeRegistryServer.Received register = server.received.get(0);
            assertEquals("POST /apis/ccompat/v7/subjects/trailhound.alerts-value/versions", register.method() + " " + register.path());
            assertEquals("application/vnd.schemaregistry.v1+json", register.contentType());
            assertEquals("{\"schema\":" + quoted(ALERT.toString()) + "}", register.body());
            assertEquals("POST /apis/ccompat/v7/subjects/trailhound.alerts-value", describe(server.received.get(1)));
            assertEquals("GET /apis/ccompat/v7/subjects/trailhound.alerts-value/versions/latest", describe(server.received.get(2)));
            assertEquals("GET /apis/ccompat/v7/schemas/ids/44", describe(server.received.get(3)));
        }
    }

    @Test
    void shouldCacheIdsAndSchemasButNotFailures() throws Exception {
        try (FakeRegistryServer server = new FakeRegistryServer(200, "{\"id\":42}")) {
            SchemaRegistryClient client = SchemaRegistryClient.create(config(server.url(), 0));

            client.register("s-value", ALERT);
            client.register("s-value", ALERT);
            assertEquals(ALERT, client.schemaById(42), "registering taught the cache id 42");
            server.answering(404, "{\"error_code\":40403,\"message\":\"Schema 9 not found\"}");
            assertThrows(SchemaRegistryException.class, () -> client.schemaById(9));
            assertThrows(SchemaRegistryException.class, () -> client.schemaById(9));

            assertEquals(3, server.received.size());
        }
    }

    @Test
    void shouldFailOverToTheNextUrl() throws Exception {
        try (FakeRegistryServer server = new FakeRegistryServer(200, "{\"id\":42}")) {
            Map<String, Object> config = config(FakeRegistryServer.closedPortUrl() + "," + server.url(), 1);

            assertEquals(42, SchemaRegistryClient.create(config).register("s-value", ALERT));
            assertEquals(1, server.received.size());
        }
    }

    @Test
    void shouldSendBasicAuthFromUserInfoAndNeverPutItInMessages() throws Exception {
        try (FakeRegistryServer server = new FakeRegistryServer(500, "{\"error_code\":50001,\"message\":\"boom\"}")) {
            Map<String, Object> config = config(server.url(), 0);
            config.put(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO");
            config.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "alice:s3cret-pw");

            SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                    () -> SchemaRegistryClient.create(config).schemaById(1));

            assertEquals("Basic " + base64("alice:s3cret-pw"), server.received.get(0).authorization());
            assertFalse(e.getMessage().contains("s3cret-pw"), e.getMessage());
            assertFalse(new AvroSerdeConfig(config).toString().contains("s3cret-pw"));
        }
    }

    @Test
    void shouldTakeBasicAuthFromTheUrlAndStripItFromTheRequestUrl() throws Exception {
        try (FakeRegistryServer server = new FakeRegistryServer(500, "{\"error_code\":50001,\"message\":\"boom\"}")) {
            String url = server.url().replace("http://", "http://bob:pa%40ss@");

            SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                    () -> SchemaRegistryClient.create(config(url, 0)).schemaById(1));

            assertEquals("Basic " + base64("bob:pa@ss"), server.received.get(0).authorization());
            assertTrue(e.getMessage().contains(server.url()), e.getMessage());
            assertFalse(e.getMessage().contains("pa%40ss") || e.getMessage().contains("bob"), e.getMessage());
        }
    }

    @Test
    void shouldGiveUpOnASlowRegistryAfterTheRequestTimeout() throws Exception {
        try (FakeRegistryServer server = new FakeRegistryServer(200, "{\"id\":1}").delayingBy(2_000)) {
            Map<String, Object> config = config(server.url(), 0);
            config.put(AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, "200");

            SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                    () -> SchemaRegistryClient.create(config).schemaById(1));

            assertTrue(e.isUnreachable());
            assertTrue(e.getMessage().contains("HttpTimeoutException"), e.getMessage());
        }
    }

    static Map<String, Object> config(String url, int retries) {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, url);
        config.put(AvroSerdeConfig.RETRIES_CONFIG, Integer.toString(retries));
        config.put(AvroSerdeConfig.RETRY_BACKOFF_MS_CONFIG, "1");
        config.put(AvroSerdeConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "5");
        return config;
    }

    private static String describe(FakeRegistryServer.Received received) {
        return received.method() + " " + received.path();
    }

    private static String quoted(String text) {
        return TextNode.valueOf(text).toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
