package io.trailhound.detect.topology;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Serves {@code /healthy}, {@code /ready} (200 only while Kafka Streams is RUNNING) and {@code /metrics} (Prometheus text). */
final class OperationsEndpoint implements AutoCloseable {

    private final HttpServer server;

    OperationsEndpoint(int port, BooleanSupplier ready, Supplier<String> metrics) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthy", exchange -> reply(exchange, 200, "ok\n", "text/plain"));
        server.createContext("/ready", exchange -> {
            boolean isReady = ready.getAsBoolean();
            reply(exchange, isReady ? 200 : 503, isReady ? "ready\n" : "not ready\n", "text/plain");
        });
        server.createContext("/metrics", exchange -> reply(exchange, 200, metrics.get(), "text/plain; version=0.0.4"));
        server.start();
    }

    /** The port listened on. */
    int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int status, String body, String contentType) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
