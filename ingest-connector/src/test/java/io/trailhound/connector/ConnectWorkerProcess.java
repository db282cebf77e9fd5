package io.trailhound.connector;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.trailhound.testkit.FreePort;

/**
 * A Kafka Connect worker ({@code ConnectDistributed}) in its own JVM whose class path holds the Connect runtime but none of
 * this module's classes: our connectors can only come from the built plugin zip, unpacked into its {@code plugin.path}, as
 * on a user's worker. Shared by the ITs that run the packaged plugin (plain and secured clusters).
 */
final class ConnectWorkerProcess implements AutoCloseable {

    private static final String OURS = "io/trailhound/connector/cloudtrail/CloudTrailS3SourceConnector.class";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final String base;

    private ConnectWorkerProcess(Process process, Path log, String base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /**
     * Unpacks the plugin zip under {@code dir} and starts a worker with the group {@code group}, its internal topics named
     * after it, byte-array converters and {@code settings} (which win: the broker address and any security settings).
     */
    static ConnectWorkerProcess start(Path dir, String group, Map<String, String> settings) throws IOException {
        Path plugins = unzip(pluginZip(), dir.resolve("plugins"));
        int port = FreePort.pick();
        Map<String, String> worker = new LinkedHashMap<>();
        worker.put("group.id", group);
        worker.put("listeners", "http://127.0.0.1:" + port);
        for (String store : List.of("config", "offset", "status")) {
            worker.put(store + ".storage.topic", group + "-" + store + "s");
            worker.put(store + ".storage.replication.factor", "1");
        }
        worker.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        worker.put("offset.flush.interval.ms", "1000");
        worker.put("plugin.path", plugins.toAbsolutePath().toString());
        worker.putAll(settings);
        Path properties = dir.resolve(group + ".properties");
        Files.writeString(properties, worker.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n")));
        List<String> classPath = workerClassPath();
        for (String entry : classPath) {
            if (holdsOurClasses(entry)) {
                throw new AssertionError(entry + " holds the connector classes: the test would prove nothing");
            }
        }
        Path log = dir.resolve(group + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
            "-cp", String.join(File.pathSeparator, classPath), "org.apache.kafka.connect.cli.ConnectDistributed", properties.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // If this JVM is ended (a fork timeout, say) before close() runs, the worker goes with it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "connect-worker-reaper"));
        return new ConnectWorkerProcess(process, log, "http://127.0.0.1:" + port);
    }

    /** The worker's REST address. */
    String base() {
        return base;
    }

    /** GETs {@code path} of the REST API until it answers 200, and returns the body. */
    String awaitGet(String path, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the worker ended (exit " + process.exitValue() + ") before " + path + " answered: " + last);
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(base + path + " did not answer 200: " + last);
    }

    /** POSTs a connector ({@code {"name":..,"config":{..}}}) and returns the answer. */
    HttpResponse<String> create(String connector) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/connectors")).timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(connector)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** Whether the worker process still runs. */
    boolean alive() {
        return process.isAlive();
    }

    /** Waits up to {@code max} for the worker process to end by itself. */
    boolean awaitExit(Duration max) throws InterruptedException {
        return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The worker's whole log so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException unreadable) {
            return "(" + unreadable + ")";
        }
    }

    /** The last {@code lines} lines of the worker's log, for a failure message. */
    String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Asks the worker to shut down, and kills it if it has not within 30 s: a worker hung in shutdown must not hang the build. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            System.err.println("ConnectWorkerProcess: the worker did not stop within 30 s of SIGTERM; killing it");
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
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
            for (ZipEntry entry : Collections.list(file.entries())) {
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
    private static List<String> workerClassPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank() && !entry.replace('\\', '/').contains("/ingest-connector/target/")) {
                entries.add(entry);
            }
        }
        if (entries.isEmpty()) {
            throw new AssertionError("no class path for the worker");
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
}
