package io.trailhound.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.GuardDutyFinding;
import io.trailhound.avro.Incident;
import io.trailhound.avro.ResponseAction;

/** Serializer and deserializer behaviour that needs no real registry: wire format, error paths, tombstones, caching. */
class AvroSerdeTest {

    private static final String TOPIC = "trailhound.alerts";
    private static final Map<String, Object> DEFAULTS = Map.of();

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AvroSerializer<Alert> serializer = new AvroSerializer<>(registry, DEFAULTS, false);
    private final AvroDeserializer<Alert> deserializer = new AvroDeserializer<>(Alert.class, registry, DEFAULTS, false);

    @Test
    void shouldRoundTripAnAlertInConfluentWireFormat() {
        Alert alert = TestRecords.alert("a-1");

        byte[] bytes = serializer.serialize(TOPIC, alert);

        assertEquals(WireFormat.MAGIC_BYTE, bytes[0]);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertEquals(registry.latest(TOPIC + "-value").id(), id, "header carries the id registered under <topic>-value");
        assertEquals(alert, deserializer.deserialize(TOPIC, bytes));
    }

    @Test
    void shouldRegisterKeySchemasUnderTheKeySubject() {
        AvroSerializer<Alert> keySerializer = new AvroSerializer<>(registry, DEFAULTS, true);

        keySerializer.serialize(TOPIC, TestRecords.alert("a-1"));

        assertEquals(1, registry.latest(TOPIC + "-key").version());
    }

    @Test
    void shouldMapNullToNullBothWaysForTombstones() {
        assertNull(serializer.serialize(TOPIC, null));
        assertNull(deserializer.deserialize(TOPIC, null));
        assertEquals(0, registry.registerCalls.get(), "a tombstone needs no schema");
    }

    @Test
    void shouldNameTheMagicByteAndTopicWhenThePayloadIsNotWireFormat() {
        byte[] json = "{\"eventID\":\"1\"}".getBytes(StandardCharsets.UTF_8);

        SerializationException e = assertThrows(SerializationException.class, () -> deserializer.deserialize(TOPIC, json));

        assertTrue(e.getMessage().contains("magic byte 0x7b (123)"), e.getMessage());
        assertTrue(e.getMessage().contains(TOPIC), e.getMessage());
    }

