package io.trailhound.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import io.trailhound.access.AccessSummary;
import io.trailhound.access.Confidence;
import io.trailhound.access.PathStep;
import io.trailhound.avro.Alert;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.topology.DetectionMetrics;
import io.trailhound.detect.topology.DetectionTopology;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.serde.SchemaRegistryClient;
import io.trailhound.testkit.EmbeddedKafkaBroker;
import io.trailhound.testkit.RunningKafkaBroker;
import io.trailhound.testkit.SchemaRegistryProcess;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * The per-alert enrichment part of {@code trailhound bench access} (#15): the production detection topology on one in-JVM
 * KRaft broker and schema registry, with the access stage and the alert enrichment on ({@code trailhound.access.enabled}) and
 * off, under the same offered load of {@code bench detect}'s generated trail. Every principal of the trail has an access
 * summary on {@code trailhound.access.summaries} (three reachable administrator roles, a path, cross-account paths), so every
 * alert of the enriched runs is stamped. Each run is a new application that is first primed (records until it writes
 * events, then until it is quiet: its start-up is not measured), then offered the same records (the trail and the load's
 * choices are seeded alike in every run); the runs alternate (off, on; then on, off; ...) after an unmeasured warm-up, and
 * the detection latency (raw record appended to alert readable) of each variant is pooled over its runs.
 */
final class AccessBenchEnrichment {

    /**
     * Latencies of one variant pooled over its runs, how many alerts it wrote and how many carried a summary, and the CPU time
     * of its client threads (stream, producer, consumer) during the measured loads.
     */
    record Variant(long[] millis, long alerts, long enriched, long offered, long unmatched, long cpuNanos) {
        double p(double quantile) {
            return DetectBenchLoad.percentile(millis, quantile);
        }

        double cpuMicrosPerRecord() {
            return offered == 0 ? Double.NaN : cpuNanos / 1000.0 / offered;
        }
    }

    /** Both variants, and the run's shape. */
    record Result(Variant off, Variant on, int principals, int rate, int seconds, int rounds) {
        double addedP99() {
            return on.p(0.99) - off.p(0.99);
        }
    }

    private final int principals;
    private final int rate;
    private final int seconds;
    private final int rounds;
    private final double suspicious;
    private final PrintWriter err;
    private static final Duration PRIME_TIMEOUT = Duration.ofMinutes(5);
    private static final long QUIET_MILLIS = 2000;

    AccessBenchEnrichment(int principals, int rate, int seconds, int rounds, double suspicious, PrintWriter err) {
        this.principals = principals;
        this.rate = rate;
        this.seconds = seconds;
        this.rounds = rounds;
        this.suspicious = suspicious;
        this.err = err;
    }

    Result run() throws Exception {
        log("starting an in-JVM KRaft broker and a schema registry");
        try (RunningKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of());
             SchemaRegistryProcess registry = SchemaRegistryProcess.start()) {
            Map<String, Object> serdeConfigs = Map.of(StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
            SchemaRegistryClient client = SchemaRegistryClient.create(serdeConfigs);
            Topics topics = new Topics(client, serdeConfigs);
            createTopics(broker, topics);
            DetectBenchTrail trail = new DetectBenchTrail(principals, 42);
            writeSummaries(broker.bootstrapServers(), trail.principalArns());
            Runs runs = new Runs(broker, registry.url(), client, serdeConfigs, topics);
            runs.measure("warmup", true, Math.max(5, seconds / 2));
            List<DetectBenchLoad.Result> off = new ArrayList<>();
            List<DetectBenchLoad.Result> on = new ArrayList<>();
            // per variant: alerts, alerts with a summary, CPU nanoseconds
            AtomicLong[] offCounts = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
            AtomicLong[] onCounts = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
            for (int round = 0; round < rounds; round++) {
                // off first in even rounds, on first in odd ones: neither variant always follows the other
                boolean onFirst = round % 2 == 1;
                for (boolean enrich : onFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    DetectBenchLoad.Result result = runs.measure((enrich ? "on-" : "off-") + round, enrich, seconds,
                        enrich ? onCounts : offCounts);
                    (enrich ? on : off).add(result);
                }
            }
            return new Result(pooled(off, offCounts), pooled(on, onCounts), trail.principals(), rate, seconds, rounds);
        }
    }

    private static Variant pooled(List<DetectBenchLoad.Result> results, AtomicLong[] counts) {
        long[] millis = results.stream().flatMapToLong(r -> LongStream.of(r.visibleMillis())).sorted().toArray();
        return new Variant(millis, counts[0].get(), counts[1].get(), results.stream().mapToLong(DetectBenchLoad.Result::offered).sum(),
            results.stream().mapToLong(DetectBenchLoad.Result::unmatched).sum(), counts[2].get());
    }

    /** The detection applications of one benchmark broker. */
    private final class Runs {
        private final RunningKafkaBroker broker;
        private final String registryUrl;
        private final SchemaRegistryClient client;
        private final Map<String, Object> serdeConfigs;
        private final Topics topics;
        /** The priming records' trail: the same principals, other records than the measured ones. */
        private final DetectBenchTrail primer = new DetectBenchTrail(principals, 1042);

        Runs(RunningKafkaBroker broker, String registryUrl, SchemaRegistryClient client, Map<String, Object> serdeConfigs, Topics topics) {
            this.broker = broker;
            this.registryUrl = registryUrl;
            this.client = client;
            this.serdeConfigs = serdeConfigs;
            this.topics = topics;
        }

        DetectBenchLoad.Result measure(String name, boolean enrich, int runSeconds) throws InterruptedException {
            return measure(name, enrich, runSeconds, new AtomicLong[] {new AtomicLong(), new AtomicLong(), new AtomicLong()});
        }

        /**
         * A new application (its own id, state and lineage topic, reading from the end) under the load; adds its alerts, those
         * with a summary and its CPU time during the load to {@code counts}.
         */
        DetectBenchLoad.Result measure(String name, boolean enrich, int runSeconds, AtomicLong[] counts) throws InterruptedException {
            String bootstrap = broker.bootstrapServers();
            DetectBenchApp.Settings settings = new DetectBenchApp.Settings(bootstrap, StreamsConfig.EXACTLY_ONCE_V2, 1, 100, "latest",
                Map.of());
            try (DetectBenchApp app = new DetectBenchApp("trailhound-bench-access-" + name, topology(name, enrich), settings).start()) {
                prime(app);
                DetectBenchTrail trail = new DetectBenchTrail(principals, 42);
                long cpu = app.cpuNanos();
                DetectBenchLoad.Result result = new DetectBenchLoad(bootstrap, trail, Topics.CLOUDTRAIL_RAW, rate,
                    Duration.ofSeconds(runSeconds), suspicious).run(Topics.ALERTS, record -> eventIds(record, counts[0], counts[1]), app);
                cpu = app.cpuNanos() - cpu;
                counts[2].addAndGet(cpu);
                log("%s (enrichment %s): %d offered, %d alerts, p50 %.0f ms, p99 %.0f ms, %.0f us CPU per record", name,
                    enrich ? "on" : "off", result.offered(), result.outputs(), result.visible(0.5), result.visible(0.99),
                    cpu / 1000.0 / Math.max(1, result.offered()));
                return result;
            }
        }

        /**
         * Writes a few records at a time until {@code app} writes events, then waits until it wrote nothing for two seconds:
         * what follows measures a running application, not its start.
         */
        private void prime(DetectBenchApp app) {
            String bootstrap = broker.bootstrapServers();
            Map<TopicPartition, Long> from = DetectBenchKafka.endOffsets(bootstrap, Topics.EVENTS);
            long deadline = System.currentTimeMillis() + PRIME_TIMEOUT.toMillis();
            try (KafkaProducer<String, byte[]> producer = DetectBenchKafka.producer(bootstrap);
                 KafkaConsumer<byte[], byte[]> consumer = DetectBenchKafka.consumer(bootstrap)) {
                consumer.assign(from.keySet());
                from.forEach(consumer::seek);
                long seen = 0;
                long lastSeen = 0;
                while (seen == 0 || System.currentTimeMillis() - lastSeen < QUIET_MILLIS) {
                    app.checkAlive();
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException(app.applicationId() + " wrote no events within " + PRIME_TIMEOUT);
                    }
                    if (seen == 0) {
                        for (int i = 0; i < 20; i++) {
                            producer.send(DetectBenchKafka.record(Topics.CLOUDTRAIL_RAW, primer.ordinary(Instant.now()), false));
                        }
                        producer.flush();
                    }
                    int read = consumer.poll(Duration.ofMillis(250)).count();
                    seen += read;
                    lastSeen = read > 0 ? System.currentTimeMillis() : lastSeen;
                }
            }
        }

        private List<String> eventIds(ConsumerRecord<byte[], byte[]> record, AtomicLong alerts, AtomicLong enriched) {
            Alert alert = topics.alerts().valueSerde().deserializer().deserialize(Topics.ALERTS, record.value());
            alerts.incrementAndGet();
            enriched.addAndGet(alert.getAccessSummary() == null ? 0 : 1);
            return alert.getEventIds();
        }

        /** The production detection topology (built-in rules, defaults), enrichment on or off, with its own lineage topic. */
        private Topology topology(String name, boolean enrich) {
            String lineage = Topics.LINEAGE + ".bench-access-" + name;
            broker.createTopic(lineage, topics.lineage().partitions(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            RuleCatalog catalog = RuleCatalog.builtIn();
            StreamProcessorConfig config = new StreamProcessorConfig(Map.of(
                StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl,
                StreamProcessorConfig.LINEAGE_TOPIC_CONFIG, lineage,
                StreamProcessorConfig.ACCESS_ENABLED_CONFIG, Boolean.toString(enrich)), catalog);
            return DetectionTopology.build(config, catalog, topics, client, serdeConfigs, DetectionMetrics.none());
        }
    }

    /** Every Trailhound topic, the alert topics with broker append time (as {@code bench detect} makes them). */
    private static void createTopics(RunningKafkaBroker broker, Topics topics) {
        for (Topic<?, ?> topic : topics.all()) {
            Map<String, String> config = new HashMap<>(topic.config());
            if (List.of(Topics.EVENTS, Topics.ALERTS, Topics.SIGNALS).contains(topic.name())) {
                config.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
            }
            broker.createTopic(topic.name(), topic.partitions(), config);
        }
    }

    /**
     * One summary per principal, as the access stage publishes them: administrator-equivalent through a role of another
     * account, three reachable administrator roles, two other accounts with their paths.
     */
    private static void writeSummaries(String bootstrap, List<String> arns) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            long epoch = Instant.now().minusSeconds(3600).toEpochMilli();
            for (int i = 0; i < arns.size(); i++) {
                producer.send(new ProducerRecord<>(Topics.ACCESS_SUMMARIES, arns.get(i), summary(arns.get(i), i, epoch).toJson()));
            }
            producer.flush();
        }
    }

    static AccessSummary summary(String arn, int index, long epoch) {
        String account = arn.split(":")[4];
        List<String> others = List.of(String.format(Locale.ROOT, "9%011d", index % 50), String.format(Locale.ROOT, "8%011d", index % 50));
        List<String> admins = others.stream().map(a -> "arn:aws:iam::" + a + ":role/OrganizationAccountAccessRole").toList();
        List<String> top = List.of(admins.get(0), admins.get(1), "arn:aws:iam::" + account + ":role/ops/PlatformAdmin");
        List<PathStep> path = List.of(new PathStep(arn, admins.get(0), "sts:AssumeRole (trust of " + admins.get(0) + ")", "assume-role",
            Confidence.DEFINITE));
        Map<String, List<PathStep>> cross = new HashMap<>();
        for (int i = 0; i < others.size(); i++) {
            cross.put(others.get(i), List.of(new PathStep(arn, admins.get(i), "sts:AssumeRole", "assume-role", Confidence.DEFINITE)));
        }
        List<String> accounts = new ArrayList<>(others);
        accounts.add(account);
        String[] sorted = accounts.toArray(String[]::new);
        Arrays.sort(sorted);
        return new AccessSummary(arn, true, "DEFINITE", path, List.of(sorted), 60 + index % 40, top, epoch, cross);
    }

    private void log(String format, Object... args) {
        err.println("bench access: " + String.format(Locale.ROOT, format, args));
        err.flush();
    }
}
