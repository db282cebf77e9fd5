package io.trailhound.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class OperationsServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldAnswerProbesAndScrapes() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        try (OperationsServer server = new OperationsServer(0, ready::get, () -> "trailhound_up 1\n")) {
            assertEquals(200, get(server, "/healthy").statusCode());
            HttpResponse<String> notReady = get(server, "/ready");
            assertEquals(503, notReady.statusCode());
            assertEquals("not ready\n", notReady.body());
            ready.set(true);
            assertEquals(200, get(server, "/ready").statusCode());
            HttpResponse<String> metrics = get(server, "/metrics");
            assertEquals(200, metrics.statusCode());
            assertEquals("trailhound_up 1\n", metrics.body());
            assertEquals("text/plain; version=0.0.4", metrics.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(404, get(server, "/nothing").statusCode());
        }
    }

    @Test
    void shouldAnswerAFailingScrapeWithTheReasonInsteadOfDroppingTheConnection() throws Exception {
        try (OperationsServer server = new OperationsServer(0, () -> true, () -> {
            throw new IllegalStateException("registry closed");
        })) {
            HttpResponse<String> metrics = get(server, "/metrics");
            assertEquals(500, metrics.statusCode());
            assertTrue(metrics.body().contains("registry closed"), metrics.body());
            assertEquals(200, get(server, "/healthy").statusCode(), "and the server goes on answering");
        }
    }

    /** #17: liveness tells the truth, so Kubernetes restarts a component that can no longer work. */
    @Test
    void shouldFailLivenessWithTheReasonOnceTheComponentCannotWork() throws Exception {
        AtomicReference<Optional<String>> problem = new AtomicReference<>(Optional.empty());
        try (OperationsServer server = new OperationsServer(0, problem::get, () -> true, () -> "")) {
            assertEquals(200, get(server, "/healthy").statusCode());
            problem.set(Optional.of("consumer thread ended: broker gone"));
            HttpResponse<String> healthy = get(server, "/healthy");
            assertEquals(503, healthy.statusCode());
            assertEquals("unhealthy: consumer thread ended: broker gone\n", healthy.body());
        }
    }

    private static HttpResponse<String> get(OperationsServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
