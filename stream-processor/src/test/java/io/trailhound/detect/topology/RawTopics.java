package io.trailhound.detect.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.topic.Topics;

/** The stream processor's integration tests' way in and out: raw CloudTrail records in, read-committed records out. */
final class RawTopics {

    private RawTopics() {
    }

    /** Writes {@code records} to the raw CloudTrail topic, keyed by {@code origin} as one trail file. */
    static void produce(KafkaBrokerExtension kafka, String origin, List<byte[]> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] r : records) {
                producer.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, origin, r));
            }
            producer.flush();
        }
    }

    /** Reads {@code topic} read-committed from the beginning until {@code done} holds (or {@code timeout}), then 3 s more. */
    static <V> List<V> consume(KafkaBrokerExtension kafka, String topic, Deserializer<V> values, Predicate<List<V>> done,
                               Duration timeout) {
        return consume(kafka, List.of(topic), values, done, timeout);
    }

    /** Like {@link #consume(KafkaBrokerExtension, String, Deserializer, Predicate, Duration)}, over several topics at once. */
    static <V> List<V> consume(KafkaBrokerExtension kafka, List<String> topics, Deserializer<V> values, Predicate<List<V>> done,
                               Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + timeout.toNanos();
            do {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            } while (!(done.test(out) && !out.isEmpty()) && System.nanoTime() < deadline);
            consumer.poll(Duration.ofSeconds(3)).forEach(r -> out.add(r.value()));
        }
        return out;
    }
}