    @Test
    void shouldNameTheLengthOfATruncatedPayload() {
        SerializationException shortOne = assertThrows(SerializationException.class,
                () -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}));
        SerializationException empty = assertThrows(SerializationException.class, () -> deserializer.deserialize(TOPIC, new byte[0]));

        assertTrue(shortOne.getMessage().contains("Truncated payload on topic " + TOPIC + ": 3 bytes"), shortOne.getMessage());
        assertTrue(empty.getMessage().contains(": 0 bytes"), empty.getMessage());
    }

    @Test
    void shouldNameTheIdAndRegistryForAnUnknownSchemaId() {
        byte[] bytes = WireFormat.header(999_999);

        SerializationException e = assertThrows(SerializationException.class, () -> deserializer.deserialize(TOPIC, bytes));

        assertTrue(e.getMessage().startsWith("Unknown schema id 999999 for a record on topic " + TOPIC), e.getMessage());
        assertTrue(e.getMessage().contains("40403"), e.getMessage());
    }

    @Test
    void shouldReportADecodeFailureForACorruptBody() {
        byte[] valid = serializer.serialize(TOPIC, TestRecords.alert("a-1"));
        byte[] cut = Arrays.copyOf(valid, valid.length / 2);
        byte[] padded = Arrays.copyOf(valid, valid.length + 3);

        SerializationException truncated = assertThrows(SerializationException.class, () -> deserializer.deserialize(TOPIC, cut));
        SerializationException trailing = assertThrows(SerializationException.class, () -> deserializer.deserialize(TOPIC, padded));

        assertTrue(truncated.getMessage().startsWith("Avro decode failed on topic " + TOPIC + " for schema id 1"), truncated.getMessage());
        assertTrue(trailing.getMessage().contains("bytes left over"), trailing.getMessage());
    }

    @Test
    void shouldRefuseToReadAnotherRecordTypeAsTheReaderClass() {
        byte[] incident = new AvroSerializer<Incident>(registry, DEFAULTS, false).serialize(TOPIC, TestRecords.incident("i-1"));

        SerializationException e = assertThrows(SerializationException.class, () -> deserializer.deserialize(TOPIC, incident));

        assertTrue(e.getMessage().contains("(writer io.trailhound.avro.Incident) cannot be read as io.trailhound.avro.Alert"),
                e.getMessage());
    }

    @Test
    void shouldFindTheGeneratedClassFromTheWriterSchemaWhenNoReaderClassIsGiven() {
        AvroDeserializer<Incident> generic = new AvroDeserializer<>(registry);
        Incident incident = TestRecords.incident("i-1");

        byte[] bytes = new AvroSerializer<Incident>(registry, DEFAULTS, false).serialize(TOPIC, incident);

        assertEquals(incident, generic.deserialize(TOPIC, bytes));
    }

    @Test
    void shouldFetchEachWriterSchemaOnce() {
        byte[] bytes = serializer.serialize(TOPIC, TestRecords.alert("a-1"));

        for (int i = 0; i < 50; i++) {
            deserializer.deserialize(TOPIC, bytes);
        }

        assertEquals(1, registry.byIdCalls.get());
    }

    @Test
    void shouldFailClearlyWhenAutoRegisterIsOffAndTheSchemaIsNotRegistered() {
        AvroSerializer<Alert> lookupOnly = new AvroSerializer<>(registry, Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false"),
                false);

        SerializationException e = assertThrows(SerializationException.class, () -> lookupOnly.serialize(TOPIC, TestRecords.alert("a")));

        assertTrue(e.getMessage().startsWith("Schema io.trailhound.avro.Alert is not registered under subject " + TOPIC + "-value and "
                + "auto.register.schemas=false"), e.getMessage());
        assertEquals(0, registry.registerCalls.get());
    }

    @Test
    void shouldUseTheRegisteredIdWhenAutoRegisterIsOff() {
        int id = registry.register(TOPIC + "-value", Alert.getClassSchema());
        AvroSerializer<Alert> lookupOnly = new AvroSerializer<>(registry, Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false"),
                false);

        byte[] bytes = lookupOnly.serialize(TOPIC, TestRecords.alert("a-1"));

        assertArrayEquals(WireFormat.header(id), Arrays.copyOf(bytes, WireFormat.HEADER_LENGTH));
    }

    @Test
    void shouldWriteWithTheLatestSchemaWhenAskedTo() throws Exception {
        Schema newer = withExtraField(Alert.getClassSchema(), "tenant", "unknown");
        int newerId = registry.register(TOPIC + "-value", newer);
        AvroSerializer<Alert> latest = new AvroSerializer<>(registry, Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false",
                AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, "true"), false);

        byte[] bytes = latest.serialize(TOPIC, TestRecords.alert("a-1"));

        assertEquals(newerId, ByteBuffer.wrap(bytes, 1, 4).getInt());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(newer).read(null,
                DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertEquals("unknown", decoded.get("tenant").toString());
        assertEquals("a-1", decoded.get("alertId").toString());
        assertEquals(TestRecords.alert("a-1"), deserializer.deserialize(TOPIC, bytes), "today's class still reads it");
    }

    @Test
    void shouldRefuseALatestSchemaThatCannotReadTheRecord() {
        registry.register(TOPIC + "-value", SchemaBuilder.record("io.trailhound.avro.Alert").fields().requiredLong("other").endRecord());
        AvroSerializer<Alert> latest = new AvroSerializer<>(registry, Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false",
                AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, "true"), false);

        SerializationException e = assertThrows(SerializationException.class, () -> latest.serialize(TOPIC, TestRecords.alert("a")));

        assertTrue(e.getMessage().startsWith("The latest schema of subject " + TOPIC + "-value (version 1"), e.getMessage());
    }

    @Test
    void shouldSayHowToFixAnUnconfiguredSerde() {
        AvroDeserializer<Alert> unconfigured = new AvroDeserializer<>(Alert.class);

        SerializationException e = assertThrows(SerializationException.class,
                () -> unconfigured.deserialize(TOPIC, WireFormat.header(1)));

        assertTrue(e.getMessage().contains("not configured"), e.getMessage());
    }

    @Test
    void shouldWriteTheSameBytesWithItsReusedBufferAsAFreshSerializer() throws Exception {
        List<Alert> alerts = new ArrayList<>();
        for (int length : new int[] {10, 3_000, 200_000, 5, 70_000, 1}) {
            alerts.add(Alert.newBuilder(TestRecords.alert("a-" + length)).setDescription("d".repeat(length)).build());
        }
        Alert broken = TestRecords.alert("broken");
        // a value of the wrong type fails the writer half-way through the record, with part of it buffered
        broken.put(broken.getSchema().getField("eventIds").pos(), List.of("e-1", 42));

        List<byte[]> reused = new ArrayList<>();
        for (Alert alert : alerts) {
            reused.add(serializer.serialize(TOPIC, alert));
            assertThrows(SerializationException.class, () -> serializer.serialize(TOPIC, broken));
        }
        Thread other = new Thread(() -> reused.add(serializer.serialize(TOPIC, alerts.get(2))));
        other.start();
        other.join();

        for (int i = 0; i < alerts.size(); i++) {
            byte[] fresh = new AvroSerializer<Alert>(registry, DEFAULTS, false).serialize(TOPIC, alerts.get(i));
            assertArrayEquals(fresh, reused.get(i), "record " + i);
            Alert read = deserializer.deserialize(TOPIC, reused.get(i));
            assertEquals(alerts.get(i).getAlertId(), read.getAlertId());
            assertEquals(alerts.get(i).getDescription(), read.getDescription());
        }
        assertArrayEquals(reused.get(2), reused.get(alerts.size()), "another thread's buffer");
    }

    @Test
    void shouldWriteTheSameBytesAsAvrosOwnWriterForEveryUnionBranchAndNull() throws Exception {
        for (Class<? extends SpecificRecord> type : List.of(Alert.class, Incident.class, ResponseAction.class, CloudTrailEvent.class,
                GuardDutyFinding.class, ApprovalMessage.class)) {
            Schema schema = (Schema) type.getField("SCHEMA$").get(null);
            List<SpecificRecord> samples = new ArrayList<>();
            samples.add(SchemaSamples.sample(type, schema, SchemaSamples.Fill.NULLS, 0));
            for (int branch = 0; branch < SchemaSamples.branches(schema); branch++) {
                samples.add(SchemaSamples.sample(type, schema, SchemaSamples.Fill.SET, branch));
            }
            AvroSerializer<SpecificRecord> ours = new AvroSerializer<>(registry, DEFAULTS, false);
            for (SpecificRecord sample : samples) {
                byte[] framed = ours.serialize("t", sample);
                assertArrayEquals(SchemaSamples.binary(sample), Arrays.copyOfRange(framed, WireFormat.HEADER_LENGTH, framed.length),
                        type.getSimpleName());
            }
        }
    }

    @Test
    void shouldShareOneClientBetweenSerializerAndDeserializerOfASerde() {
        AvroSerde<Alert> serde = new AvroSerde<>(Alert.class, registry, DEFAULTS, false);

        byte[] bytes = serde.serializer().serialize(TOPIC, TestRecords.alert("a-1"));

        assertEquals(TestRecords.alert("a-1"), serde.deserializer().deserialize(TOPIC, bytes));
        assertEquals(1, registry.registerCalls.get());
    }

    static Schema withExtraField(Schema schema, String name, String defaultValue) {
        Schema.Field extra = new Schema.Field(name, Schema.create(Schema.Type.STRING), "Added in a later version.", defaultValue);
        List<Schema.Field> fields = new ArrayList<>();
        schema.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(extra);
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
