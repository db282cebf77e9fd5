package io.trailhound.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.testkit.SchemaRegistryProcess;

/**
 * The schema registry of {@code trailhound bench faults}: one child process for the whole run, which can be taken away. The
 * registry here keeps its schemas in memory, where production's keeps them in Kafka or a database: {@link #down(Duration)}
 * therefore registers every schema again, in id order, once it is back, as a persistent registry would still have them, and
 * says whether each got its old id.
 */
final class FaultBenchRegistry implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One registered schema version. */
    private record Registered(int id, String subject, String schema) {
    }

    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SchemaRegistryProcess process;

    FaultBenchRegistry() throws IOException, InterruptedException {
        this.process = SchemaRegistryProcess.start();
        this.port = process.port();
    }

    String url() {
        return process.url();
    }

    /**
     * Stops the registry, waits {@code outage}, starts it again on the same port with the schemas it had; returns how many
     * schemas came back with a different id (0 unless the restore itself went wrong).
     */
    int down(Duration outage) throws IOException, InterruptedException {
        List<Registered> schemas = schemas();
        process.close();
        Thread.sleep(outage.toMillis());
        process = SchemaRegistryProcess.start(port);
        int moved = 0;
        for (Registered r : schemas) {
            ObjectNode body = MAPPER.createObjectNode().put("schema", r.schema());
            JsonNode answer = call(HttpRequest.newBuilder(uri("/subjects/" + encode(r.subject()) + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body))));
            if (answer.path("id").asInt() != r.id()) {
                moved++;
            }
        }
        return moved;
    }

    private List<Registered> schemas() throws IOException, InterruptedException {
        List<Registered> out = new ArrayList<>();
        for (JsonNode subject : call(HttpRequest.newBuilder(uri("/subjects")).GET())) {
            String name = subject.asText();
            for (JsonNode version : call(HttpRequest.newBuilder(uri("/subjects/" + encode(name) + "/versions")).GET())) {
                JsonNode v = call(HttpRequest.newBuilder(uri("/subjects/" + encode(name) + "/versions/" + version.asInt())).GET());
                out.add(new Registered(v.path("id").asInt(), name, v.path("schema").asText()));
            }
        }
        out.sort(Comparator.comparingInt(Registered::id));
        return out;
    }

    private JsonNode call(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("schema registry answered " + response.statusCode() + " to " + response.uri() + ": " + response.body());
        }
        return MAPPER.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create(url() + path);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
