package io.trailhound.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry child process speaks Confluent's REST API, and can be taken down and brought back. */
class SchemaRegistryIT {

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static final String SCHEMA = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\","
        + "\\\"fields\\\":[{\\\"name\\\":\\\"f\\\",\\\"type\\\":\\\"string\\\"}]}\"}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void shouldRegisterAndServeSchemasOverConfluentsApi() throws Exception {
        HttpResponse<String> registered = post(REGISTRY.url() + "/subjects/probe-value/versions", SCHEMA);
        assertEquals(200, registered.statusCode(), registered.body());
        String id = registered.body().replaceAll("\\D+", "");

        HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(URI.create(REGISTRY.url() + "/schemas/ids/" + id)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fetched.statusCode());
        assertTrue(fetched.body().contains("Probe"), fetched.body());

        assertEquals(registered.body(), post(REGISTRY.url() + "/subjects/probe-value/versions", SCHEMA).body(),
            "registering the same schema twice yields the same id");
    }

    @Test
    void shouldRefuseConnectionsWhileStoppedAndServeAgainAfterRestart() throws Exception {
        String url = REGISTRY.url();
        REGISTRY.stopRegistry();
        assertThrows(ConnectException.class, () -> post(url + "/subjects/probe-value/versions", SCHEMA));
        REGISTRY.restartRegistry();
        assertEquals(200, post(url + "/subjects/probe-value/versions", SCHEMA).statusCode());
    }

    private HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
