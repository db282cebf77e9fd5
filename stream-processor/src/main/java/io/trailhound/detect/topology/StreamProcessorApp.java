package io.trailhound.detect.topology;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.admin.NewTopic;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.ops.OperationsServer;
import io.trailhound.serde.RegistryCheck;
import io.trailhound.serde.SchemaRegistryClient;
import io.trailhound.topic.ClientSettings;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * The always-on stream processor: builds the detection topology over the live topics and runs it with exactly-once
 * processing. Configuration comes from a properties file ({@link StreamProcessorConfig} keys plus any Kafka Streams key).
 */
public final class StreamProcessorApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessorApp.class);

    private final KafkaStreams streams;
    private final Properties properties;
    private final List<NewTopic> ownTopics;
    private final int httpPort;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SchemaRegistryClient registryClient;
    private KafkaStreamsMetrics streamsMetrics;
    private OperationsServer endpoint;

    /** Validates {@code settings} and prepares (does not start) the Kafka Streams instance. */
    public StreamProcessorApp(Map<String, Object> settings) {
        RuleCatalog catalog = RuleCatalog.builtIn();
        StreamProcessorConfig config = new StreamProcessorConfig(settings, catalog);
        if (config.getString(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG).isBlank()) {
            if (config.getBoolean(StreamProcessorConfig.SIGNING_REQUIRED_CONFIG)) {
                throw new ConfigException(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG, "", "no signing key: the responder "
                    + "refuses unsigned alerts; create one with 'trailhound keygen detector' or, for development only, set "
                    + StreamProcessorConfig.SIGNING_REQUIRED_CONFIG + "=false");
            }
            LOG.warn("{}=false and no signing key: alerts and incidents leave unsigned (development only)",
                    StreamProcessorConfig.SIGNING_REQUIRED_CONFIG);
        }
        // the registry's URL with its TLS, basic-auth and retry settings (#19)
        Map<String, Object> serdeConfigs = new java.util.HashMap<>(ClientSettings.registry(settings));
        serdeConfigs.put(StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG,
                config.getString(StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG));
        SchemaRegistryClient client = SchemaRegistryClient.create(serdeConfigs);
        this.registryClient = client;
        Topics topics = new Topics(client, serdeConfigs);
        this.properties = streamsProperties(settings, config);
        this.ownTopics = List.of(
                new NewTopic(config.lineageTopic(), Optional.empty(), Optional.empty()).configs(topics.lineage().config()),
                newTopic(topics.incidents()),
                // new in #16: a deployment upgraded from a version without signals gets the topic at its first start
                newTopic(topics.signals()),
                // new in #15: the access stage reads the snapshots (the IAM snapshot connector writes them) and writes summaries
                newTopic(topics.iamSnapshots()),
                newTopic(topics.accessSummaries()));
        this.httpPort = config.getInt(StreamProcessorConfig.HTTP_PORT_CONFIG);
        this.streams = new KafkaStreams(DetectionTopology.build(config, catalog, topics, client, serdeConfigs,
                new DetectionMetrics(registry)), properties);
        streams.setUncaughtExceptionHandler(new ThreadReplacements(Clock.systemUTC()));
        streams.setStateListener((now, before) -> LOG.info("state {} -> {}", before, now));
    }

    /** Kafka Streams settings: ours win over pass-through keys where exactly-once and event time depend on them. */
    public static Properties streamsProperties(Map<String, Object> settings, StreamProcessorConfig config) {
        Properties props = new Properties();
        props.putAll(DetectionTopology.STREAMS_DEFAULTS);
        settings.forEach((k, v) -> {
            if (!k.startsWith("trailhound.") && !ClientSettings.isRegistry(k)) {
                props.put(k, v);
            }
        });
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(StreamProcessorConfig.APPLICATION_ID_CONFIG));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.getList(StreamProcessorConfig.BOOTSTRAP_SERVERS_CONFIG)));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(StreamProcessorConfig.STATE_DIR_CONFIG));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.getInt(StreamProcessorConfig.NUM_STANDBY_REPLICAS_CONFIG));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(StreamProcessorConfig.COMMIT_INTERVAL_MS_CONFIG));
        // one bounded off-heap budget for every RocksDB store, unless the operator brings a setter of their own
        props.put(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, config.getLong(StreamProcessorConfig.ROCKSDB_MEMORY_BYTES_CONFIG));
        // a record that cannot be deserialized (only the Avro repartition topics can fail: the raw topics are bytes) or processed
        // goes to the dead-letter topic in the same transaction, and processing continues
        DeadLetterHandler.install(props, Topics.DEADLETTER);
        return props;
    }

    /**
     * Creates the lineage and incidents topics if they are missing (compacted: the latest chain per key, the latest state per
     * incident), starts processing, binds the Kafka Streams meters and the state-store size gauges, and serves /healthy,
     * /ready and /metrics.
     */
    public void start() throws IOException {
        // wrong registry credentials or an untrusted certificate fail here, with what to fix, not on the first alert (#19)
        RegistryCheck.atStartup(registryClient, Topics.ALERTS + "-value");
        Map<String, Object> connection = new java.util.HashMap<>();
        properties.forEach((k, v) -> connection.put(String.valueOf(k), v));
        TopicSetup.ensure(connection, ownTopics);
        streams.start();
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        StoreSizes.bind(streams, registry);
        endpoint = new OperationsServer(httpPort, this::problem, () -> streams.state() == KafkaStreams.State.RUNNING, registry::scrape);
        LOG.info("serving /healthy, /ready and /metrics on port {}", endpoint.port());
    }

    /**
     * Why the processor can no longer do its job (liveness fails): Kafka Streams in ERROR or on its way there (a stream thread
     * failed too often, see {@link ThreadReplacements}); empty while it can still work (rebalancing and restoring included).
     */
    public Optional<String> problem() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                ? Optional.of("Kafka Streams is in state " + state) : Optional.empty();
    }

    /** The port of /healthy, /ready and /metrics, once started. */
    public int httpPort() {
        return endpoint.port();
    }

    /** The Kafka Streams state, for readiness. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        streams.close();
        registry.close();
    }

    /** Runs until interrupted: {@code java ... StreamProcessorApp stream-processor.properties}. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, Object> settings = new HashMap<>();
        if (args.length > 0) {
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                file.load(in);
            }
            file.forEach((k, v) -> settings.put(k.toString(), v));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (StreamProcessorApp app = new StreamProcessorApp(settings)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "shutdown"));
            app.start();
            stopped.await();
        }
    }

    /** {@code topic} as declared in {@link Topics}: its partitions and settings, the broker's replication factor. */
    private static NewTopic newTopic(Topic<?, ?> topic) {
        return new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty()).configs(topic.config());
    }
}
