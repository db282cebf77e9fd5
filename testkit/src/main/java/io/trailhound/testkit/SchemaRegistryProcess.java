package io.trailhound.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry (Apicurio Registry 2.4.2, built by the reactor's {@code registry-app} module) as a child process,
 * serving Confluent's REST API at {@code /apis/ccompat/v7} on a loopback port.
 */
public final class SchemaRegistryProcess implements AutoCloseable {

    /** System property that names the runner jar explicitly. */
    public static final String JAR_PROPERTY = "trailhound.registry.jar";
    /** Path of Confluent's API on the Apicurio server. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryProcess.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path jar;
    private final int port;
    private final Path logFile;
    private Process process;

    private SchemaRegistryProcess(Path jar, int port, Path logFile) {
        this.jar = jar;
        this.port = port;
        this.logFile = logFile;
    }

    /** Starts the registry on a free port and waits until it answers. */
    public static SchemaRegistryProcess start() throws IOException, InterruptedException {
        return start(FreePort.pick());
    }

    /** Starts the registry on the given port and waits until it answers. */
    public static SchemaRegistryProcess start(int port) throws IOException, InterruptedException {
        Path jar = runnerJar();
        Path logFile = Files.createTempFile("trailhound-registry-", ".log");
        SchemaRegistryProcess registry = new SchemaRegistryProcess(jar, port, logFile);
        registry.launch();
        return registry;
    }

    /** The runner jar: {@code -Dtrailhound.registry.jar}, else {@code registry-app/target/*-runner.jar} in the reactor. */
    public static Path runnerJar() {
        String configured = System.getProperty(JAR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path target = ReactorPaths.root().resolve("registry-app").resolve("target");
        return ReactorPaths.findBySuffix(target, "-runner.jar").orElseThrow(() -> new IllegalStateException(
            "Schema registry runner jar not found in " + target + ": build it with ./mvnw -pl registry-app package"));
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-jar");
        command.add(jar.toString());
        process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "registry-reaper-" + port));
        awaitReady();
        LOG.info("Schema registry ready at {} (pid {}, log {})", url(), process.pid(), logFile);
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Schema registry exited with code " + process.exitValue()
                    + " before it was ready; its log: " + logFile + "\n" + tail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                LOG.debug("Registry on port {} not up yet: {}", port, notYet.toString());
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("Schema registry not ready on port " + port + " after " + READY_TIMEOUT + "; log: " + logFile);
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(logFile);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Base URL of Confluent's REST API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}. */
    public String url() {
        return "http://127.0.0.1:" + port + CCOMPAT_PATH;
    }

    /** The TCP port. */
    public int port() {
        return port;
    }

    /** Where the child process writes its output. */
    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
