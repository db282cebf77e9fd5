package io.trailhound.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local GuardDuty endpoint speaking the service's REST-JSON protocol for the three calls the connector makes:
 * {@code ListDetectors} ({@code GET /detector}), {@code ListFindings} ({@code POST /detector/<id>/findings}, honouring the
 * {@code updatedAt >= N} criterion and ascending sort) and {@code GetFindings} ({@code POST /detector/<id>/findings/get}).
 * Findings are published while it runs, as GuardDuty reports them. Signatures are not checked.
 */
public final class GuardDutyEndpoint implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String detectorId;
    private final List<ObjectNode> findings = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    private GuardDutyEndpoint(String detectorId, HttpServer server) {
        this.detectorId = detectorId;
        this.server = server;
    }

    /** Starts the endpoint on a free loopback port. */
    public static GuardDutyEndpoint start(String detectorId) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        GuardDutyEndpoint endpoint = new GuardDutyEndpoint(detectorId, server);
        server.createContext("/", endpoint::handle);
        server.start();
        return endpoint;
    }

    /** Makes {@code more} visible to the next listing. */
    public void publish(List<ObjectNode> more) {
        findings.addAll(more);
    }

    /** The endpoint's base URI, for the connector's {@code aws.endpoint.override}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The TCP port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** How many requests were answered. */
    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            JsonNode body = readBody(exchange.getRequestBody());
            String prefix = "/detector/" + detectorId + "/findings";
            if ("GET".equals(exchange.getRequestMethod()) && path.equals("/detector")) {
                reply(exchange, 200, MAPPER.createObjectNode().set("detectorIds", MAPPER.createArrayNode().add(detectorId)));
            } else if ("POST".equals(exchange.getRequestMethod()) && path.equals(prefix)) {
                reply(exchange, 200, list(body));
            } else if ("POST".equals(exchange.getRequestMethod()) && path.equals(prefix + "/get")) {
                reply(exchange, 200, get(body));
            } else {
                ObjectNode error = MAPPER.createObjectNode().put("message", "No route for " + exchange.getRequestMethod() + " " + path)
                    .put("__type", "BadRequestException");
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "BadRequestException");
                reply(exchange, 400, error);
            }
        }
    }

    private ObjectNode list(JsonNode body) {
        long from = body.path("findingCriteria").path("criterion").path("updatedAt").path("greaterThanOrEqual").asLong(0L);
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode f : findings) {
            if (updatedAt(f) >= from) {
                matching.add(f);
            }
        }
        matching.sort(Comparator.comparingLong(GuardDutyEndpoint::updatedAt));
        ArrayNode ids = MAPPER.createArrayNode();
        matching.forEach(f -> ids.add(f.path("id").asText()));
        return MAPPER.createObjectNode().set("findingIds", ids);
    }

    private ObjectNode get(JsonNode body) {
        ArrayNode out = MAPPER.createArrayNode();
        for (JsonNode id : body.path("findingIds")) {
            findings.stream().filter(f -> f.path("id").asText().equals(id.asText())).findFirst().ifPresent(out::add);
        }
        ObjectNode reply = MAPPER.createObjectNode();
        reply.set("findings", out);
        reply.putArray("unprocessedFindings");
        return reply;
    }

    private static long updatedAt(JsonNode finding) {
        return Instant.parse(finding.path("updatedAt").asText()).toEpochMilli();
    }

    private static JsonNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        return bytes.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(bytes);
    }

    private static void reply(HttpExchange exchange, int status, JsonNode json) throws IOException {
        byte[] bytes = MAPPER.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
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
