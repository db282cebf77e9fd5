package io.trailhound.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics by time without a consumer group: partitions are assigned, start offsets come from
 * {@code offsetsForTimes}, and each partition stops at a time or at the end offset it had when reading began. Nothing is
 * committed, so {@code tail}, {@code replay} and {@code report} never disturb anyone's offsets. Values stay bytes; callers
 * decode them, so one bad record is reported and skipped instead of failing the whole read.
 */
final class ReplayReader implements AutoCloseable {

    /** How long a metadata or offset lookup may take before the broker counts as unreachable. */
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private long recordsRead;

    ReplayReader(String bootstrapServers) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** A reader connecting with {@code connection}: bootstrap address and Kafka security settings. */
    ReplayReader(Map<String, Object> connection) {
        this.bootstrapServers = String.valueOf(connection.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
        Map<String, Object> config = new HashMap<>(connection);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "trailhound-cli-reader");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) LOOKUP_TIMEOUT.toMillis());
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) LOOKUP_TIMEOUT.toMillis());
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The message every command prints when the broker cannot be reached. */
    static String unreachableMessage(String address) {
        return "cannot reach Kafka at " + address + "; start one with ./trailhound demo --follow or set --bootstrap-server / "
            + "TRAILHOUND_BOOTSTRAP_SERVER";
    }

    /** The partitions of {@code topic}; empty when the topic does not exist. */
    List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, LOOKUP_TIMEOUT);
        } catch (TimeoutException e) {
            throw new Unreachable(bootstrapServers, e);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        if (infos != null) {
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return partitions;
    }

    /** Fails with {@link Unreachable} when no broker answers at the bootstrap address. */
    void checkReachable() {
        try {
            consumer.listTopics(LOOKUP_TIMEOUT);
        } catch (TimeoutException e) {
            throw new Unreachable(bootstrapServers, e);
        }
    }

    /** For each partition, the first offset whose record timestamp is at or after {@code time}, or the end offset if none is. */
    Map<TopicPartition, Long> offsetsAt(List<TopicPartition> partitions, Instant time) {
        try {
            lookingAt(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, time.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, LOOKUP_TIMEOUT);
            Map<TopicPartition, Long> end = endOffsets(partitions);
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp at = found.get(p);
                offsets.put(p, at == null ? end.get(p) : at.offset());
            }
            return offsets;
        } catch (TimeoutException e) {
            throw new Unreachable(bootstrapServers, e);
        }
    }

    /** The current end offsets (the offset the next record will get). */
    Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) {
        try {
            lookingAt(partitions);
            return consumer.endOffsets(partitions, LOOKUP_TIMEOUT);
        } catch (TimeoutException e) {
            throw new Unreachable(bootstrapServers, e);
        }
    }

    /** The first offsets still stored. */
    Map<TopicPartition, Long> beginningOffsets(List<TopicPartition> partitions) {
        try {
            lookingAt(partitions);
            return consumer.beginningOffsets(partitions, LOOKUP_TIMEOUT);
        } catch (TimeoutException e) {
            throw new Unreachable(bootstrapServers, e);
        }
    }

    /**
     * Reads every partition from its start offset up to (excluding) its stop offset and hands each record to {@code sink};
     * partitions whose start is at or after their stop are not read at all.
     */
    void readRange(Map<TopicPartition, Long> start, Map<TopicPartition, Long> stop, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        Map<TopicPartition, Long> remaining = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : start.entrySet()) {
            long until = stop.getOrDefault(e.getKey(), e.getValue());
            if (e.getValue() < until) {
                remaining.put(e.getKey(), until);
            }
        }
        consumer.assign(remaining.keySet());
        consumer.resume(remaining.keySet());
        remaining.keySet().forEach(p -> consumer.seek(p, start.get(p)));
        while (!remaining.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition p = new TopicPartition(record.topic(), record.partition());
                Long until = remaining.get(p);
                if (until == null || record.offset() >= until) {
                    continue;
                }
                recordsRead++;
                sink.accept(record);
                if (record.offset() + 1 >= until) {
                    finish(remaining, p);
                }
            }
            // a transaction marker or a compacted gap can sit at the stop offset: the position tells when we are past it
            for (TopicPartition p : List.copyOf(remaining.keySet())) {
                if (consumer.position(p, LOOKUP_TIMEOUT) >= remaining.get(p)) {
                    finish(remaining, p);
                }
            }
        }
        consumer.assign(List.of());
    }

    /** Reads {@code topic} from the records at or after {@code from} (or the beginning when null) to its current end. */
    void readToEnd(String topic, Instant from, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        List<TopicPartition> partitions = partitions(topic);
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> start = from == null ? beginningOffsets(partitions) : offsetsAt(partitions, from);
        readRange(start, endOffsets(partitions), sink);
    }

    /** Assigns the partitions at the given offsets, for following a topic with {@link #poll(Duration)}. */
    void follow(Map<TopicPartition, Long> start) {
        consumer.assign(start.keySet());
        start.forEach(consumer::seek);
    }

    /** The next records of the followed partitions. */
    Iterable<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
        var records = consumer.poll(timeout);
        recordsRead += records.count();
        return records;
    }

    /** Whether the followed partitions are read up to (excluding) the given offsets: markers and compacted gaps count as read. */
    boolean reached(Map<TopicPartition, Long> stop) {
        for (Map.Entry<TopicPartition, Long> e : stop.entrySet()) {
            if (consumer.position(e.getKey(), LOOKUP_TIMEOUT) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Makes a blocked {@link #poll(Duration)} return, from another thread (e.g. a shutdown hook). */
    void wakeup() {
        consumer.wakeup();
    }

    /** How many records were fetched so far. */
    long recordsRead() {
        return recordsRead;
    }

    /** Offset lookups update the state of assigned partitions only (and warn about the others), so assign before asking. */
    private void lookingAt(List<TopicPartition> partitions) {
        if (!consumer.assignment().containsAll(partitions)) {
            consumer.assign(partitions);
        }
    }

    private void finish(Map<TopicPartition, Long> remaining, TopicPartition p) {
        remaining.remove(p);
        consumer.pause(List.of(p));
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** The broker did not answer in time at the bootstrap address. */
    static final class Unreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreachable(String address, Throwable cause) {
            super(unreachableMessage(address), cause);
        }
    }
}
