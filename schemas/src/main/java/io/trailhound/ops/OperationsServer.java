package io.trailhound.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The operations endpoint every long-running Trailhound service serves, for Kubernetes probes and Prometheus:
 * {@code /healthy} (200 while the process can work; 503 with the reason once it cannot, so the pod is restarted),
 * {@code /ready} (200 only while {@code ready} holds, else 503) and
 * {@code /metrics} (Prometheus text). A probe or scrape that fails inside the service gets a 500 with the reason, never a
 * dropped connection.
 */
public final class OperationsServer implements AutoCloseable {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4";

    private final HttpServer server;

    /**
     * Starts serving.
     *
     * @param port    port to listen on, 0 for any free one
     * @param ready   whether the service is ready for work (readiness probe)
     * @param metrics the Prometheus text exposition
     */
    public OperationsServer(int port, BooleanSupplier ready, Supplier<String> metrics) throws IOException {
        this(port, Optional::empty, ready, metrics);
    }

    /**
     * Starts serving, with a liveness check: {@code /healthy} answers 503 with the reason while {@code problem} names one (the
     * component can no longer do its job: a consumer thread ended, Kafka Streams in ERROR), so Kubernetes restarts the pod.
     *
     * @param port    port to listen on, 0 for any free one
     * @param problem why the service cannot work any more, or empty while it can
     * @param ready   whether the service is ready for work (readiness probe)
     * @param metrics the Prometheus text exposition
     */
    public OperationsServer(int port, Supplier<Optional<String>> problem, BooleanSupplier ready, Supplier<String> metrics)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthy", guarded(exchange -> {
            Optional<String> failed = problem.get();
            reply(exchange, failed.isPresent() ? 503 : 200, failed.map(reason -> "unhealthy: " + reason + "\n").orElse("ok\n"),
                "text/plain");
        }));
        server.createContext("/ready", guarded(exchange -> {
            boolean isReady = ready.getAsBoolean();
            reply(exchange, isReady ? 200 : 503, isReady ? "ready\n" : "not ready\n", "text/plain");
        }));
        server.createContext("/metrics", guarded(exchange -> reply(exchange, 200, metrics.get(), PROMETHEUS_TEXT)));
        server.start();
    }

    /** The port listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static HttpHandler guarded(HttpHandler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            } catch (RuntimeException e) {
                reply(exchange, 500, "error: " + e + "\n", "text/plain");
            } finally {
                exchange.close();
            }
        };
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
