package io.trailhound.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What every broker our tests run on must do: plain and transactional produce/consume, topic configs. */
abstract class KafkaBrokerContract {

    abstract KafkaBroker broker();

    @Test
    void shouldRoundTripRecordsThroughARealBroker() {
        broker().createTopic("contract.plain", 2);
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("contract.plain", "k" + i, "v" + i));
            }
        }
        List<ConsumerRecord<String, String>> records = consume("contract.plain", 10, "read_uncommitted");
        assertEquals(10, records.size());
        assertEquals(Set.of("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"),
            Set.copyOf(records.stream().map(ConsumerRecord::value).toList()));
    }

    @Test
    void shouldHideAbortedTransactionsFromReadCommittedConsumers() {
        broker().createTopic("contract.tx", 1);
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "contract-tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("contract.tx", "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("contract.tx", "k", "committed"));
            producer.commitTransaction();
        }
        List<ConsumerRecord<String, String>> records = consume("contract.tx", 1, "read_committed");
        assertEquals(List.of("committed"), records.stream().map(ConsumerRecord::value).toList());
    }

    @Test
    void shouldApplyTopicConfigs() throws Exception {
        broker().createTopic("contract.compacted", 1, Map.of("cleanup.policy", "compact"));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "contract.compacted");
        Config config = broker().admin().describeConfigs(List.of(resource)).all().get().get(resource);
        assertEquals("compact", config.get("cleanup.policy").value());
    }

    private KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all"));
        props.putAll(extra);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private List<ConsumerRecord<String, String>> consume(String topic, int expected, String isolation) {
        Map<String, Object> props = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "contract-" + topic,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // one more poll proves nothing beyond the expected records is visible
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        assertTrue(out.size() >= expected, "expected " + expected + " records from " + topic + ", got " + out.size());
        return out;
    }
}
