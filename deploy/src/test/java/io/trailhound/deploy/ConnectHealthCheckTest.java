package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * #17: the Connect container's compose health check, run as the container runs it (sh and wget) against a Connect REST stand-in:
 * healthy while every connector and task runs, unhealthy once one is FAILED.
 */
class ConnectHealthCheckTest {

    private static final String RUNNING = "{\"trailhound-guardduty\":{\"status\":{\"name\":\"trailhound-guardduty\",\"connector\":"
        + "{\"state\":\"RUNNING\",\"worker_id\":\"w:8083\"},\"tasks\":[{\"id\":0,\"state\":\"RUNNING\",\"worker_id\":\"w:8083\"}]}}}";
    private static final String FAILED = RUNNING.replace("{\"id\":0,\"state\":\"RUNNING\"", "{\"id\":0,\"state\":\"FAILED\","
        + "\"trace\":\"org.apache.kafka.connect.errors.ConnectException: s3:GetObject denied\"");

    @Test
    void shouldBeUnhealthyWhileATaskIsFailed() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wget")) || Files.isExecutable(Path.of("/bin/wget")), "wget is not installed");
        Map<String, Object> connect = RepositoryFiles.map(RepositoryFiles.map(
            RepositoryFiles.yaml(RepositoryFiles.path("docker-compose.yml")).get("services")).get("connect"));
        List<Object> test = RepositoryFiles.list(RepositoryFiles.map(connect.get("healthcheck")).get("test"));
        assertEquals(List.of("CMD", "sh", "-c"), test.subList(0, 3));
        AtomicReference<String> body = new AtomicReference<>(RUNNING);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().toString().equals("/connectors?expand=status") ? 200 : 404,
                bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try {
            // compose writes $$ for a literal $; the container's address becomes the stand-in's
            String script = String.valueOf(test.get(3)).replace("$$", "$")
                .replace("http://127.0.0.1:8083", "http://127.0.0.1:" + server.getAddress().getPort());
            assertEquals(0, run(script), "every connector and task RUNNING: healthy");
            body.set(FAILED);
            assertNotEquals(0, run(script), "a FAILED task: unhealthy");
        } finally {
            server.stop(0);
        }
    }

    private static int run(String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the health check did not end");
        }
        return process.exitValue();
    }
}
