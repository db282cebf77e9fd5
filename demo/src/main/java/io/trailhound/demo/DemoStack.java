package io.trailhound.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.streams.KafkaStreams;

import io.trailhound.detect.topology.StreamProcessorApp;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.engine.ResponderEngine;
import io.trailhound.testkit.KnownBrokerNoise;
import io.trailhound.testkit.SchemaRegistryProcess;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The demo's pipeline on loopback: a real KRaft broker with a Kafka Connect worker (Kafka's embedded Connect cluster), the
 * schema registry as a child process, a local GuardDuty endpoint, our two source connectors, the stream processor and the
 * responder in dry run. {@link #close()} stops everything and removes its temporary directories.
 */
public final class DemoStack implements AutoCloseable {

    /** Name of the CloudTrail log-file connector. */
    public static final String TRAIL_CONNECTOR = "demo-cloudtrail";
    /** Name of the GuardDuty connector. */
    public static final String GUARDDUTY_CONNECTOR = "demo-guardduty";
    /** Application id (and consumer group) of the stream processor. */
    public static final String DETECT_APP_ID = "trailhound-demo-detect";
    /** Consumer group of the responder. */
    public static final String RESPONDER_GROUP = "trailhound-demo-responder";

    private static final String LOCAL_KEY = "AKIADEMOLOCALONLY000";
    private static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";

    private final Consumer<String> progress;
    private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
    private final List<Path> tempDirs = Collections.synchronizedList(new ArrayList<>());
    private SchemaRegistryProcess registry;
    private EmbeddedConnectCluster connect;
    private GuardDutyEndpoint guardDuty;
    private StreamProcessorApp detect;
    private ResponderEngine responder;
    private Topics topics;
    private Admin admin;
    private DemoKeys keys;

    /** A stack that reports each step to {@code progress}; nothing runs until {@link #start}. */
    public DemoStack(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * Starts every component; {@code trailDir} is the local copy of the trail bucket, {@code detectorId} the GuardDuty
     * detector the endpoint serves. On failure, what was started is stopped again.
     */
    public void start(Path trailDir, String detectorId) throws Exception {
        try {
            CompletableFuture<SchemaRegistryProcess> registryStart = CompletableFuture.supplyAsync(DemoStack::startRegistry);
            startConnect();
            registry = registryStart.get(3, TimeUnit.MINUTES);
            Path registryLog = registry.logFile();
            started.add(0, () -> Files.deleteIfExists(registryLog));
            started.add(0, registry);
            progress.accept("schema registry (Apicurio, child process pid " + registryPid().map(String::valueOf).orElse("?") + ") at "
                + registry.url());
            createTopics();
            keys = DemoKeys.create();
            tempDirs.add(keys.dir());
            progress.accept("throwaway keys: the stream processor signs alerts (" + DemoKeys.DETECTOR_KEY_ID + "), the responder acts "
                + "only on those; approver " + DemoKeys.APPROVER + " signs with " + keys.approverKeyFile());
            guardDuty = GuardDutyEndpoint.start(detectorId);
            // stopped after Connect (last in the list): the GuardDuty connector must not poll an endpoint already gone
            started.add(guardDuty);
            progress.accept("local GuardDuty endpoint (REST-JSON: ListDetectors, ListFindings, GetFindings) at " + guardDuty.uri());
            // the three start independently; the connectors' records wait in Kafka until the stream processor reads them
            CompletableFuture<Void> detectStart = CompletableFuture.runAsync(this::startDetect);
            CompletableFuture<Void> responderStart = CompletableFuture.runAsync(this::startResponder);
            startConnectors(trailDir);
            awaitStarted(detectStart, "stream processor");
            awaitStarted(responderStart, "responder");
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private static void awaitStarted(CompletableFuture<Void> start, String what) throws InterruptedException {
        try {
            start.get(3, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the " + what + " did not start: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the " + what + " did not start within 3 minutes", e);
        }
    }

    private static SchemaRegistryProcess startRegistry() {
        try {
            return SchemaRegistryProcess.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the schema registry: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the schema registry", e);
        }
    }

    private void startConnect() {
        // the broker's retriable transactions-v2 sequence rejection is counted, not logged as an ERROR (see KnownBrokerNoise)
        KnownBrokerNoise.install();
        Properties broker = new Properties();
        broker.putAll(Map.of("offsets.topic.replication.factor", "1", "offsets.topic.num.partitions", "4",
            "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
            "transaction.state.log.num.partitions", "4", "share.coordinator.state.topic.replication.factor", "1",
            "share.coordinator.state.topic.min.isr", "1", "group.initial.rebalance.delay.ms", "0", "auto.create.topics.enable", "false"));
        Map<String, String> worker = new HashMap<>();
        worker.put("offset.flush.interval.ms", "1000");
        worker.put("scheduled.rebalance.max.delay.ms", "1000");
        worker.put("plugin.discovery", "service_load");
        connect = new EmbeddedConnectCluster.Builder().name("trailhound-demo-connect").numWorkers(1).numBrokers(1)
            .brokerProps(broker).workerProps(worker).maskExitProcedures(true).build();
        started.add(0, connect::stop);
        // Kafka's test kit prints its storage formatting on stdout, which is the demo's output: send it to stderr
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            connect.start();
        } finally {
            System.setOut(stdout);
        }
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        started.add(0, () -> admin.close(Duration.ofSeconds(5)));
        progress.accept("Kafka broker (KRaft, combined broker and controller) at " + bootstrapServers()
            + ", Kafka Connect worker at " + connect.endpointForResource(""));
    }

    private void createTopics() throws InterruptedException, ExecutionException {
        topics = new Topics(serdeConfigs());
        List<NewTopic> all = new ArrayList<>();
        for (Topic<?, ?> topic : topics.all()) {
            // the stream processor creates its lineage topic itself (compacted only): the registry's time retention would
            // delete chains minted two weeks ago in event time, which the sample's history is
            if (!topic.name().equals(topics.lineage().name())) {
                all.add(topic.newTopic((short) 1));
            }
        }
        admin.createTopics(all).all().get();
        progress.accept("created " + all.size() + " topics (trailhound topics with their partitions and settings)");
    }

    private void startDetect() {
        Path state;
        try {
            state = Files.createTempDirectory("trailhound-demo-streams-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the stream processor's state directory", e);
        }
        tempDirs.add(state);
        Map<String, Object> settings = new HashMap<>();
        settings.put("application.id", DETECT_APP_ID);
        settings.put("bootstrap.servers", bootstrapServers());
        settings.put("schema.registry.url", registry.url());
        settings.put("state.dir", state.toString());
        settings.put("trailhound.http.port", 0);
        settings.put("commit.interval.ms", 100L);
        settings.putAll(keys.detectSettings());
        detect = new StreamProcessorApp(settings);
        started.add(0, detect);
        try {
            detect.start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the stream processor's health endpoint", e);
        }
        progress.accept("stream processor (Kafka Streams, exactly-once) started; health and metrics on port " + detect.httpPort());
    }

    private void startResponder() {
        Map<String, String> props = new HashMap<>();
        props.put(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ResponderConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        props.put(ResponderConfig.GROUP_ID_CONFIG, RESPONDER_GROUP);
        props.put(ResponderConfig.DRY_RUN_CONFIG, "true");
        props.put("responder.ec2.terminate", "true");
        props.putAll(keys.responderSettings());
        responder = new ResponderEngine(new ResponderConfig(props),
            StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCAL_KEY, "demo-local-secret-never-sent")), Clock.systemUTC());
        started.add(0, responder);
        responder.start();
        progress.accept("responder started in DRY RUN (audits every step, calls no AWS API)");
    }

    private void startConnectors(Path trailDir) throws InterruptedException {
        Map<String, String> trail = new HashMap<>();
        trail.put("connector.class", "io.trailhound.connector.cloudtrail.CloudTrailS3SourceConnector");
        trail.put("tasks.max", "1");
        trail.put("location", trailDir.toUri().toString());
        trail.put("poll.interval.ms", "500");
        trail.put("value.converter", BYTES);
        keyedByPrincipal(trail, "cloudtrail");
        connect.configureConnector(TRAIL_CONNECTOR, trail);
        Map<String, String> findings = new HashMap<>();
        findings.put("connector.class", "io.trailhound.connector.guardduty.GuardDutySourceConnector");
        findings.put("tasks.max", "1");
        findings.put("regions", "us-east-1");
        findings.put("poll.interval.ms", "500");
        // validate() calls the local endpoint through a fresh AWS SDK client in the plugin's class loader: on a loaded
        // machine the first call alone can take longer than the 10 s default
        findings.put("validate.timeout.ms", "60000");
        findings.put("aws.endpoint.override", guardDuty.uri().toString());
        findings.put("aws.access.key.id", LOCAL_KEY);
        findings.put("aws.secret.access.key", "demo-local-secret-never-sent");
        findings.put("value.converter", BYTES);
        keyedByPrincipal(findings, "guardduty");
        connect.configureConnector(GUARDDUTY_CONNECTOR, findings);
        awaitRunning(TRAIL_CONNECTOR);
        awaitRunning(GUARDDUTY_CONNECTOR);
        progress.accept("connectors RUNNING: " + TRAIL_CONNECTOR + " (CloudTrail log files from " + trailDir.toUri() + "), "
            + GUARDDUTY_CONNECTOR + " (GuardDuty API at " + guardDuty.uri() + ")");
    }

    /**
     * Keys each raw record at ingest as the stream processor partitions it (#16): the plugin's PrincipalKey transform, the
     * key written as text.
     */
    private static void keyedByPrincipal(Map<String, String> connector, String kind) {
        connector.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        connector.put("transforms", "key");
        connector.put("transforms.key.type", "io.trailhound.connector.transform.PrincipalKey");
        connector.put("transforms.key.kind", kind);
    }

    private void awaitRunning(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "no status yet";
        while (System.nanoTime() < deadline) {
            try {
                ConnectorStateInfo info = connect.connectorStatus(name);
                last = info.connector().state() + " " + info.tasks().stream().map(t -> t.state()
                    + (t.trace() == null ? "" : ": " + t.trace().lines().findFirst().orElse(""))).toList();
                if ("RUNNING".equals(info.connector().state()) && !info.tasks().isEmpty()
                    && info.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()))) {
                    return;
                }
                if (info.tasks().stream().anyMatch(t -> "FAILED".equals(t.state()))) {
                    break;
                }
            } catch (RuntimeException notYet) {
                last = notYet.getMessage();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("connector " + name + " is not running: " + last);
    }

    /** Fails when the stream processor stopped processing for good. */
    public void checkDetection() {
        KafkaStreams.State state = detect.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.NOT_RUNNING
            || state == KafkaStreams.State.PENDING_SHUTDOWN) {
            throw new IllegalStateException("the stream processor stopped (Kafka Streams state " + state
                + "); its log lines above say why");
        }
    }

    /** Whether the stream processor is RUNNING and the responder has its partitions. */
    public boolean ready() {
        return detect != null && detect.state() == KafkaStreams.State.RUNNING && responder != null && responder.isReady();
    }

    /** The broker's bootstrap address. */
    public String bootstrapServers() {
        return connect.kafka().bootstrapServers();
    }

    /** Serde settings (the registry URL) for reading the Avro topics. */
    public Map<String, Object> serdeConfigs() {
        return Map.of("schema.registry.url", registry.url());
    }

    /** The topic registry with this stack's serdes. */
    public Topics topics() {
        return topics;
    }

    /** An admin client on the broker. */
    public Admin admin() {
        return admin;
    }

    /** The GuardDuty endpoint, to publish findings. */
    public GuardDutyEndpoint guardDuty() {
        return guardDuty;
    }

    /** The schema registry child process. */
    public SchemaRegistryProcess registry() {
        return registry;
    }

    /** The registry's child process id, found among this JVM's children by its runner jar. */
    public Optional<Long> registryPid() {
        String jar = SchemaRegistryProcess.runnerJar().toString();
        return ProcessHandle.current().children()
            .filter(p -> p.info().commandLine().map(c -> c.contains(jar)).orElse(false))
            .map(ProcessHandle::pid).findFirst();
    }

    /** The Connect REST base URL. */
    public String connectUrl() {
        return connect.endpointForResource("");
    }

    @Override
    public void close() {
        List<AutoCloseable> toStop;
        synchronized (started) {
            toStop = new ArrayList<>(started);
            started.clear();
        }
        for (AutoCloseable component : toStop) {
            try {
                component.close();
            } catch (Exception e) {
                progress.accept("could not stop " + component + ": " + e);
            } catch (Error e) {
                progress.accept("could not stop " + component + ": " + e);
            }
        }
        synchronized (tempDirs) {
            tempDirs.forEach(TempDirs::delete);
            tempDirs.clear();
        }
    }
}
