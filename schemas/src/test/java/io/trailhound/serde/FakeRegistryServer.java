package io.trailhound.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP server answering every request with one canned status and body, recording what it received; for testing
 * the registry client's retries, error mapping and headers without a registry.
 */
final class FakeRegistryServer implements AutoCloseable {

    /** What one request looked like. */
    record Received(String method, String path, String contentType, String authorization, String body) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile int status;
    private volatile String body;
    private volatile long delayMs;
    private volatile String delayedSuffix = "";

    FakeRegistryServer(int status, String body) throws IOException {
        this.status = status;
        this.body = body;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    FakeRegistryServer answering(int newStatus, String newBody) {
        this.status = newStatus;
        this.body = newBody;
        return this;
    }

    FakeRegistryServer delayingBy(long millis) {
        this.delayMs = millis;
        return this;
    }

    /** Delays only the requests whose path ends with {@code suffix} (answered by the other threads meanwhile). */
    FakeRegistryServer delayingBy(long millis, String suffix) {
        this.delayedSuffix = suffix;
        return delayingBy(millis);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
    }

    /** A loopback URL on which nothing listens. */
    static String closedPortUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/apis/ccompat/v7";
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Authorization"),
                requestBody));
        try {
            Thread.sleep(exchange.getRequestURI().getRawPath().endsWith(delayedSuffix) ? delayMs : 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] answer = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
