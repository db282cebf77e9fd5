package io.trailhound.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.ResponseAction;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * Follows what the pipeline produces, as an analyst's consumer would: alerts, incidents and the responder's audit records,
 * read-committed from the beginning; and how far each stage has got (records on the raw topics, the stream processor's and
 * the responder's committed offsets).
 */
final class PipelineWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineWatch.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(20);

    private final Topics topics;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Consumer<Alert> onNewAlert;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final Map<String, Incident> incidents = new LinkedHashMap<>();
    private final Map<String, ResponseAction> actions = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> lastAlertOffsets = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long lastChange = System.nanoTime();
    private volatile RuntimeException failure;

    PipelineWatch(String bootstrap, Topics topics, Admin admin, Consumer<Alert> onNewAlert) {
        this.topics = topics;
        this.admin = admin;
        this.onNewAlert = onNewAlert;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        // the signals (INFO, LOW) too: the story counts them, and the incident's timeline names them
        for (Topic<?, ?> t : List.of(topics.alerts(), topics.signals(), topics.incidents(), topics.actions())) {
            for (int p = 0; p < t.partitions(); p++) {
                partitions.add(new TopicPartition(t.name(), p));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::loop, "trailhound-demo-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        Deserializer<Alert> alertReader = topics.alerts().valueSerde().deserializer();
        Deserializer<Incident> incidentReader = topics.incidents().valueSerde().deserializer();
        Deserializer<ResponseAction> actionReader = topics.actions().valueSerde().deserializer();
        try {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    if (r.topic().equals(topics.alerts().name()) || r.topic().equals(topics.signals().name())) {
                        onAlert(alertReader.deserialize(r.topic(), r.value()), r);
                    } else if (r.topic().equals(topics.incidents().name())) {
                        Incident i = incidentReader.deserialize(r.topic(), r.value());
                        synchronized (this) {
                            incidents.put(i.getIncidentId(), i);
                        }
                    } else {
                        ResponseAction a = actionReader.deserialize(r.topic(), r.value());
                        synchronized (this) {
                            actions.put(a.getActionId(), a);
                        }
                    }
                    lastChange = System.nanoTime();
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                LOG.warn("watching the output topics failed: {}", e.toString());
                failure = e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void onAlert(Alert alert, ConsumerRecord<byte[], byte[]> r) {
        boolean isNew;
        synchronized (this) {
            isNew = !alerts.containsKey(alert.getAlertId());
            alerts.put(alert.getAlertId(), alert);
            if (r.topic().equals(topics.alerts().name())) {
                // what the responder must have consumed: it never reads signals
                lastAlertOffsets.put(new TopicPartition(r.topic(), r.partition()), r.offset());
            }
        }
        if (isNew) {
            onNewAlert.accept(alert);
        }
    }

    /** The latest state of every alert, in order of first arrival. */
    synchronized List<Alert> alerts() {
        return List.copyOf(alerts.values());
    }

    /** The latest state of every incident. */
    synchronized List<Incident> incidents() {
        return List.copyOf(incidents.values());
    }

    /** The latest audit record of every response action. */
    synchronized List<ResponseAction> actions() {
        return List.copyOf(actions.values());
    }

    /** Time since the last record arrived on a watched topic. */
    Duration sinceLastChange() {
        return Duration.ofNanos(System.nanoTime() - lastChange);
    }

    /** Rethrows a failure of the watching thread. */
    void check() {
        if (failure != null) {
            throw failure;
        }
    }

    /** Records on {@code topic} (sum of end offsets). */
    long records(Topic<?, ?> topic) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < topic.partitions(); p++) {
            request.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
        }
        ListOffsetsResult result = admin.listOffsets(request);
        long sum = 0;
        for (TopicPartition tp : request.keySet()) {
            sum += await(result.partitionResult(tp)).offset();
        }
        return sum;
    }

    /** Offsets {@code group} has committed on {@code topic}, summed. */
    long committed(String group, Topic<?, ?> topic) throws InterruptedException {
        long sum = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committedOffsets(group).entrySet()) {
            if (e.getKey().topic().equals(topic.name()) && e.getValue() != null) {
                sum += e.getValue().offset();
            }
        }
        return sum;
    }

    /**
     * Whether the Kafka Streams application {@code appId} has consumed its repartition topics to the end: at most one offset
     * behind per partition, the commit marker of the last transaction, which a consumer never reads.
     */
    boolean repartitionsConsumed(String appId) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String name : await(admin.listTopics().names())) {
            if (name.startsWith(appId + "-") && name.endsWith("-repartition")) {
                int partitions = await(admin.describeTopics(List.of(name)).allTopicNames()).get(name).partitions().size();
                for (int p = 0; p < partitions; p++) {
                    request.put(new TopicPartition(name, p), OffsetSpec.latest());
                }
            }
        }
        if (request.isEmpty()) {
            return false;
        }
        ListOffsetsResult ends = admin.listOffsets(request);
        Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(appId);
        for (TopicPartition tp : request.keySet()) {
            long end = await(ends.partitionResult(tp)).offset();
            OffsetAndMetadata c = committed.get(tp);
            if (end - (c == null ? 0 : c.offset()) > 1) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code group} has committed past every alert this watch has read. */
    boolean consumedAllAlerts(String group) throws InterruptedException {
        Map<TopicPartition, Long> seen;
        synchronized (this) {
            seen = Map.copyOf(lastAlertOffsets);
        }
        Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(group);
        for (Map.Entry<TopicPartition, Long> e : seen.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            if (c == null || c.offset() <= e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Map<TopicPartition, OffsetAndMetadata> committedOffsets(String group) throws InterruptedException {
        return await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker did not answer: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within " + ADMIN_TIMEOUT, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5_000);
    }
}
