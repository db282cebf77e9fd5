package io.trailhound.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Severity;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * Avro records through a real KRaft broker and a real schema registry, using the topic registry's serdes: what is produced is
 * consumed back equal, and data written with a released schema snapshot reads into today's classes.
 */
class KafkaRoundTripIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldProduceAndConsumeAlertsAndIncidentsEqualToWhatWasSent() throws Exception {
        Topics topics = new Topics(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, REGISTRY.url()));
        List<Alert> alerts = List.of(TestRecords.alert("a-1"), TestRecords.alert("a-2"), TestRecords.alert("a-3"));
        List<Incident> incidents = List.of(TestRecords.incident("i-1"), TestRecords.incident("i-2"));

        assertEquals(alerts, roundTrip(topics.alerts(), alerts.stream().map(Alert::getAlertId).toList(), alerts));
        assertEquals(incidents, roundTrip(topics.incidents(), incidents.stream().map(Incident::getIncidentId).toList(), incidents));

        RegistryHttp http = new RegistryHttp(REGISTRY.url());
        assertEquals(Alert.getClassSchema(), http.schemaById(http.latestId("trailhound.alerts-value")));
        assertEquals(Incident.getClassSchema(), http.schemaById(http.latestId("trailhound.incidents-value")));
    }

    @Test
    void shouldReadDataWrittenWithTheV1SnapshotIntoTheCurrentClass() throws Exception {
        Schema v1 = new Schema.Parser().parse(getClass().getResourceAsStream("/schema-history/Alert/v1.avsc"));
        GenericRecord written = new GenericRecordBuilder(v1)
                .set("alertId", "a-v1")
                .set("ruleId", "TH-IAM-003")
                .set("title", "Access key created for another user")
                .set("severity", new GenericData.EnumSymbol(v1.getField("severity").schema(), "CRITICAL"))
                .set("mode", new GenericData.EnumSymbol(v1.getField("mode").schema(), "LIVE"))
                .set("detectedAt", Instant.parse("2025-03-01T10:00:00Z").toEpochMilli())
                .build();

        Alert read = produceWithSchemaAndConsume("evolution.alerts", v1, written);

        assertEquals("a-v1", read.getAlertId());
        assertEquals(Severity.CRITICAL, read.getSeverity());
        assertEquals(Mode.LIVE, read.getMode());
        assertEquals(Instant.parse("2025-03-01T10:00:00Z"), read.getDetectedAt());
        assertNull(read.getPrincipal());
    }

    @Test
    void shouldFillDefaultsForFieldsTheWriterSchemaDidNotHave() throws Exception {
        Schema v1 = new Schema.Parser().parse(getClass().getResourceAsStream("/schema-history/Alert/v1.avsc"));
        Schema older = withoutFields(v1, "baselineContext", "runbook", "mode");
        GenericRecord written = new GenericRecordBuilder(older).set("alertId", "a-old").set("title", "written before v1").build();

        Alert read = produceWithSchemaAndConsume("older.alerts", older, written);

        assertEquals("a-old", read.getAlertId());
        assertEquals("written before v1", read.getTitle());
        assertNull(read.getBaselineContext());
        assertNull(read.getRunbook());
        assertEquals(Mode.REPLAY, read.getMode(), "an alert without a mode is never taken as live");
    }

    private <V> List<V> roundTrip(Topic<String, V> topic, List<String> keys, List<V> values) {
        KAFKA.createTopic(topic.name(), 1, topic.config());
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(producerConfig(), topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic.name(), keys.get(i), values.get(i)));
            }
            producer.flush();
        }
        return consume(topic.name(), topic.valueSerde().deserializer(), values.size());
    }

    private Alert produceWithSchemaAndConsume(String topic, Schema writer, GenericRecord record) throws Exception {
        int id = new RegistryHttp(REGISTRY.url()).register(topic + "-value", writer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
        encoder.flush();

        KAFKA.createTopic(topic, 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", out.toByteArray())).get();
        }
        AvroDeserializer<Alert> deserializer = new AvroDeserializer<>(Alert.class);
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, REGISTRY.url()), false);
        return consume(topic, deserializer, 1).get(0);
    }

    private static <V> List<V> consume(String topic, Deserializer<V> deserializer, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
    }

    private static Schema withoutFields(Schema schema, String... names) {
        List<Schema.Field> fields = new ArrayList<>();
        List<String> dropped = List.of(names);
        schema.getFields().stream().filter(f -> !dropped.contains(f.name())).forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
