package io.trailhound.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

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
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound bench detect}: the detection topology on a real (in-JVM KRaft) broker and a real schema registry, next to
 * an identity Kafka Streams topology (raw → copy) over the same records in the same run; detection latency at a fixed
 * offered load next to the identity topology's under the same load; bytes of state per principal.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = {"Detection topology events/s next to an identity Kafka Streams topology (same broker, run and records),",
        "detection latency p50/p99 at a fixed offered load, and bytes of state per principal, against issue #4's targets."})
final class DetectBench implements Callable<Integer> {

    static final String COPY_TOPIC = "trailhound.bench.identity.copy";
    static final String SHAPE_TOPIC = "trailhound.bench.shape.copy";
    static final String KEYED_SHAPE_TOPIC = "trailhound.bench.keyed-shape.copy";
    static final double TARGET_THROUGHPUT_RATIO = 0.5;
    static final double TARGET_P99_MILLIS = 250;
    static final double TARGET_BYTES_PER_PRINCIPAL = 2048;
    private static final Duration OUTPUT_TIMEOUT = Duration.ofMinutes(10);

    @Spec
    private CommandSpec spec;

    @Option(names = "--principals", defaultValue = "2000", description = "Users and roles in the history (default: ${DEFAULT-VALUE}).")
    private int principals;

    @Option(names = "--events", defaultValue = "150000",
        description = "Raw records in the throughput run, spread over --history-days (default: ${DEFAULT-VALUE}).")
    private int events;

    @Option(names = "--history-days", defaultValue = "10",
        description = "Event-time span of the history; longer than the 7-day learning period (default: ${DEFAULT-VALUE}).")
    private int historyDays;

    @Option(names = "--rate", defaultValue = "5000",
        description = "Offered load of the latency runs, events/s (default: ${DEFAULT-VALUE}).")
    private int rate;

    @Option(names = "--latency-seconds", defaultValue = "30", description = "Duration of each latency run (default: ${DEFAULT-VALUE}).")
    private int latencySeconds;

    @Option(names = "--rate-steps", split = ",", defaultValue = "2500,7500,10000,15000", paramLabel = "RATE",
        description = "Further offered loads, events/s, run in increasing order on the same detection application after the "
            + "--rate run, until one misses the p99 target: the highest load with p99 under it is reported; 0 for none "
            + "(default: ${DEFAULT-VALUE}).")
    private List<Integer> rateSteps = new ArrayList<>();

    @Option(names = "--warmup-seconds", defaultValue = "5",
        description = "Unmeasured load at the same rate just before each latency run, so that a figure is the application's "
            + "steady state at that rate rather than its first seconds after a restart or a change of load; 0 to measure from "
            + "the start (default: ${DEFAULT-VALUE}).")
    private int warmupSeconds;

    @Option(names = "--warmup-events", defaultValue = "-1",
        description = "Events the unmeasured detection warm-up writes before the throughput runs, under the guarantee they measure; "
            + "-1 (the default) for all of --events: a shorter warm-up leaves the JIT compiler compiling detection code through the "
            + "measured run (about 0.6 of a core on 2 cores with 60,000 events).")
    private long warmupEvents;

    @Option(names = "--rounds", defaultValue = "3",
        description = "Throughput rounds under exactly_once_v2: after the first, each round runs the identity and then the detection "
            + "topology again as new applications over the same records; the verdict takes the median of the rounds' ratios, as "
            + "one run's ratio moves by up to half on a 2-core machine shared with the broker and the JIT (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--step-seconds", defaultValue = "15", description = "Duration of each --rate-steps run (default: ${DEFAULT-VALUE}).")
    private int stepSeconds;

    @Option(names = "--suspicious-fraction", defaultValue = "0.01",
        description = "Fraction of offered events that raise an alert (default: ${DEFAULT-VALUE}).")
    private double suspiciousFraction;

    @Option(names = "--threads", defaultValue = "1",
        description = "Stream threads of every application, as num.stream.threads (default: ${DEFAULT-VALUE}, production's).")
    private int threads;

    @Option(names = "--commit-interval-ms", defaultValue = "100",
        description = "commit.interval.ms of every application (default: ${DEFAULT-VALUE}, StreamProcessorConfig's).")
    private long commitIntervalMs;

