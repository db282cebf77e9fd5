package io.trailhound.detect.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.topology.DeadLetterHandler;
import io.trailhound.detect.topology.DetectionMetrics;
import io.trailhound.detect.topology.DetectionTopology;
import io.trailhound.detect.topology.StreamProcessorApp;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.detect.topology.TopicSetup;
import io.trailhound.serde.SchemaRegistryClient;
import io.trailhound.topic.ClientSettings;
import io.trailhound.topic.ReplayTopics;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * Replays the raw topics through the same detection topology as the live pipeline, under a fresh application id
 * {@code trailhound-replay-<id>}, from the earliest offsets, in mode REPLAY, writing only to the replay's topics
 * ({@link Topics#replay(String)}: events, lineage, alerts, signals, incidents, plus {@code trailhound.replay.<id>.deadletter}); it stops by
 * itself once it has processed everything up to the end offsets of the raw topics taken at start, removes its consumer group,
 * internal topics and local state, and returns counts. Alerts and incidents keep their live ids (they derive from the events).
 *
 * <pre>{@code
 * ReplayResult r = ReplayRun.run(Map.of("bootstrap.servers", "localhost:9092", "schema.registry.url", "http://localhost:8081"),
 *         "case-42", Instant.parse("2024-05-01T00:00:00Z"), null, Duration.ofMinutes(10));
 * }</pre>
 */
public final class ReplayRun {

    /** Application id prefix of replay runs. */
    public static final String APPLICATION_ID_PREFIX = "trailhound-replay-";

    private static final Logger LOG = LoggerFactory.getLogger(ReplayRun.class);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

    private ReplayRun() {
    }

    /**
     * Runs a replay to its end.
     *
     * @param settings stream-processor settings ({@code bootstrap.servers}, {@code schema.registry.url}, any
     *                 {@link StreamProcessorConfig} or Kafka Streams key); application id, mode and state directory are the replay's
     * @param replayId 1 to 100 letters, digits or hyphens, not used before (its alert topic must not exist)
     * @param from     first event time replayed, or null for the beginning
     * @param to       first event time no longer replayed, or null for no end
     * @param timeout  longest the run may take; on expiry it stops and returns {@code completed = false}
     * @throws IllegalArgumentException for a bad replay id or range, {@code IllegalStateException} for a used id or missing raw topics
     */
    public static ReplayResult run(Map<String, Object> settings, String replayId, Instant from, Instant to, Duration timeout) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("replay range is empty: from " + from + " is not before to " + to);
        }
        long started = System.nanoTime();
        RuleCatalog catalog = RuleCatalog.builtIn();
        Map<String, Object> all = new HashMap<>(settings);
        String applicationId = APPLICATION_ID_PREFIX + replayId;
        all.put(StreamProcessorConfig.APPLICATION_ID_CONFIG, applicationId);
        all.put(StreamProcessorConfig.MODE_CONFIG, "REPLAY");
        Path stateDir = tempDir();
        all.put(StreamProcessorConfig.STATE_DIR_CONFIG, stateDir.toString());
        StreamProcessorConfig config = new StreamProcessorConfig(all, catalog);
        Map<String, Object> serdeConfigs = new HashMap<>(ClientSettings.registry(all));
        serdeConfigs.put(StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG,
                config.getString(StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG));
        SchemaRegistryClient client = SchemaRegistryClient.create(serdeConfigs);
        Topics topics = new Topics(client, serdeConfigs);
        ReplayTopics replay = topics.replay(replayId);
        DetectionTopology.Sinks sinks = DetectionTopology.Sinks.replay(replay, from, to);
        Properties props = StreamProcessorApp.streamsProperties(all, config);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // a replay's undeserializable or unprocessable records go to its own dead-letter topic, never the live one
        DeadLetterHandler.install(props, sinks.deadLetter());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Map<String, Object> connection = new HashMap<>();
        props.forEach((k, v) -> connection.put(String.valueOf(k), v));
        try (Admin admin = Admin.create(ClientSettings.kafka(connection));
             KafkaConsumer<byte[], byte[]> probe = probe(connection)) {
            List<String> raw = List.of(topics.cloudTrailRaw().name(), topics.guardDutyRaw().name());
            checkUnused(admin, replay, raw);
            TopicSetup.ensure(connection, replayTopics(replay, sinks.deadLetter()));
            CaughtUp progress = new CaughtUp(admin, probe, applicationId);
            Map<TopicPartition, Long> ends = progress.endOffsets(raw);
            List<String> repartitions = DetectionTopology.REPARTITIONS.stream().map(r -> applicationId + "-" + r + "-repartition").toList();
            boolean completed;
            try (KafkaStreams streams = new KafkaStreams(DetectionTopology.build(config, catalog, topics, client, serdeConfigs,
                    new DetectionMetrics(meters), sinks), props)) {
                streams.start();
                completed = await(streams, progress, ends, repartitions, started + timeout.toNanos());
                streams.close();
            }
            long alerts = distinctKeys(probe, replay.alerts().name());
            long signals = distinctKeys(probe, replay.signals().name());
            long incidents = distinctKeys(probe, replay.incidents().name());
            cleanUp(admin, applicationId);
            ReplayResult result = new ReplayResult(replayId, applicationId, replay, sinks.deadLetter(),
                    count(meters, "event") + count(meters, "finding") + count(meters, "rejected"), count(meters, "rejected"),
                    alerts, signals, incidents, Duration.ofNanos(System.nanoTime() - started), completed);
            LOG.info("replay {}: {} records read, {} alerts, {} signals, {} incidents in {} (completed: {})", replayId,
                    result.recordsRead(), result.alerts(), result.signals(), result.incidents(), result.elapsed(), completed);
            return result;
        } catch (ExecutionException e) {
            throw new IllegalStateException("replay " + replayId + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay " + replayId + " interrupted", e);
        } finally {
            deleteQuietly(stateDir);
        }
    }

    private static boolean await(KafkaStreams streams, CaughtUp progress, Map<TopicPartition, Long> ends, List<String> repartitions,
                                 long deadline) throws ExecutionException, InterruptedException {
        while (System.nanoTime() < deadline) {
            Thread.sleep(CHECK_INTERVAL.toMillis());
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("replay topology stopped in state " + streams.state());
            }
            if (streams.state() == KafkaStreams.State.RUNNING && progress.check(ends, repartitions)) {
                return true;
            }
        }
        LOG.warn("replay timed out before reaching the end offsets {}", ends);
        return false;
    }

    private static void checkUnused(Admin admin, ReplayTopics replay, List<String> raw) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        if (existing.contains(replay.alerts().name())) {
            throw new IllegalStateException("replay id '" + replay.replayId() + "' was used before (" + replay.alerts().name()
                    + " exists); choose another id");
        }
        for (String topic : raw) {
            if (!existing.contains(topic)) {
                throw new IllegalStateException("raw topic " + topic + " does not exist; nothing to replay from");
            }
        }
    }

    private static List<NewTopic> replayTopics(ReplayTopics replay, String deadLetter) {
        List<NewTopic> out = new ArrayList<>();
        for (Topic<?, ?> t : List.of(replay.events(), replay.lineage(), replay.alerts(), replay.signals(), replay.incidents())) {
            out.add(new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty()).configs(t.config()));
        }
        out.add(new NewTopic(deadLetter, Optional.of(1), Optional.empty()));
        return out;
    }

    /** Distinct keys on {@code topic}, read-committed, from the beginning to its current end. */
    private static long distinctKeys(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Set<String> keys = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.key() != null) {
                    keys.add(new String(r.key(), StandardCharsets.UTF_8));
                }
            }
        }
        return keys.size();
    }

    private static void cleanUp(Admin admin, String applicationId) {
        try {
            List<String> internal = admin.listTopics().names().get().stream().filter(n -> n.startsWith(applicationId + "-")).toList();
            admin.deleteTopics(internal).all().get();
            admin.deleteConsumerGroups(List.of(applicationId)).all().get();
        } catch (ExecutionException e) {
            LOG.warn("could not remove the internal topics or group of {}: {}", applicationId, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static KafkaConsumer<byte[], byte[]> probe(Map<String, Object> connection) {
        Map<String, Object> p = ClientSettings.kafka(connection);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static long count(SimpleMeterRegistry meters, String outcome) {
        Counter c = meters.find("trailhound.records.normalized").tag("outcome", outcome).counter();
        return c == null ? 0 : (long) c.count();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("trailhound-replay");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the replay", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
