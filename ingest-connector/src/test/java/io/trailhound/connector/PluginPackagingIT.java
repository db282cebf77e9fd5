package io.trailhound.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.trailhound.connector.cloudtrail.TopicReader;
import io.trailhound.connector.cloudtrail.TrailFixture;
import io.trailhound.testkit.FreePort;
import io.trailhound.testkit.KafkaBrokerExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built plugin zip works on its own: it is unpacked into a {@code plugin.path} directory and a Connect worker is started
 * in a separate JVM whose class path holds the Connect runtime but none of this module's classes, so the connectors can
 * only come from the plugin directory (Connect's isolated plugin class loader). The worker lists the three connectors
 * and runs the log-file source over a local trail.
 */
class PluginPackagingIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String OURS = "io/trailhound/connector/cloudtrail/CloudTrailS3SourceConnector.class";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldRunFromTheUnpackedZipOnAWorkerWithoutOurClasses() throws Exception {
        Path plugins = unzip(pluginZip(), dir.resolve("plugins"));
        TrailFixture trail = TrailFixture.orgTrail(List.of("111111111111"), List.of("us-east-1"), LocalDate.of(2024, 5, 1), 1, 2, 5);
        trail.writeTo(dir.resolve("trail"));
        KAFKA.createTopic("plugin.raw", 1, java.util.Map.of());
        int port = FreePort.pick();
        Path worker = dir.resolve("worker.properties");
        Files.writeString(worker, String.join("\n",
            "bootstrap.servers=" + KAFKA.bootstrapServers(), "group.id=plugin-it", "listeners=http://127.0.0.1:" + port,
            "config.storage.topic=plugin-it-configs", "offset.storage.topic=plugin-it-offsets", "status.storage.topic=plugin-it-status",
            "config.storage.replication.factor=1", "offset.storage.replication.factor=1", "status.storage.replication.factor=1",
            "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
            "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
            "offset.flush.interval.ms=1000", "plugin.path=" + plugins.toAbsolutePath()));
        List<String> classPath = workerClassPath();
        assertFalse(classPath.isEmpty());
        for (String entry : classPath) {
            assertFalse(holdsOurClasses(entry), entry + " holds the connector classes: the test would prove nothing");
        }

        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
            "-cp", String.join(File.pathSeparator, classPath), "org.apache.kafka.connect.cli.ConnectDistributed", worker.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile()).start();
        // If this JVM is ended (a fork timeout, say) before the finally block runs, the worker goes with it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "plugin-worker-reaper"));
        try {
            String base = "http://127.0.0.1:" + port;
            String plugins1 = awaitGet(base + "/connector-plugins", Duration.ofSeconds(180));
            for (String connector : List.of("CloudTrailS3SourceConnector", "CloudTrailEventBridgeSourceConnector",
                "GuardDutySourceConnector")) {
                assertTrue(plugins1.contains(connector), connector + " missing from " + plugins1);
            }
            String config = "{\"name\":\"packaged\",\"config\":{\"connector.class\":"
                + "\"io.trailhound.connector.cloudtrail.CloudTrailS3SourceConnector\",\"tasks.max\":\"1\","
                + "\"location\":\"" + dir.resolve("trail").toUri() + "\",\"topic\":\"plugin.raw\",\"poll.interval.ms\":\"500\"}}";
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/connectors"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(config)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            try (TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), "plugin.raw", false)) {
                int read = reader.readUntil(r -> r.size() >= trail.events().size(), Duration.ofSeconds(120)).size();
                assertEquals(trail.events().size(), read, "records from the packaged connector");
            }
            assertTrue(awaitGet(base + "/connectors/packaged/status", Duration.ofSeconds(30)).contains("\"RUNNING\""));
        } catch (Exception | AssertionError failure) {
            failure.addSuppressed(new AssertionError("worker log ends with:\n" + tail(dir.resolve("worker.log"), 60)));
            throw failure;
        } finally {
            stop(process);
        }
    }

    /** Asks the worker to shut down, and kills it if it has not within 30 s: a worker hung in shutdown must not hang the build. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            System.err.println("PluginPackagingIT: the worker did not stop within 30 s of SIGTERM; killing it");
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException unreadable) {
            return "(" + unreadable + ")";
        }
    }

    private static Path pluginZip() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-connect-plugin.zip")).findFirst()
                .orElseThrow(() -> new AssertionError("no plugin zip in target/: run the package phase first"));
        }
    }

    private static Path unzip(Path zip, Path target) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, out);
                    }
                }
            }
        }
        return target;
    }

    /** This JVM's test class path without this module's own classes (the Connect runtime and its dependencies stay). */
    private static List<String> workerClassPath() throws IOException {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank() && !entry.replace('\\', '/').contains("/ingest-connector/target/")) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static boolean holdsOurClasses(String entry) throws IOException {
        File file = new File(entry);
        if (file.isDirectory()) {
            return new File(file, OURS).exists();
        }
        if (!file.isFile() || !entry.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(file)) {
            return jar.getEntry(OURS) != null;
        }
    }

    private static String awaitGet(String url, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(url + " did not answer 200: " + last);
    }
}
