package io.trailhound.connector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.cloudtrail.TopicReader;
import io.trailhound.connector.cloudtrail.TrailFixture;
import io.trailhound.keying.PrincipalKeys;
import io.trailhound.testkit.FreePort;
import io.trailhound.testkit.KafkaBrokerExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built plugin zip works on its own: it is unpacked into a {@code plugin.path} directory and a Connect worker is started
 * in a separate JVM whose class path holds the Connect runtime but none of this module's classes, so the connectors can
 * only come from the plugin directory (Connect's isolated plugin class loader). The worker lists the three connectors
 * and the PrincipalKey transform, and runs the log-file source over a local trail with the transform keying every record by
 * durable principal (#16): keys and partitions are checked against {@link PrincipalKeys}.
 */
class PluginPackagingIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String OURS = "io/trailhound/connector/cloudtrail/CloudTrailS3SourceConnector.class";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    @Test
    void shouldRunFromTheUnpackedZipOnAWorkerWithoutOurClasses() throws Exception {
        Path plugins = unzip(pluginZip(), dir.resolve("plugins"));
        TrailFixture trail = TrailFixture.orgTrail(List.of("111111111111"), List.of("us-east-1"), LocalDate.of(2024, 5, 1), 1, 2, 5);
        trail.writeTo(dir.resolve("trail"));
        List<byte[]> identities = variedIdentities();
        TrailFixture.write(dir.resolve("trail").resolve(TrailFixture.key("111111111111", "us-east-1", LocalDate.of(2024, 5, 1),
            Instant.parse("2024-05-01T00:15:00Z"))), TrailFixture.gzip(TrailFixture.file(identities)));
        int expected = trail.events().size() + identities.size();
        KAFKA.createTopic("plugin.raw", PARTITIONS, java.util.Map.of());
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
            String plugins1 = awaitGet(base + "/connector-plugins?connectorsOnly=false", Duration.ofSeconds(180));
            for (String plugin : List.of("CloudTrailS3SourceConnector", "CloudTrailEventBridgeSourceConnector",
                "GuardDutySourceConnector", "IamSnapshotSourceConnector", "io.trailhound.connector.transform.PrincipalKey")) {
                assertTrue(plugins1.contains(plugin), plugin + " missing from " + plugins1);
            }
            // #16: keyed at ingest by the packaged transform, written with the StringConverter
            String config = "{\"name\":\"packaged\",\"config\":{\"connector.class\":"
                + "\"io.trailhound.connector.cloudtrail.CloudTrailS3SourceConnector\",\"tasks.max\":\"1\","
                + "\"location\":\"" + dir.resolve("trail").toUri() + "\",\"topic\":\"plugin.raw\",\"poll.interval.ms\":\"500\","
                + "\"transforms\":\"key\",\"transforms.key.type\":\"io.trailhound.connector.transform.PrincipalKey\","
                + "\"key.converter\":\"org.apache.kafka.connect.storage.StringConverter\"}}";
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/connectors"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(config)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            try (TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), "plugin.raw", false)) {
                List<ConsumerRecord<byte[], byte[]>> records = reader.readUntil(r -> r.size() >= expected, Duration.ofSeconds(120));
                assertEquals(expected, records.size(), "records from the packaged connector");
                assertKeyedByPrincipal(records, expected);
            }
            assertTrue(awaitGet(base + "/connectors/packaged/status", Duration.ofSeconds(30)).contains("\"RUNNING\""));
        } catch (Exception | AssertionError failure) {
            failure.addSuppressed(new AssertionError("worker log ends with:\n" + tail(dir.resolve("worker.log"), 60)));
            throw failure;
        } finally {
            stop(process);
        }
    }

    /**
     * Every record is keyed with {@link PrincipalKeys} of its own bytes (which are the input's, byte for byte) and sits in the
     * partition the producer's default partitioner, like Kafka Streams, picks for that key: murmur2 of its UTF-8 bytes.
     */
    private static void assertKeyedByPrincipal(List<ConsumerRecord<byte[], byte[]>> records, int expected) throws IOException {
        PrincipalKeys keys = PrincipalKeys.of(List.of("AWSReservedSSO_.*"));
        Set<String> distinct = new HashSet<>();
        Set<Integer> partitions = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String key = keys.recordKey(new ObjectMapper().readTree(record.value()));
            assertArrayEquals(key.getBytes(StandardCharsets.UTF_8), record.key(), new String(record.value(), StandardCharsets.UTF_8));
            assertEquals(Utils.toPositive(Utils.murmur2(record.key())) % PARTITIONS, record.partition(), key);
            distinct.add(key);
            partitions.add(record.partition());
        }
        assertEquals(expected, records.size());
        assertTrue(distinct.size() >= 8 && partitions.size() >= 3, distinct + " over partitions " + partitions);
    }

    /** CloudTrail records of every kind of caller, each keyed apart (SSO sessions by session, federation by role). */
    private static List<byte[]> variedIdentities() {
        String sso = "{\"type\":\"AssumedRole\",\"accountId\":\"111111111111\",\"arn\":\"arn:aws:sts::111111111111:assumed-role/"
            + "AWSReservedSSO_Admin_0a1b/%s\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":"
            + "\"arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0a1b\",\"userName\":"
            + "\"AWSReservedSSO_Admin_0a1b\"}}}";
        List<String> identities = List.of(
            "{\"type\":\"IAMUser\",\"accountId\":\"111111111111\",\"arn\":\"arn:aws:iam::111111111111:user/bob\",\"userName\":\"bob\"}",
            "{\"type\":\"Root\",\"accountId\":\"111111111111\",\"arn\":\"arn:aws:iam::111111111111:root\"}",
            "{\"type\":\"AWSService\",\"invokedBy\":\"cloudtrail.amazonaws.com\"}",
            "{\"type\":\"AWSAccount\",\"accountId\":\"222222222222\",\"principalId\":\"AIDAEXAMPLE\"}",
            "{\"type\":\"IdentityCenterUser\",\"accountId\":\"111111111111\",\"onBehalfOf\":{\"userId\":\"u-77\"}}",
            "{\"type\":\"FederatedUser\",\"accountId\":\"111111111111\",\"arn\":\"arn:aws:sts::111111111111:federated-user/eve\"}",
            String.format(sso, "ann@example.com"), String.format(sso, "raj@example.com"),
            "{\"type\":\"WebIdentityUser\",\"userName\":\"repo:acme/app:ref:refs/heads/main\"}");
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < identities.size(); i++) {
            boolean web = identities.get(i).contains("WebIdentityUser");
            records.add(("{\"eventVersion\":\"1.09\",\"userIdentity\":" + identities.get(i) + ",\"eventTime\":\"2024-05-01T00:1" + i
                + ":00Z\",\"eventSource\":\"" + (web ? "sts" : "iam") + ".amazonaws.com\",\"eventName\":\""
                + (web ? "AssumeRoleWithWebIdentity" : "ListUsers") + "\",\"requestParameters\":"
                + (web ? "{\"roleArn\":\"arn:aws:iam::111111111111:role/deploy\"}" : "null") + ",\"responseElements\":"
                + (web ? "{\"provider\":\"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com\","
                    + "\"subjectFromWebIdentityToken\":\"repo:acme/app:ref:refs/heads/main\"}" : "null")
                + ",\"eventID\":\"varied-" + i + "\",\"recipientAccountId\":\"111111111111\"}").getBytes(StandardCharsets.UTF_8));
        }
        return records;
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
