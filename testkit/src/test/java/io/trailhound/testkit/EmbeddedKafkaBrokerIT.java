package io.trailhound.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker contract on the in-JVM KRaft broker: this is what runs on machines without Docker. */
class EmbeddedKafkaBrokerIT extends KafkaBrokerContract {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Override
    KafkaBroker broker() {
        return KAFKA;
    }

    @Test
    void shouldComeBackOnTheSameAddressWithItsDataAfterAnOutage() throws Exception {
        KAFKA.createTopic("outage", 1);
        String bootstrap = KAFKA.bootstrapServers();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("outage", "k", "before")).get();
            KAFKA.outage(Duration.ofSeconds(2));
            assertEquals(bootstrap, KAFKA.bootstrapServers());
            producer.send(new ProducerRecord<>("outage", "k", "after")).get();
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, "outage-check",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("outage"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        assertEquals(List.of("before", "after"), values);
    }
}
