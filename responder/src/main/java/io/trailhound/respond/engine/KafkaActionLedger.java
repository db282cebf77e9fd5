package io.trailhound.respond.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ResponseAction;
import io.trailhound.topic.Topic;

/**
 * The action ledger on {@code trailhound.response.actions}: on start it reads the topic to its end (latest record per action
 * id wins), then every record is written synchronously before the responder moves on, so the audit topic is the ledger.
 */
public final class KafkaActionLedger implements ActionLedger {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaActionLedger.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final InMemoryActionLedger state = new InMemoryActionLedger();
    private final Topic<String, ResponseAction> topic;
    private final Producer<String, ResponseAction> producer;

    private KafkaActionLedger(Topic<String, ResponseAction> topic, Producer<String, ResponseAction> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /** A ledger holding everything already on {@code topic}, writing new records with {@code producer}. */
    public static KafkaActionLedger load(Topic<String, ResponseAction> topic, Producer<String, ResponseAction> producer,
                                         String bootstrapServers) {
        KafkaActionLedger ledger = new KafkaActionLedger(topic, producer);
        int loaded = 0;
        try (KafkaConsumer<String, ResponseAction> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, ResponseAction> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        ledger.state.record(record.value());
                        loaded++;
                    }
                }
            }
        }
        LOG.info("action ledger loaded {} records from {}", loaded, topic.name());
        return ledger;
    }

    @Override
    public Optional<ResponseAction> latest(String actionId) {
        return state.latest(actionId);
    }

    @Override
    public long count(ActionStatus status) {
        return state.count(status);
    }

    @Override
    public void record(ResponseAction action) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), action.getActionId(), action))
                .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the audit record of " + action.getActionId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write the audit record of " + action.getActionId() + " to " + topic.name(), e);
        }
        state.record(action);
    }
}
