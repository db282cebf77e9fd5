package io.trailhound.serde;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro into generated classes: fetches the writer schema by the id in the header (cached) and
 * resolves it against the reader class's schema, so data written with an older schema reads with today's class.
 * Interchangeable with Confluent's {@code KafkaAvroDeserializer} with {@code specific.avro.reader=true}.
 *
 * @param <T> the record type
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private static final int CACHE_CAPACITY = 1_000;

    static {
        TrustedAvroClasses.install();
    }

    private final Class<T> readerClass;
    private final BoundedCache<Integer, DatumReader<T>> readers = new BoundedCache<>(CACHE_CAPACITY);
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();
    private SchemaRegistryClient client;

    /** Reads into the generated class named by each writer schema; for Kafka to instantiate by class name. */
    public AvroDeserializer() {
        this.readerClass = null;
    }

    /** Reads into {@code readerClass}; {@link #configure} creates the registry client. */
    public AvroDeserializer(Class<T> readerClass) {
        this.readerClass = Objects.requireNonNull(readerClass, "readerClass");
    }

    /** Reads into {@code readerClass}, sharing {@code client} (and its cache) with other serdes. */
    public AvroDeserializer(Class<T> readerClass, SchemaRegistryClient client) {
        this.readerClass = Objects.requireNonNull(readerClass, "readerClass");
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Reads into the generated class named by each writer schema, sharing {@code client}. */
    public AvroDeserializer(SchemaRegistryClient client) {
        this.readerClass = null;
        this.client = Objects.requireNonNull(client, "client");
    }

    /** A ready-to-use deserializer into {@code readerClass} sharing {@code client}. */
    public AvroDeserializer(Class<T> readerClass, SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this(readerClass, client);
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (client == null) {
            client = SchemaRegistryClient.create(config);
        }
    }

    /** Uses {@code shared} unless a client was already given or created. */
    void useClientIfAbsent(SchemaRegistryClient shared) {
        if (client == null) {
            client = shared;
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new SerializationException("AvroDeserializer for topic " + topic + " is not configured: call configure(...) "
                    + "or pass a SchemaRegistryClient");
        }
        int schemaId = WireFormat.schemaId(topic, data);
        DatumReader<T> reader = readerFor(topic, schemaId);
        // One decoder per thread, reused: a Streams serde instance may be shared by several stream threads.
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(data, WireFormat.HEADER_LENGTH, data.length - WireFormat.HEADER_LENGTH, decoders.get());
        decoders.set(decoder);
        T value;
        boolean trailing;
        try {
            value = reader.read(null, decoder);
            trailing = !decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Avro decode failed on topic " + topic + " for schema id " + schemaId + " ("
                    + data.length + " bytes): " + e, e);
        }
        if (trailing) {
            throw new SerializationException("Avro decode failed on topic " + topic + " for schema id " + schemaId
                    + ": bytes left over after the record, so the payload does not match its writer schema");
        }
        return value;
    }

    private DatumReader<T> readerFor(String topic, int schemaId) {
        DatumReader<T> reader = readers.get(schemaId);
        if (reader == null) {
            Schema writer = writerSchema(topic, schemaId);
            Class<T> type = readerClass != null ? readerClass : generatedClass(topic, schemaId, writer);
            Schema readerSchema = SpecificData.get().getSchema(type);
            SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
            if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new SerializationException("Schema id " + schemaId + " on topic " + topic + " (writer " + writer.getFullName()
                        + ") cannot be read as " + readerSchema.getFullName() + ": "
                        + compatibility.getResult().getIncompatibilities());
            }
            // The class's own model carries its logical-type conversions (timestamp-millis <-> Instant).
            // The same schema object for writer and reader when they are equal lets Avro skip schema resolution per record.
            Schema effectiveWriter = writer.equals(readerSchema) ? readerSchema : writer;
            reader = new SpecificDatumReader<>(effectiveWriter, readerSchema, SpecificData.getForClass(type));
            readers.put(schemaId, reader);
        }
        return reader;
    }

    private Schema writerSchema(String topic, int schemaId) {
        try {
            return client.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            String what = e.isNotFound() ? "Unknown schema id " : "Cannot fetch schema id ";
            throw new SerializationException(what + schemaId + " for a record on topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private Class<T> generatedClass(String topic, int schemaId, Schema writer) {
        Class<?> type = writer.getType() == Schema.Type.RECORD ? SpecificData.get().getClass(writer) : null;
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            throw new SerializationException("No generated Avro class " + writer.getFullName() + " on the classpath for schema id "
                    + schemaId + " on topic " + topic + "; pass the reader class to AvroDeserializer");
        }
        return (Class<T>) type;
    }
}
