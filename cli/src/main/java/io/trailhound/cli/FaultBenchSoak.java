package io.trailhound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.trailhound.detect.topology.StreamProcessorApp;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.testkit.EmbeddedKafkaBroker;
import io.trailhound.testkit.FreePort;
import io.trailhound.topic.Topics;

/**
 * {@code trailhound bench faults --soak MINUTES}: 2,000 CloudTrail records a second (1% raising alerts, event time now) into
 * the live stream processor in its own JVM for MINUTES; every minute the processor's heap in use after the last collection
 * ({@code jcmd GC.heap_info}), resident memory, state store entries (in all, and for the stores that grow with the input, each
 * apart) and detection latency p99 from its /metrics, and the
 * input it has committed (produced minus processed: how far behind it is). Flat is the target.
 */
final class FaultBenchSoak {

    static final int RATE = 2_000;
    private static final String APPLICATION_ID = "trailhound-bench-soak";
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern ENTRIES = Pattern.compile("^trailhound_state_store_entries\\{([^}]*)} ([0-9.E+]+)$", Pattern.MULTILINE);
    private static final Pattern STORE = Pattern.compile("store=\"([^\"]+)\"");
    /** The dedup store keeps every event id for the dedup window (24 h by default): bounded by window x rate, not flat. */
    private static final String DEDUP_STORE = "dedup-store";
    /** The stores with a column of their own (each store's retention: stream-processor README, "State and its bounds"). */
    private static final List<String> STORE_COLUMNS = List.of("alert-suppression-store", "rate-store", "minted-keys-store",
        "baseline-store", "incident-store", "incident-index-store");
    private static final List<String> STORE_HEADERS = List.of("suppression", "rate", "minted", "baseline", "incident", "inc_index");
    private static final long DEDUP_WINDOW_SECONDS = 24 * 3600;
    /** The RocksDB block cache's usage, which every store sharing it reports (memtables and index blocks are charged to it). */
    private static final Pattern CACHE_USAGE = Pattern.compile("^kafka_stream_state_block_cache_usage\\{[^}]*} ([0-9.E+]+)$",
        Pattern.MULTILINE);
    private static final Pattern P99 = Pattern.compile(
        "^trailhound_detection_latency_seconds\\{quantile=\"0\\.99\"[^}]*} ([0-9.E+-]+|NaN)$", Pattern.MULTILINE);

    private final FaultBenchRegistry registry;
    private final PrintWriter err;
    private final PrintWriter out;
    /** The operator's settings for the processor, over the soak's own. */
    private final Map<String, String> settings;
    /** Environment variables for the processor's process (e.g. the allocator's), over the inherited ones. */
    private final Map<String, String> environment;

    FaultBenchSoak(FaultBenchRegistry registry, PrintWriter err, PrintWriter out, Map<String, String> settings,
                   Map<String, String> environment) {
        this.registry = registry;
        this.err = err;
        this.out = out;
        this.settings = Map.copyOf(settings);
        this.environment = Map.copyOf(environment);
    }

