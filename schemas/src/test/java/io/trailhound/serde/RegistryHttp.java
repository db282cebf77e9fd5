package io.trailhound.serde;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.avro.Schema;

/** Talks to the registry by hand, independently of our client, so integration tests can check what it really stored. */
final class RegistryHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RegistryHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** The id of the latest version under {@code subject}. */
    int latestId(String subject) throws IOException, InterruptedException {
        return ok(send("GET", "/subjects/" + subject + "/versions/latest", null)).path("id").asInt();
    }

    /** The schema with global id {@code id}, parsed. */
    Schema schemaById(int id) throws IOException, InterruptedException {
        return new Schema.Parser().parse(ok(send("GET", "/schemas/ids/" + id, null)).path("schema").asText());
    }

    /** Registers {@code schema} under {@code subject} and returns its id. */
    int register(String subject, Schema schema) throws IOException, InterruptedException {
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        return ok(send("POST", "/subjects/" + subject + "/versions", body)).path("id").asInt();
    }

    /** Sets the compatibility level of {@code subject}, e.g. BACKWARD. */
    void setCompatibility(String subject, String level) throws IOException, InterruptedException {
        ok(send("PUT", "/config/" + subject, JSON.createObjectNode().put("compatibility", level).toString()));
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/vnd.schemaregistry.v1+json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws IOException {
        if (response.statusCode() / 100 != 2) {
            throw new IOException(response.request().method() + " " + response.request().uri() + " answered HTTP "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
