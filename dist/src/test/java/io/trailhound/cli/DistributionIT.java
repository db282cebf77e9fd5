package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Severity;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.topic.Topics;

/**
 * Issue #19 item 4: the release archive {@code ./mvnw verify} builds (target/trailhound-VERSION/) holds the operator commands'
 * libraries without the test kit, and its {@code bin/trailhound} runs them from there as an operator would: a separate JVM
 * whose class path is the archive's {@code lib/} only. {@code tail} and {@code approvals} run against the in-JVM broker and a
 * real schema registry; {@code scan} and {@code plan} offline on the compose sample trail.
 */
class DistributionIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    /** Jars that belong to tests and the embedded stack, never to an operator's machine. */
    private static final Pattern TEST_LIBRARIES = Pattern.compile(
        "(?i).*(wiremock|s3mock|testcontainers|junit|opentest4j|spring|tomcat|docker-java|trailhound-testkit|trailhound-demo"
            + "|kafka_2\\.13|kafka-server|scala-library|connect-runtime).*\\.jar");

    private static Path home;

    @TempDir
    Path work;

    @BeforeAll
    static void archive() throws IOException {
        try (Stream<Path> found = Files.list(Path.of("target"))) {
            Path unpacked = found.filter(p -> p.getFileName().toString().startsWith("trailhound-") && Files.isDirectory(p))
                .findFirst().orElseThrow(() -> new AssertionError("no release directory in target/: run ./mvnw package first"));
            home = unpacked.resolve(unpacked.getFileName());
        }
        assertTrue(Files.isExecutable(home.resolve("bin/trailhound")), "bin/trailhound is executable");
    }

    private static List<String> jars(String directory) throws IOException {
        try (Stream<Path> files = Files.list(home.resolve(directory))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void shouldShipTheOperatorLibrariesWithoutTheTestKit() throws IOException {
        List<String> lib = jars("lib");
        assertTrue(lib.contains("trailhound-cli-" + version() + ".jar"), "the command line: " + lib);
        assertTrue(lib.stream().anyMatch(j -> j.startsWith("kafka-clients-")), "Kafka clients: " + lib);
        assertEquals(List.of(), lib.stream().filter(j -> TEST_LIBRARIES.matcher(j).matches()).toList(), "test libraries in lib/");
        List<String> bench = jars("lib-bench");
        for (String needed : List.of("trailhound-testkit-", "trailhound-demo-", "wiremock-standalone-", "s3mock-", "testcontainers-")) {
            assertTrue(bench.stream().anyMatch(j -> j.startsWith(needed)), "demo and bench need " + needed + " in lib-bench/: " + bench);
        }
        assertEquals(List.of(), bench.stream().filter(lib::contains).toList(), "nothing twice");
        // the registry the embedded stack starts as a child process, where bin/trailhound points demo and bench
        assertTrue(Files.isRegularFile(home.resolve("lib-bench/registry/trailhound-registry-app-runner.jar")));
        assertTrue(Files.readString(home.resolve("bin/trailhound")).contains("lib-bench/registry/trailhound-registry-app-runner.jar"));
        long libBytes = size("lib");
        long benchBytes = size("lib-bench");
        assertTrue(benchBytes > 50L << 20, "the embedded stack is large (" + (benchBytes >> 20) + " MB) and stays out of lib/");
        System.out.printf("release lib/ %d MB, lib-bench/ %d MB%n", libBytes >> 20, benchBytes >> 20);
        assertTrue(Files.exists(home.resolve("plugins/trailhound-ingest-connector-" + version() + "-connect-plugin.zip")));
        assertTrue(Files.exists(home.resolve("config/command-config.properties")));
        assertTrue(Files.exists(home.resolve("config/trailhound.properties")));
    }

    @Test
    void shouldListTheOperatorCommandsAndNotTheEmbeddedStack() throws Exception {
        Run help = run("--help");
        assertEquals(0, help.code(), help.err());
        for (String command : List.of("tail", "plan", "approve", "reject", "approvals", "report", "replay", "access")) {
            assertTrue(Pattern.compile("(?m)^  " + command + " ").matcher(help.out()).find(), command + " in " + help.out());
        }
        assertFalse(Pattern.compile("(?m)^  (demo|bench) ").matcher(help.out()).find(), "demo and bench need lib-bench/");
        Run bench = run("bench", "--help");
        assertEquals(0, bench.code(), "the launcher adds lib-bench/ for bench: " + bench.err());
        assertTrue(bench.out().contains("Usage: trailhound bench"), bench.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tail", "plan", "approve", "reject", "approvals", "report", "replay", "access"})
    void shouldRunEachOperatorCommandsHelpFromLibAlone(String command) throws Exception {
        Run help = run(command, "--help");
        assertEquals(0, help.code(), command + ": " + help.err());
        assertTrue(help.out().startsWith("Usage: trailhound " + command), help.out());
        assertFalse(help.err().contains("NoClassDefFoundError"), help.err());
    }

    @Test
    void shouldTailAlertsAndListApprovalsFromTheArchive() throws Exception {
        KAFKA.createTopic(Topics.ALERTS, 3, Map.of());
        KAFKA.createTopic(Topics.APPROVALS, 3, Map.of());
        KAFKA.createTopic(Topics.ACTIONS, 3, Map.of());
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        Instant now = Instant.now();
        Alert alert = ReportSamples.alert("dist-alert-1", "TH-IAM-003", Severity.HIGH,
            ReportSamples.user("111122223333", "alice", "AKIAALICE"), "111122223333", now);
        ReportSamples.produce(KAFKA.bootstrapServers(), topics.alerts(), List.of("dist-alert-1"), List.of(alert), List.of(now));

        Run tail = run("tail", "--bootstrap-server", KAFKA.bootstrapServers(), "--schema-registry", REGISTRY.url(),
            "--from-beginning", "--format", "json", "--max", "1", "--timeout", "30s");
        assertEquals(0, tail.code(), tail.err());
        assertTrue(tail.out().contains("\"dist-alert-1\""), tail.out());

        Run approvals = run("approvals", "--bootstrap-server", KAFKA.bootstrapServers(), "--schema-registry", REGISTRY.url());
        assertEquals(0, approvals.code(), approvals.err());
        assertFalse(approvals.err().contains("Exception"), approvals.err());
    }

    @Test
    void shouldScanAndPlanOfflineFromTheArchive() throws Exception {
        Path trail = Path.of(System.getProperty("trailhound.root", "..")).resolve("docker/localstack/sample/cloudtrail-sample.json");
        Run scan = run("scan", "--format", "json", trail.toAbsolutePath().toString());
        assertEquals(0, scan.code(), scan.err());
        assertTrue(scan.out().contains("\"ruleId\""), "the sample trail's StopLogging raises an alert: " + scan.out());
        Path alerts = Files.writeString(work.resolve("alerts.jsonl"), scan.out());
        Run plan = run("plan", alerts.toString());
        assertEquals(0, plan.code(), plan.err());
        assertFalse(plan.out().isBlank(), "a plan for the alert");
    }

    private static String version() {
        return home.getFileName().toString().substring("trailhound-".length());
    }

    private static long size(String directory) throws IOException {
        try (Stream<Path> files = Files.list(home.resolve(directory))) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** What one run of bin/trailhound printed and returned. */
    record Run(int code, String out, String err) {
    }

    /** bin/trailhound with {@code args} in its own JVM, isolated from the user's configuration file. */
    private Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/trailhound").toString()));
        command.addAll(List.of(args));
        Path out = work.resolve("out-" + System.nanoTime());
        Path err = work.resolve("err-" + System.nanoTime());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("TRAILHOUND_CONFIG", Files.writeString(work.resolve("empty.properties"), "").toString());
        builder.environment().put("TRAILHOUND_LOG_FILE", work.resolve("trailhound.log").toString());
        builder.environment().keySet().removeIf(k -> k.startsWith("TRAILHOUND_") && !k.equals("TRAILHOUND_CONFIG")
            && !k.equals("TRAILHOUND_LOG_FILE"));
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/trailhound " + String.join(" ", args) + " did not finish in 120 s: "
                + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