    int run(Duration duration) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of())) {
            Topics topics = new Topics(Map.of(StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url()));
            FaultBenchDetect.createTopics(broker, topics);
            int port = FreePort.pick();
            try (FaultBenchProcess processor = processor(broker.bootstrapServers(), port);
                 KafkaProducer<String, byte[]> producer = DetectBenchKafka.producer(broker.bootstrapServers());
                 KafkaConsumer<byte[], byte[]> consumer = groupReader(broker.bootstrapServers())) {
                processor.start();
                err.printf("bench faults: soak: %d events/s for %d min into the stream processor (log %s; settings %s; env %s)%n", RATE,
                    duration.toMinutes(), processor.log(), new TreeMap<>(settings), new TreeMap<>(environment));
                err.flush();
                out.printf("%6s %10s %10s %8s %8s %9s %12s %12s %12s %12s", "minute", "produced", "processed", "heap_mib", "rss_mib",
                    "rocks_mib", "state_entries", "dedup", "dedup_bound", "other_state");
                STORE_HEADERS.forEach(h -> out.printf(" %11s", h));
                out.printf(" %10s%n", "p99_ms");
                out.flush();
                DetectBenchTrail trail = new DetectBenchTrail(2_000, 42);
                long start = System.currentTimeMillis();
                long produced = 0;
                int minute = 0;
                while (System.currentTimeMillis() - start < duration.toMillis()) {
                    long due = (System.currentTimeMillis() - start) * RATE / 1000;
                    for (; produced < due; produced++) {
                        DetectBenchTrail.Event e = produced % 100 == 50 ? trail.suspicious(Instant.now()) : trail.ordinary(Instant.now());
                        producer.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, e.key(), e.json()));
                    }
                    processor.checkAlive();
                    if (System.currentTimeMillis() - start >= (minute + 1) * 60_000L) {
                        minute++;
                        sample(minute, produced, processor, port, consumer);
                    }
                    Thread.sleep(20);
                }
                // the last minute's sample, when the loop ended just before it was due
                if (minute < duration.toMinutes()) {
                    sample(minute + 1, produced, processor, port, consumer);
                }
            }
        }
        return 0;
    }

    private void sample(int minute, long produced, FaultBenchProcess processor, int port, KafkaConsumer<byte[], byte[]> consumer)
        throws IOException, InterruptedException {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        double entries = 0;
        Map<String, Double> byStore = new HashMap<>();
        Matcher m = ENTRIES.matcher(metrics);
        while (m.find()) {
            double value = Double.parseDouble(m.group(2));
            entries += value;
            Matcher store = STORE.matcher(m.group(1));
            if (store.find()) {
                byStore.merge(store.group(1), value, Double::sum);
            }
        }
        double dedup = byStore.getOrDefault(DEDUP_STORE, 0.0);
        // at most one entry per event id of the window: the events produced so far, capped at window x rate
        long dedupBound = Math.min(produced, DEDUP_WINDOW_SECONDS * RATE);
        Matcher p99 = P99.matcher(metrics);
        double p99Ms = p99.find() && !"NaN".equals(p99.group(1)) ? Double.parseDouble(p99.group(1)) * 1000 : Double.NaN;
        // the processor's committed input offsets (the raw topic has no transaction markers, so offsets count records)
        long processed = consumer.committed(new java.util.HashSet<>(DetectBenchKafka.partitions(consumer, Topics.CLOUDTRAIL_RAW)))
            .values().stream().filter(java.util.Objects::nonNull).mapToLong(o -> o.offset()).sum();
        // the stores share one cache (BoundedRocksDbMemory): each reports its usage, so the largest is the whole cache's
        double rocks = 0;
        for (Matcher c = CACHE_USAGE.matcher(metrics); c.find(); ) {
            rocks = Math.max(rocks, Double.parseDouble(c.group(1)));
        }
        out.printf(Locale.ROOT, "%6d %10d %10d %8d %8d %9.0f %12.0f %12.0f %12d %12.0f", minute, produced, processed,
            heapUsed(processor.pid()) >> 20, processor.residentBytes() >> 20, rocks / 1048576, entries, dedup, dedupBound,
            entries - dedup);
        STORE_COLUMNS.forEach(store -> out.printf(Locale.ROOT, " %11.0f", byStore.getOrDefault(store, Double.NaN)));
        out.printf(Locale.ROOT, " %10.1f%n", p99Ms);
        out.flush();
    }

    /** A consumer that only reads the processor's committed offsets (its group id, never subscribing or committing). */
    private static KafkaConsumer<byte[], byte[]> groupReader(String bootstrap) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", APPLICATION_ID, "enable.auto.commit", false),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }

    /** Heap in use of {@code pid} as {@code jcmd GC.heap_info} reports it, or -1. */
    private static long heapUsed(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = USED.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private FaultBenchProcess processor(String bootstrap, int port) throws IOException {
        Map<String, String> own = new HashMap<>();
        own.put(StreamProcessorConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        own.put(StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        own.put(StreamProcessorConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        own.put(StreamProcessorConfig.STATE_DIR_CONFIG, Files.createTempDirectory("trailhound-soak-state-").toString());
        own.put(StreamProcessorConfig.HTTP_PORT_CONFIG, Integer.toString(port));
        own.put(StreamProcessorConfig.SIGNING_REQUIRED_CONFIG, "false");
        own.putAll(settings);
        return new FaultBenchProcess("soak-stream-processor", StreamProcessorApp.class.getName(), own, List.of("-Xmx512m"),
            environment);
    }
}
