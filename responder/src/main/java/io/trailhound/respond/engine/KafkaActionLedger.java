package io.trailhound.respond.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ResponseAction;
import io.trailhound.topic.ClientSettings;
import io.trailhound.topic.Topic;

/**
 * The action ledger on {@code trailhound.response.actions}. On start it reads the topic from {@code retention} ago to its
 * end (latest record per action id wins); every record is then written synchronously before the responder moves on, and
 * {@link #catchUp()} reads what other responder instances wrote (call it before handling a batch), so instances sharing
 * the alert and approval partitions see each other's actions. A record read back never replaces a later one (offsets
 * decide). Entries older than {@code retention} are dropped: no alert that old is acted on, nor approved.
 */
public final class KafkaActionLedger implements ActionLedger, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaActionLedger.class);
    private static final int EVICT_EVERY = 1_000;
    /** Partition and offset of a record applied before it is on the topic: any record read from the topic replaces it. */
    private static final int UNWRITTEN = -1;

    private final Map<String, Entry> latest = new ConcurrentHashMap<>();
    private final Topic<String, ResponseAction> topic;
    private final Producer<String, ResponseAction> producer;
    private final KafkaConsumer<String, ResponseAction> tail;
    private final List<TopicPartition> partitions;
    private final Duration retention;
    private final Clock clock;
    private final List<ResponseAction> loaded = new ArrayList<>();
    private final List<Unwritten> unwritten = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int sinceEviction;
    private volatile Duration writeTimeout = Duration.ofSeconds(30);

    private KafkaActionLedger(Topic<String, ResponseAction> topic, Producer<String, ResponseAction> producer,
                              KafkaConsumer<String, ResponseAction> tail, Duration retention, Clock clock) {
        this.topic = topic;
        this.producer = producer;
        this.tail = tail;
        this.retention = retention;
        this.clock = clock;
        this.partitions = tail.partitionsFor(topic.name()).stream().map(info -> new TopicPartition(info.topic(), info.partition()))
            .toList();
    }

    /** A ledger holding everything on {@code topic} since {@code retention} ago, writing new records with {@code producer}. */
    public static KafkaActionLedger load(Topic<String, ResponseAction> topic, Producer<String, ResponseAction> producer,
                                         String bootstrapServers, Duration retention, Clock clock) {
        return load(topic, producer, Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), retention, clock);
    }

    /**
     * Like {@link #load(Topic, Producer, String, Duration, Clock)}, reading the ledger with a consumer of {@code connection}
     * (bootstrap address and Kafka security settings, see {@link io.trailhound.topic.ClientSettings}).
     */
    public static KafkaActionLedger load(Topic<String, ResponseAction> topic, Producer<String, ResponseAction> producer,
                                         Map<String, ?> connection, Duration retention, Clock clock) {
        Map<String, Object> settings = ClientSettings.kafka(connection, Map.of(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        KafkaConsumer<String, ResponseAction> consumer = new KafkaConsumer<>(settings,
            topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        KafkaActionLedger ledger = new KafkaActionLedger(topic, producer, consumer, retention, clock);
        ledger.seekToRetention();
        int read = ledger.catchUp(true);
        LOG.info("action ledger loaded {} records of the last {} from {}", read, retention, topic.name());
        return ledger;
    }

    /** Like {@link #load(Topic, Producer, Map, Duration, Clock)} with an unbounded look-back. */
    public static KafkaActionLedger load(Topic<String, ResponseAction> topic, Producer<String, ResponseAction> producer,
                                         Map<String, ?> connection) {
        return load(topic, producer, connection, Duration.ofDays(36_500), Clock.systemUTC());
    }

    /** Like {@link #load(Topic, Producer, String, Duration, Clock)} with an unbounded look-back. */
    public static KafkaActionLedger load(Topic<String, ResponseAction> topic, Producer<String, ResponseAction> producer,
                                         String bootstrapServers) {
        return load(topic, producer, bootstrapServers, Duration.ofDays(36_500), Clock.systemUTC());
    }

    private void seekToRetention() {
        tail.assign(partitions);
        long since = clock.instant().minus(retention).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, Math.max(0, since)));
        Map<TopicPartition, OffsetAndTimestamp> offsets = tail.offsetsForTimes(query);
        Map<TopicPartition, Long> end = tail.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = offsets.get(partition);
            tail.seek(partition, at == null ? end.get(partition) : at.offset());
        }
    }

    /**
     * How long a write may take before it counts as failed (the step it records is then known here as done and written
     * later by {@link #flush()}); 30 s unless set.
     */
    public KafkaActionLedger writeTimeout(Duration timeout) {
        this.writeTimeout = timeout;
        return this;
    }

    /** Reads what was written to the topic since the last call (other instances' records); returns how many were new. */
    public int catchUp() {
        return catchUp(false);
    }

    private synchronized int catchUp(boolean keep) {
        Map<TopicPartition, Long> end = tail.endOffsets(partitions);
        int read = 0;
        while (partitions.stream().anyMatch(p -> tail.position(p) < end.get(p))) {
            for (ConsumerRecord<String, ResponseAction> record : tail.poll(Duration.ofMillis(200))) {
                if (record.value() != null && apply(record.value(), record.partition(), record.offset())) {
                    read++;
                    if (keep) {
                        loaded.add(record.value());
                    }
                }
            }
        }
        return read;
    }

    /** The records read on start, in topic order per partition: what rebuilds the circuit breaker. */
    public synchronized List<ResponseAction> loaded() {
        List<ResponseAction> sorted = new ArrayList<>(loaded);
        sorted.sort((a, b) -> a.getTime().compareTo(b.getTime()));
        return sorted;
    }

    @Override
    public Optional<ResponseAction> latest(String actionId) {
        Entry entry = latest.get(actionId);
        return entry == null ? Optional.empty() : Optional.of(entry.action());
    }

    @Override
    public List<ResponseAction> incident(String incidentId) {
        return latest.values().stream().map(Entry::action).filter(a -> incidentId.equals(a.getIncidentId())).toList();
    }

    @Override
    public Set<String> incidentsOfAlerts(Set<String> alertIds) {
        return latest.values().stream().map(Entry::action).filter(a -> a.getAlertId() != null && alertIds.contains(a.getAlertId()))
            .map(ResponseAction::getIncidentId).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    @Override
    public long count(ActionStatus status) {
        return latest.values().stream().filter(entry -> entry.action().getStatus() == status).count();
    }

    /** How many action ids the ledger holds now (bounded by the retention). */
    public int size() {
        return latest.size();
    }

    @Override
    public void record(ResponseAction action) {
        Future<RecordMetadata> sent = null;
        try {
            sent = send(action);
            RecordMetadata written = sent.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            apply(action, written.partition(), written.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the audit record of " + action.getActionId(), e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            // the step may already be done in AWS: this ledger knows it from now on, so the batch the engine handles again once
            // Kafka answers does not do it twice; the record itself is written by flush() before anything else is committed
            apply(action, UNWRITTEN, UNWRITTEN);
            unwritten.add(new Unwritten(action, sent));
            throw new KafkaException("cannot write the audit record of " + action.getActionId() + " to " + topic.name(),
                e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        }
    }

    private Future<RecordMetadata> send(ResponseAction action) {
        return producer.send(new ProducerRecord<>(topic.name(), action.getActionId(), action));
    }

    /**
     * Writes the audit records whose write failed (in their order), waiting for a send still in flight instead of sending it
     * twice; throws a {@link KafkaException} while Kafka still cannot take them.
     */
    @Override
    public void flush() {
        while (!unwritten.isEmpty()) {
            Unwritten next = unwritten.get(0);
            if (next.sent() == null) {
                // never handed to the producer (it could not even fetch metadata): send it now
                next = new Unwritten(next.action(), send(next.action()));
                unwritten.set(0, next);
            }
            RecordMetadata written;
            try {
                written = next.sent().get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing the audit record of " + next.action().getActionId(), e);
            } catch (TimeoutException e) {
                throw new KafkaException("the audit record of " + next.action().getActionId() + " is still not written", e);
            } catch (ExecutionException e) {
                // the producer gave up on it (delivery timeout): it is sent again on the next flush
                unwritten.set(0, new Unwritten(next.action(), null));
                throw new KafkaException("the audit record of " + next.action().getActionId() + " was not written",
                    e.getCause() == null ? e : e.getCause());
            }
            apply(next.action(), written.partition(), written.offset());
            unwritten.remove(0);
            LOG.info("audit record of {} written after a Kafka failure", next.action().getActionId());
        }
    }

    /** Applies {@code action} unless a later record of its action id is known; false when it changed nothing. */
    private synchronized boolean apply(ResponseAction action, int partition, long offset) {
        Entry known = latest.get(action.getActionId());
        if (known != null && known.partition() == partition && known.offset() >= offset) {
            return false;
        }
        latest.put(action.getActionId(), new Entry(action, partition, offset));
        if (++sinceEviction >= EVICT_EVERY) {
            sinceEviction = 0;
            evict();
        }
        return true;
    }

    private void evict() {
        Instant cutoff = clock.instant().minus(retention);
        int before = latest.size();
        latest.values().removeIf(entry -> entry.action().getTime().isBefore(cutoff));
        LOG.debug("action ledger dropped {} entries older than {}", before - latest.size(), cutoff);
    }

    @Override
    public synchronized void close() {
        tail.close(Duration.ofSeconds(5));
    }

    private record Entry(ResponseAction action, int partition, long offset) {
    }

    private record Unwritten(ResponseAction action, Future<RecordMetadata> sent) {
    }
}
