package io.trailhound.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import io.trailhound.detect.topology.DetectionTopology;

/**
 * One Kafka Streams application of {@code trailhound bench detect} (the identity copy or the detection topology) on the
 * benchmark broker, with its own application id and state directory, configured as {@code StreamProcessorApp} configures
 * production (commit interval, deserialization handler) except for the settings the benchmark varies.
 */
final class DetectBenchApp implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final String SHAPE_STORE = "shape-store";

    private final String applicationId;
    private final Topology topology;
    private final Path stateDir;
    private final Properties properties;
    private KafkaStreams streams;
    private boolean stopped;

    /** Settings of one application: guarantee ({@code exactly_once_v2} / {@code at_least_once}), threads, commit interval, reset. */
    record Settings(String bootstrap, String guarantee, int threads, long commitIntervalMs, String offsetReset,
                    Map<String, String> extra) {
    }

    DetectBenchApp(String applicationId, Topology topology, Settings settings) {
        this.applicationId = applicationId;
        this.topology = topology;
        try {
            this.stateDir = Files.createTempDirectory("trailhound-bench-detect-state-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.properties = properties(applicationId, settings, stateDir);
        this.streams = new KafkaStreams(topology, properties);
    }

    /** The same read → write copy of raw records the detection topology reads, and nothing else. */
    static Topology identity(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-source"))
            .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("copy-sink"));
        return builder.build();
    }

    /**
     * The detection topology's shape without its work: raw → repartition by key → one read and one write of a persistent
     * store per record (as the dedup step) → sink. What any per-principal stateful pipeline under exactly-once pays before
     * parsing or detecting anything.
     */
    static Topology shape(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SHAPE_STORE), Serdes.String(), Serdes.Long()));
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-source"))
            .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("by-key"))
            .process(() -> new SeenOnce(false), Named.as("seen-once"), SHAPE_STORE)
            .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("shape-sink"));
        return builder.build();
    }

    /**
     * The floor of the detection topology's own shape since #16: raw records keyed by principal at ingest, so no repartition;
     * one read and one write of a persistent store per record (as the dedup step) → sink. Anything that remembers each event
     * under exactly-once pays this before parsing or detecting anything. With {@code parse}, each record's JSON is read into a
     * tree first (Jackson's {@code readTree}, the event id taken from it): the floor of a keyed pipeline that reads what it
     * remembers, before normalizing or detecting.
     */
    static Topology keyedShape(String input, String output, boolean parse) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SHAPE_STORE), Serdes.String(), Serdes.Long()));
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-source"))
            .process(() -> new SeenOnce(parse), Named.as("seen-once"), SHAPE_STORE)
            .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("shape-sink"));
        return builder.build();
    }

    /** Forwards a record whose event id the store has not seen, remembering it: the dedup step's store traffic. */
    private static final class SeenOnce implements Processor<String, byte[], String, byte[]> {
        private static final ObjectMapper MAPPER = new ObjectMapper();
        private final boolean parse;
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, Long> seen;

        SeenOnce(boolean parse) {
            this.parse = parse;
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.seen = context.getStateStore(SHAPE_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            // by event id, as dedup keys: the record key is the principal (keyed at ingest, #16)
            String eventId;
            if (parse) {
                try {
                    eventId = MAPPER.readTree(record.value()).path("eventID").asText();
                } catch (IOException e) {
                    throw new UncheckedIOException("a generated record is not JSON", e);
                }
            } else {
                Header id = record.headers().lastHeader(DetectBenchKafka.EVENT_ID_HEADER);
                eventId = id == null ? record.key() : new String(id.value(), StandardCharsets.UTF_8);
            }
            if (seen.get(eventId) == null) {
                seen.put(eventId, record.timestamp());
                context.forward(record);
            }
        }
    }

    static Properties properties(String applicationId, Settings settings, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, settings.guarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitIntervalMs());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), settings.offsetReset());
        // production's topology defaults for every application alike (on the identity's single source they change nothing)
        props.putAll(DetectionTopology.STREAMS_DEFAULTS);
        props.putAll(settings.extra());
        return props;
    }

    /** Starts the application and waits until it is RUNNING. */
    DetectBenchApp start() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        if (!running.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(applicationId + " did not reach RUNNING within " + START_TIMEOUT + " (state "
                + streams.state() + ")");
        }
        return this;
    }

    /** Fails if the application died (a benchmark of a dead application measures nothing). */
    void checkAlive() {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.NOT_RUNNING) {
            throw new IllegalStateException(applicationId + " stopped: " + state);
        }
    }

    /**
     * CPU time so far of this application's live threads in this JVM (stream threads, and the producer, consumer and admin
     * threads named after its client ids); the broker's work for it is not included.
     */
    long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(applicationId + "-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    String applicationId() {
        return applicationId;
    }

    Topology topology() {
        return topology;
    }

    /** This application's state directory ({@code state.dir}); its stores live below {@code <dir>/<application id>}. */
    Path stateDir() {
        return stateDir;
    }

    /** Stops processing (stores are flushed and closed); the state directory stays until {@link #close()}. */
    void stop() {
        if (!stopped) {
            stopped = true;
            streams.close(Duration.ofMinutes(1));
        }
    }

    /** After {@link #stop()}: a new Kafka Streams instance of the same application over the same state directory, started. */
    DetectBenchApp restart() throws InterruptedException {
        stop();
        streams = new KafkaStreams(topology, properties);
        stopped = false;
        return start();
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
