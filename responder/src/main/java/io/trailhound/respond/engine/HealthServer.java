package io.trailhound.respond.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Serves {@code /healthy}, {@code /ready} (200 only while the consumer has partitions) and {@code /metrics} over HTTP. */
public final class HealthServer implements AutoCloseable {

    private final HttpServer server;

    /**
     * @param port    port to listen on, 0 for any free one
     * @param ready   readiness of the responder
     * @param metrics the Prometheus text
     */
    public HealthServer(int port, BooleanSupplier ready, Supplier<String> metrics) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthy", exchange -> reply(exchange, 200, "ok\n", "text/plain"));
        server.createContext("/ready", exchange -> reply(exchange, ready.getAsBoolean() ? 200 : 503,
            ready.getAsBoolean() ? "ready\n" : "not ready\n", "text/plain"));
        server.createContext("/metrics", exchange -> reply(exchange, 200, metrics.get(), "text/plain; version=0.0.4"));
        server.start();
    }

    /** The port actually listened on. */
    public int port() {
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