    @Option(names = "--at-least-once", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Also measure both topologies under at_least_once (default: ${DEFAULT-VALUE}).")
    private boolean atLeastOnce;

    @Option(names = "--streams-config", paramLabel = "KEY=VALUE",
        description = "Extra Kafka Streams setting for every application, identity and detection alike (repeatable), e.g. "
            + "max.task.idle.ms=-1; production passes such keys through from its properties file.")
    private Map<String, String> streamsConfig = new HashMap<>();

    @Option(names = "--registry-url", description = "Use this registry instead of starting one (Confluent API base URL).")
    private String registryUrl;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter err = spec.commandLine().getErr();
        err.printf("bench detect: starting an in-JVM KRaft broker%s%n", registryUrl == null ? " and a schema registry" : "");
        err.flush();
        try (RunningKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of())) {
            if (registryUrl != null) {
                return new DetectBenchRun(this, broker, registryUrl).run();
            }
            try (SchemaRegistryProcess registry = SchemaRegistryProcess.start()) {
                return new DetectBenchRun(this, broker, registry.url()).run();
            }
        }
    }

    private void validate() {
        if (principals < 1 || events < principals || historyDays < 1 || rate < 1 || latencySeconds < 1 || threads < 1
            || warmupSeconds < 0 || warmupEvents < -1 || commitIntervalMs < 1 || suspiciousFraction < 0 || suspiciousFraction > 1
            || stepSeconds < 1 || rounds < 1
            || rateSteps.stream().anyMatch(r -> r < 0)) {
            throw new ParameterException(spec.commandLine(), "need --principals >= 1, --events >= --principals, --history-days, "
                + "--rate, --latency-seconds, --threads, --commit-interval-ms, --step-seconds >= 1, --warmup-seconds, "
                + "--warmup-events >= -1, --rate-steps >= 0 and "
                + "0 <= --suspicious-fraction <= 1");
        }
    }

    /** One benchmark run on one broker and registry: every phase, then the table. */
    private static final class DetectBenchRun {

        private final DetectBench options;
        private final RunningKafkaBroker broker;
        private final String bootstrap;
        private final String registryUrl;
        private final Map<String, Object> serdeConfigs;
        private final SchemaRegistryClient client;
        private final Topics topics;
        private final PrintWriter err;
        private DetectBenchReport report;

        DetectBenchRun(DetectBench options, RunningKafkaBroker broker, String registryUrl) {
            this.options = options;
            this.broker = broker;
            this.bootstrap = broker.bootstrapServers();
            this.registryUrl = registryUrl;
            this.serdeConfigs = Map.of(StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
            this.client = SchemaRegistryClient.create(serdeConfigs);
            this.topics = new Topics(client, serdeConfigs);
            this.err = options.spec.commandLine().getErr();
        }

        int run() throws InterruptedException {
            createTopics();
            DetectBenchTrail trail = new DetectBenchTrail(options.principals, 42);
            Instant now = Instant.now();
            List<DetectBenchTrail.Event> history = trail.history(options.events, now.minusSeconds(60),
                Duration.ofDays(options.historyDays));
            long bytes = history.stream().mapToLong(e -> e.json().length).sum();
            log("writing %d raw CloudTrail records (%d principals, mean %d B) to %s", history.size(), trail.principals(),
                bytes / history.size(), Topics.CLOUDTRAIL_RAW);
            DetectBenchKafka.produce(bootstrap, Topics.CLOUDTRAIL_RAW, history);

            String eos = StreamsConfig.EXACTLY_ONCE_V2;
            String alos = StreamsConfig.AT_LEAST_ONCE;
            report = new DetectBenchReport(options.events, trail.principals(), options.rate, options.latencySeconds);
            report.warmupSeconds = options.warmupSeconds;
            // warm-up (not counted): the JIT compiles the Kafka Streams and client paths both topologies share, then the
            // detection code, under the guarantee measured (transactions have their own paths); with 60,000 events the compiler
            // threads still took 0.6 of a core through the measured detection run
            String warmGuarantee = options.atLeastOnce ? alos : eos;
            throughput("warmup", identity(), warmGuarantee, COPY_TOPIC);
            warmUp(detection("warmup"), warmGuarantee);
            if (options.atLeastOnce) {
                warmUp(detection("warmup-eos"), eos);
            }
            if (options.atLeastOnce) {
                report.identityAlos = throughput("identity-alos", identity(), alos, COPY_TOPIC).perSecond();
                report.detectAlos = throughput("detect-alos", detection("alos"), alos, Topics.EVENTS).perSecond();
            }
            report.identityEos = throughput("identity-eos", identity(), eos, COPY_TOPIC).perSecond();
            report.shapeEos = throughput("shape-eos", DetectBenchApp.shape(Topics.CLOUDTRAIL_RAW, SHAPE_TOPIC), eos, SHAPE_TOPIC)
                .perSecond();
            report.keyedShapeEos = throughput("keyed-shape-eos", DetectBenchApp.keyedShape(Topics.CLOUDTRAIL_RAW, KEYED_SHAPE_TOPIC, false),
                eos, KEYED_SHAPE_TOPIC).perSecond();
            report.keyedParseEos = throughput("keyed-parse-eos", DetectBenchApp.keyedShape(Topics.CLOUDTRAIL_RAW, KEYED_SHAPE_TOPIC, true),
                eos, KEYED_SHAPE_TOPIC).perSecond();
            try (DetectBenchApp detect = app("detect-eos", detection("eos"), eos, "earliest")) {
                report.detectEos = measureThroughput(detect, Topics.EVENTS).perSecond();
                detect.stop();
                report.stores = DetectBenchState.measure(bootstrap, detect);
                detect.restart();
                log("detection latency: %d events/s for %d s, %.1f%% suspicious", options.rate, options.latencySeconds,
                    options.suspiciousFraction * 100);
                warmUpLoad(trail, options.rate, Topics.ALERTS, this::alertEventIds, detect);
                report.detectLatency = load(trail, options.rate, options.latencySeconds).run(Topics.ALERTS, this::alertEventIds,
                    detect);
                rateSteps(trail, detect);
            }
            try (DetectBenchApp identity = app("identity-latency", identity(), eos, "latest").start()) {
                log("identity latency: %d events/s for %d s", options.rate, options.latencySeconds);
                warmUpLoad(trail, options.rate, COPY_TOPIC, r -> List.of(DetectBenchKafka.eventId(r)), identity);
                report.identityLatency = load(trail, options.rate, options.latencySeconds)
                    .run(COPY_TOPIC, r -> List.of(DetectBenchKafka.eventId(r)), identity);
            }
            report.eosRounds.add(new double[] {report.identityEos, report.detectEos});
            for (int round = 2; round <= options.rounds; round++) {
                double identityRate = throughput("identity-eos-" + round, identity(), eos, COPY_TOPIC).perSecond();
                double detectRate = throughput("detect-eos-" + round, detection("eos-" + round), eos, Topics.EVENTS).perSecond();
                report.eosRounds.add(new double[] {identityRate, detectRate});
            }
            report.print(options.spec.commandLine().getOut());
            return 0;
        }

        private DetectBenchLoad load(DetectBenchTrail trail, int rate, int seconds) {
            return new DetectBenchLoad(bootstrap, trail, Topics.CLOUDTRAIL_RAW, rate, Duration.ofSeconds(seconds),
                options.suspiciousFraction);
        }

        /**
         * The {@code --rate-steps} loads in increasing order on the running detection application, each after the previous
         * one drained, until one misses the p99 target or is not offered at its rate (the writer fell behind).
         */
        private void rateSteps(DetectBenchTrail trail, DetectBenchApp detect) throws InterruptedException {
            List<Integer> steps = options.rateSteps.stream().filter(r -> r > 0).sorted().distinct().toList();
            for (int stepRate : steps) {
                log("detection latency step: %d events/s for %d s", stepRate, options.stepSeconds);
                warmUpLoad(trail, stepRate, Topics.ALERTS, this::alertEventIds, detect);
                DetectBenchLoad.Result step = load(trail, stepRate, options.stepSeconds).run(Topics.ALERTS, this::alertEventIds,
                    detect);
                report.steps.put(stepRate, step);
                if (!DetectBenchReport.meetsLatencyTarget(step, stepRate)) {
                    break;
                }
            }
        }

        /** {@code --warmup-seconds} of load at {@code rate} on {@code app}, not measured (see the option). */
        private void warmUpLoad(DetectBenchTrail trail, int rate, String outputTopic,
                            Function<ConsumerRecord<byte[], byte[]>, List<String>> eventIds, DetectBenchApp app)
            throws InterruptedException {
            if (options.warmupSeconds > 0) {
                load(trail, rate, options.warmupSeconds).run(outputTopic, eventIds, app);
            }
        }

        private List<String> alertEventIds(ConsumerRecord<byte[], byte[]> record) {
            Alert alert = topics.alerts().valueSerde().deserializer().deserialize(Topics.ALERTS, record.value());
            return alert.getEventIds();
        }

        private DetectBenchKafka.Output throughput(String name, Topology topology, String guarantee, String output)
            throws InterruptedException {
            try (DetectBenchApp app = app(name, topology, guarantee, "earliest")) {
                return measureThroughput(app, output);
            }
        }

        private DetectBenchApp app(String name, Topology topology, String guarantee, String reset) throws InterruptedException {
            DetectBenchApp.Settings settings = new DetectBenchApp.Settings(bootstrap, guarantee, options.threads,
                options.commitIntervalMs, reset, options.streamsConfig);
            return new DetectBenchApp("trailhound-bench-" + name, topology, settings);
        }

        /** Runs {@code topology} until it has written {@code --warmup-events} events (or all), and discards it. */
        private void warmUp(Topology topology, String guarantee) throws InterruptedException {
            if (options.warmupEvents == 0) {
                return;
            }
            try (DetectBenchApp app = app("warmup-detect-" + guarantee.replace('_', '-'), topology, guarantee, "earliest")) {
                Map<TopicPartition, Long> from = DetectBenchKafka.endOffsets(bootstrap, Topics.EVENTS);
                long started = System.currentTimeMillis();
                app.start();
                long count = options.warmupEvents < 0 ? options.events : Math.min(options.events, options.warmupEvents);
                DetectBenchKafka.Output result = DetectBenchKafka.awaitOutput(bootstrap, Topics.EVENTS, from, count, OUTPUT_TIMEOUT, app,
                    started);
                log("%s: %d records to %s (warm-up, not counted)", app.applicationId(), result.count(), Topics.EVENTS);
            }
        }

        private DetectBenchKafka.Output measureThroughput(DetectBenchApp app, String output) throws InterruptedException {
            Map<TopicPartition, Long> from = DetectBenchKafka.endOffsets(bootstrap, output);
            long started = System.currentTimeMillis();
            app.start();
            DetectBenchKafka.Output result = DetectBenchKafka.awaitOutput(bootstrap, output, from, options.events, OUTPUT_TIMEOUT, app,
                started);
            double cpuMicros = app.cpuNanos() / 1000.0 / result.count();
            if (report != null) {
                report.cpuMicrosPerEvent.put(app.applicationId().replace("trailhound-bench-", ""), cpuMicros);
            }
            log("%s: %d records to %s, %.0f records/s between first and last append (%.1f s from start), %.0f us CPU per record "
                + "in its client threads", app.applicationId(), result.count(), output, result.perSecond(), result.wallMillis() / 1000.0,
                cpuMicros);
            return result;
        }

        private Topology identity() {
            return DetectBenchApp.identity(Topics.CLOUDTRAIL_RAW, COPY_TOPIC);
        }

        /** The production detection topology (built-in rules, default settings) with its own lineage topic. */
        private Topology detection(String run) {
            String lineage = Topics.LINEAGE + ".bench-" + run;
            // compacted only, as StreamProcessorApp creates it when missing: the history's lineage records carry event times
            // older than the 2-day delete retention of Topics.lineage(), which the broker would drop under the global thread
            broker.createTopic(lineage, topics.lineage().partitions(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            RuleCatalog catalog = RuleCatalog.builtIn();
            StreamProcessorConfig config = new StreamProcessorConfig(Map.of(
                StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl,
                StreamProcessorConfig.LINEAGE_TOPIC_CONFIG, lineage), catalog);
            return DetectionTopology.build(config, catalog, topics, client, serdeConfigs, DetectionMetrics.none());
        }

        /** Every Trailhound topic as {@code trailhound topics --create} makes it, with broker append time where we measure. */
        private void createTopics() {
            // the raw topic keeps the producer's time, as in production: the connector stamps trail records with their log file's time
            List<String> appendTimed = List.of(Topics.EVENTS, Topics.ALERTS, Topics.SIGNALS);
            for (Topic<?, ?> topic : topics.all()) {
                Map<String, String> config = new HashMap<>(topic.config());
                if (appendTimed.contains(topic.name())) {
                    config.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
                }
                broker.createTopic(topic.name(), topic.partitions(), config);
            }
            for (String copy : List.of(COPY_TOPIC, SHAPE_TOPIC, KEYED_SHAPE_TOPIC)) {
                broker.createTopic(copy, topics.cloudTrailRaw().partitions(),
                    Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
            }
        }

        private void log(String format, Object... args) {
            err.println("bench detect: " + String.format(Locale.ROOT, format, args));
            err.flush();
        }
    }
}
