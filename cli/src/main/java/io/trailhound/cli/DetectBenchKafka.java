package io.trailhound.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain clients of {@code trailhound bench detect}: the raw-record producer and read_committed consumers of output topics. */
final class DetectBenchKafka {

    private DetectBenchKafka() {
    }

    /** What a topology wrote: how many records, and the broker append times of the first and last. */
    record Output(long count, long firstAppend, long lastAppend, long wallMillis) {
        /** Records per second between the first and the last append: the steady rate, without start-up. */
        double perSecond() {
            long span = lastAppend - firstAppend;
            return span <= 0 ? Double.NaN : (count - 1) * 1000.0 / span;
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Header naming the generated record's event id, for matching outputs to inputs (identity copies keep headers). */
    static final String EVENT_ID_HEADER = "trailhound.bench.event";

    /** How long after its event a trail record reaches Kafka: the S3 object's time the connector stamps records with. */
    static final Duration DELIVERY = Duration.ofMinutes(5);

    /**
     * {@code event} for {@code topic}: keyed by its durable principal, as the ingest connector keys it, its id in a header; with
     * {@code stamped}, timestamped as the connector stamps trail records (the log file's time: event time plus delivery),
     * else at send time.
     */
    static ProducerRecord<String, byte[]> record(String topic, DetectBenchTrail.Event event, boolean stamped) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null,
            stamped ? event.time().plus(DELIVERY).toEpochMilli() : null, event.key(), event.json());
        record.headers().add(EVENT_ID_HEADER, event.eventId().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** The event id a bench record carries in its header, or null. */
    static String eventId(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(EVENT_ID_HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Writes {@code events} to {@code topic} keyed by principal, as the ingest connector does, and waits for every ack. */
    static void produce(String bootstrap, String topic, List<DetectBenchTrail.Event> events) throws InterruptedException {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            Future<RecordMetadata> last = null;
            for (DetectBenchTrail.Event event : events) {
                last = producer.send(record(topic, event, true));
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the benchmark records to " + topic + ": " + e.getCause(), e.getCause());
        }
    }

    /** The current end offset of every partition of {@code topic}. */
    static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            return consumer.endOffsets(partitions(consumer, topic));
        }
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    /**
     * Reads committed records of {@code topic} from {@code from} until {@code expected} arrived (or fails after {@code timeout}),
     * checking {@code app} stays alive; returns the count and append-time span.
     */
    static Output awaitOutput(String bootstrap, String topic, Map<TopicPartition, Long> from, long expected, Duration timeout,
                              DetectBenchApp app, long startedAt) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long count = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (count < expected) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(topic + ": " + count + " of " + expected + " records after " + timeout);
                }
                app.checkAlive();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                    first = Math.min(first, record.timestamp());
                    last = Math.max(last, record.timestamp());
                }
            }
            return new Output(count, first, last, System.currentTimeMillis() - startedAt);
        }
    }
}
