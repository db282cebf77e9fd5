package io.trailhound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;

import io.trailhound.detect.topology.StreamProcessorApp;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.testkit.EmbeddedKafkaBroker;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * The detection scenarios of {@code trailhound bench faults}: a fresh in-JVM broker, every Trailhound topic, the known input
 * written to the raw CloudTrail topic, then the live stream processor ({@link StreamProcessorApp}, exactly-once, dead-letter
 * handlers) as its own JVM; a fault is injected once 30% of the input is processed, and the output is read committed until
 * everything expected arrived or nothing more comes.
 */
final class FaultBenchDetect {

    /** What goes wrong mid-stream. */
    enum Fault { NONE, BROKER_RESTART, PROCESSOR_KILL, REGISTRY_DOWN }

    /** The outcome of one run, before the scenario's own condition is judged. */
    record Run(long eventsIn, long valid, long junk, FaultBenchOutput output, long recoverMillis, long faultStart, long faultEnd) {
    }

    private static final Duration STALL = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final double FAULT_AT = 0.3;
    static final Duration REGISTRY_OUTAGE = Duration.ofSeconds(30);

    private final FaultBenchRegistry registry;
    private final PrintWriter err;
    private final Duration outage;
    private final boolean staticMembership;

    FaultBenchDetect(FaultBenchRegistry registry, Duration outage, boolean staticMembership, PrintWriter err) {
        this.registry = registry;
        this.outage = outage;
        this.staticMembership = staticMembership;
        this.err = err;
    }

    /** Runs the processor over {@code input} with {@code fault}; the caller closes the run's output. */
    Run run(String scenario, List<FaultBenchInput.Raw> input, Fault fault) throws Exception {
        long junk = input.stream().filter(FaultBenchInput.Raw::junk).count();
        long valid = input.size() - junk;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of())) {
            Topics topics = new Topics(Map.of(StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url()));
            createTopics(broker, topics);
            produce(broker.bootstrapServers(), input);
            log("%s: %d records written to %s (%d junk), starting the stream processor", scenario, input.size(), Topics.CLOUDTRAIL_RAW,
                junk);
            FaultBenchOutput output = new FaultBenchOutput(broker.bootstrapServers(), topics.alerts().valueSerde().deserializer());
            try (FaultBenchProcess processor = processor(broker.bootstrapServers())) {
                processor.start();
                long[] window = {-1, -1};
                await(scenario, output, valid, junk, () -> {
                    window[0] = System.currentTimeMillis();
                    window[1] = inject(fault, broker, processor);
                }, processor);
                return new Run(input.size(), valid, junk, output, window[1] < 0 ? -1 : output.firstEventAfter(window[1]), window[0],
                    window[1]);
            } catch (Exception | Error e) {
                output.close();
                throw e;
            }
        }
    }

    /** Injects the fault. */
    private interface Injection {
        void inject() throws Exception;
    }

    private long inject(Fault fault, EmbeddedKafkaBroker broker, FaultBenchProcess processor) throws Exception {
        switch (fault) {
            case BROKER_RESTART -> {
                log("stopping the broker for %d s", outage.toSeconds());
                broker.stopBroker();
                Thread.sleep(outage.toMillis());
                broker.startBrokerAgain();
                log("broker back");
            }
            case PROCESSOR_KILL -> {
                log("kill -9 of the stream processor, then starting it again");
                processor.kill();
                processor.start();
            }
            case REGISTRY_DOWN -> {
                log("stopping the schema registry for %d s", REGISTRY_OUTAGE.toSeconds());
                int moved = registry.down(REGISTRY_OUTAGE);
                log("registry back (%d schemas restored with another id)", moved);
            }
            default -> {
                return -1;
            }
        }
        return System.currentTimeMillis();
    }

    private void await(String scenario, FaultBenchOutput output, long valid, long junk, Injection injection,
                       FaultBenchProcess processor) throws Exception {
        boolean injected = false;
        long lastProgress = System.currentTimeMillis();
        long seen = 0;
        while (output.events() < valid || output.deadLetters() < junk) {
            output.poll(Duration.ofMillis(200));
            processor.checkAlive();
            long now = output.events() + output.deadLetters() + output.alertKeys().size();
            if (now > seen) {
                seen = now;
                lastProgress = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - lastProgress > STALL.toMillis()) {
                log("%s: no more output for %d s (%d of %d events, %d of %d dead letters)", scenario, STALL.toSeconds(),
                    output.events(), valid, output.deadLetters(), junk);
                break;
            }
            if (!injected && output.events() >= valid * FAULT_AT) {
                injected = true;
                injection.inject();
                lastProgress = System.currentTimeMillis();
            }
        }
        long settle = System.currentTimeMillis() + SETTLE.toMillis();
        while (System.currentTimeMillis() < settle) {
            output.poll(Duration.ofMillis(200));
        }
    }

    private FaultBenchProcess processor(String bootstrap) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put(StreamProcessorConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        settings.put(StreamProcessorConfig.APPLICATION_ID_CONFIG, "trailhound-bench-faults");
        settings.put(StreamProcessorConfig.STATE_DIR_CONFIG, Files.createTempDirectory("trailhound-faults-state-").toString());
        settings.put(StreamProcessorConfig.HTTP_PORT_CONFIG, "0");
        settings.put(StreamProcessorConfig.MAX_RECORD_BYTES_CONFIG, Integer.toString(FaultBenchInput.MAX_RECORD_BYTES));
        // the bench reads the alerts itself; no responder checks their signatures here
        settings.put(StreamProcessorConfig.SIGNING_REQUIRED_CONFIG, "false");
        settings.put("consumer.auto.offset.reset", "earliest");
        if (staticMembership) {
            // as the StatefulSet's pods (group.instance.id = pod name, the same after a restart): the restarted process takes
            // its tasks back when it joins, instead of after the killed member's session timeout
            settings.put("group.instance.id", "bench-stream-processor-0");
        }
        return new FaultBenchProcess("stream-processor", StreamProcessorApp.class.getName(), settings,
            List.of("-Xmx512m"), Map.of());
    }

    /** Every Trailhound topic as {@code trailhound topics --create} makes it, with broker append time where the bench measures. */
    static void createTopics(EmbeddedKafkaBroker broker, Topics topics) {
        List<String> appendTimed = List.of(Topics.EVENTS, Topics.ALERTS, Topics.SIGNALS, Topics.DEADLETTER, Topics.ACTIONS);
        for (Topic<?, ?> topic : topics.all()) {
            Map<String, String> config = new HashMap<>(topic.config());
            if (appendTimed.contains(topic.name())) {
                config.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
            }
            broker.createTopic(topic.name(), topic.partitions(), config);
        }
    }

    private static void produce(String bootstrap, List<FaultBenchInput.Raw> input) throws InterruptedException {
        try (KafkaProducer<String, byte[]> producer = DetectBenchKafka.producer(bootstrap)) {
            java.util.concurrent.Future<?> last = null;
            for (FaultBenchInput.Raw raw : input) {
                // one partition, as the records of one CloudTrail file: the processor sees them in the order given
                last = producer.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, 0, raw.key(), raw.value()));
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the input: " + e.getCause(), e.getCause());
        }
    }

    private void log(String format, Object... args) {
        err.println("bench faults: " + String.format(Locale.ROOT, format, args));
        err.flush();
    }
}
