package io.trailhound.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.Alert;
import io.trailhound.testkit.SchemaRegistryExtension;

/**
 * Our serdes against a real schema registry (Apicurio, Confluent API): the bytes are exactly Confluent's wire format, plain
 * Avro can read them, and registry-side failures surface as clear SerializationExceptions.
 */
class WireFormatIT {

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    @Test
    void shouldWriteMagicByteRegistryIdAndPlainAvroBinary() throws Exception {
        Alert alert = TestRecords.alert("a-wire");

        byte[] ours = serializer(Map.of()).serialize("wire.alerts", alert);

        int id = http().latestId("wire.alerts-value");
        byte[] expected = concat(new byte[] {0}, ByteBuffer.allocate(4).putInt(id).array(), plainAvro(alert));
        assertArrayEquals(expected, ours);
    }

    @Test
    void shouldBeReadableByPlainAvroWithTheWriterSchemaFetchedByHand() throws Exception {
        Alert alert = TestRecords.alert("a-plain");
        byte[] ours = serializer(Map.of()).serialize("plain.alerts", alert);

        int id = ByteBuffer.wrap(ours, 1, 4).getInt();
        Schema writer = http().schemaById(id);
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer).read(null,
                DecoderFactory.get().binaryDecoder(ours, 5, ours.length - 5, null));

        assertEquals(Alert.getClassSchema(), writer, "the registry stored our schema");
        assertEquals("a-plain", decoded.get("alertId").toString());
        assertEquals("HIGH", decoded.get("severity").toString());
        assertEquals(alert.getPrincipal().getArn(), ((GenericRecord) decoded.get("principal")).get("arn").toString());
        assertEquals(2, ((List<?>) decoded.get("chain")).size());
        assertEquals(alert.getFirstSeen().toEpochMilli(), decoded.get("firstSeen"));
        assertEquals("LIVE", decoded.get("mode").toString());
        GenericRecord entities = (GenericRecord) decoded.get("entities");
        assertEquals("203.0.113.9", ((List<?>) entities.get("ipAddresses")).get(0).toString());
    }

    @Test
    void shouldNameAnUnknownSchemaIdAndTheRegistry() {
        AvroDeserializer<Alert> deserializer = new AvroDeserializer<>(Alert.class);
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, REGISTRY.url()), false);

        SerializationException e = assertThrows(SerializationException.class,
                () -> deserializer.deserialize("unknown.alerts", concat(WireFormat.header(999_999), new byte[] {2, 'x'})));

        assertTrue(e.getMessage().startsWith("Unknown schema id 999999 for a record on topic unknown.alerts"), e.getMessage());
        assertTrue(e.getMessage().contains(REGISTRY.url()), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 404, error code 40403"), e.getMessage());
    }

    @Test
    void shouldRefuseAnUnregisteredSchemaWhenAutoRegisterIsOff() throws Exception {
        AvroSerializer<Alert> serializer = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false"));

        SerializationException e = assertThrows(SerializationException.class,
                () -> serializer.serialize("unregistered.alerts", TestRecords.alert("a")));

        assertTrue(e.getMessage().startsWith("Schema io.trailhound.avro.Alert is not registered under subject "
                + "unregistered.alerts-value and auto.register.schemas=false"), e.getMessage());
        assertEquals(404, http().send("GET", "/subjects/unregistered.alerts-value/versions", null).statusCode(),
                "nothing was registered");
    }

    @Test
    void shouldFindAHandRegisteredSchemaWhenAutoRegisterIsOff() throws Exception {
        int id = http().register("preregistered.alerts-value", Alert.getClassSchema());

        byte[] bytes = serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false"))
                .serialize("preregistered.alerts", TestRecords.alert("a"));

        assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    @Test
    void shouldRejectAnIncompatibleSchemaUnderBackwardCompatibilityNamingTheSubject() throws Exception {
        Schema v1 = SchemaBuilder.record("Probe").namespace("io.trailhound.it").fields().requiredString("id").endRecord();
        Schema v2 = SchemaBuilder.record("Probe").namespace("io.trailhound.it").fields().requiredString("id")
                .requiredString("tenantId").endRecord();
        AvroSerializer<ProbeRecord> serializer = serializer(Map.of());
        serializer.serialize("compat.probes", new ProbeRecord(v1).with("id", "p-1"));
        http().setCompatibility("compat.probes-value", "BACKWARD");

        SerializationException e = assertThrows(SerializationException.class,
                () -> serializer.serialize("compat.probes", new ProbeRecord(v2).with("id", "p-2").with("tenantId", "t")));

        assertTrue(e.getMessage().startsWith("Schema io.trailhound.it.Probe is incompatible with the schemas already registered "
                + "under subject compat.probes-value"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 409"), e.getMessage());
    }

    @Test
    void shouldKeepTombstonesNullThroughARealClient() {
        assertNull(serializer(Map.of()).serialize("tombstones.alerts", null));
    }

    private static <T extends SpecificRecord> AvroSerializer<T> serializer(Map<String, String> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, REGISTRY.url());
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }

    private static RegistryHttp http() {
        return new RegistryHttp(REGISTRY.url());
    }

    private static byte[] plainAvro(Alert alert) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(Alert.class).write(alert, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A record of any schema that our serializer accepts, for schemas that have no generated class. */
    static final class ProbeRecord extends GenericData.Record implements SpecificRecord {
        ProbeRecord(Schema schema) {
            super(schema);
        }

        ProbeRecord with(String field, Object value) {
            put(field, value);
            return this;
        }
    }
}
