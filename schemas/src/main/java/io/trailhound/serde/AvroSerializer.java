package io.trailhound.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in Confluent's wire format, registering (or looking up) the record's schema under the topic's
 * subject ({@code <topic>-value} or {@code <topic>-key}). Interchangeable with Confluent's {@code KafkaAvroSerializer}.
 *
 * @param <T> the record type
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private static final int CACHE_CAPACITY = 100;
    /** A thread's buffer grown beyond this by a large record is not kept for the next one. */
    private static final int MAX_KEPT_BUFFER = 1 << 16;

    static {
        TrustedAvroClasses.install();
    }

    private final BoundedCache<Schema, DatumWriter<T>> writers = new BoundedCache<>(CACHE_CAPACITY);
    private final BoundedCache<ProjectionKey, SchemaProjection> projections = new BoundedCache<>(CACHE_CAPACITY);
    /** Each thread's encoding buffer and encoder. */
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);
    private volatile Last<T> last;
    private SchemaRegistryClient client;
    private boolean isKey;
    private boolean autoRegister = true;
    private boolean useLatest;

    /** For Kafka to instantiate by class name; {@link #configure} creates the registry client. */
    public AvroSerializer() {
    }

    /** Shares {@code client} (and its cache) with other serdes; {@link #configure} then reads only the serde settings. */
    public AvroSerializer(SchemaRegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** A ready-to-use serializer sharing {@code client}. */
    public AvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this(client);
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (client == null) {
            client = SchemaRegistryClient.create(config);
        }
        this.isKey = isKey;
        this.autoRegister = config.autoRegisterSchemas();
        this.useLatest = config.useLatestVersion();
    }

    /** Uses {@code shared} unless a client was already given or created. */
    void useClientIfAbsent(SchemaRegistryClient shared) {
        if (client == null) {
            client = shared;
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new SerializationException("AvroSerializer for topic " + topic + " is not configured: call configure(...) "
                    + "or pass a SchemaRegistryClient");
        }
        String subject = TopicNameStrategy.subject(topic, isKey);
        if (!autoRegister && useLatest) {
            return encodeWithLatest(topic, subject, data);
        }
        int schemaId = autoRegister ? register(subject, data.getSchema()) : lookup(subject, data.getSchema());
        return encode(topic, data, WireFormat.header(schemaId));
    }

    private int register(String subject, Schema schema) {
        try {
            return client.register(subject, schema);
        } catch (SchemaRegistryException e) {
            String problem = e.httpStatus() == 409 ? " is incompatible with the schemas already registered under subject "
                    : " could not be registered under subject ";
            throw new SerializationException("Schema " + schema.getFullName() + problem + subject + ": " + e.getMessage(), e);
        }
    }

    private int lookup(String subject, Schema schema) {
        try {
            return client.lookup(subject, schema).id();
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject " + subject
                        + " and " + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG + "=false: register it first, or enable "
                        + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG + " (" + e.getMessage() + ")", e);
            }
            throw new SerializationException("Cannot look up schema " + schema.getFullName() + " under subject " + subject + ": "
                    + e.getMessage(), e);
        }
    }

    private byte[] encodeWithLatest(String topic, String subject, T data) {
        RegisteredSchema latest;
        try {
            latest = client.latest(subject);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot get the latest schema of subject " + subject + " ("
                    + AvroSerdeConfig.USE_LATEST_VERSION_CONFIG + "=true): " + e.getMessage(), e);
        }
        byte[] own = encode(topic, data);
        if (latest.schema().equals(data.getSchema())) {
            return frame(latest.id(), own);
        }
        return frame(latest.id(), projection(subject, latest, data.getSchema()).project(own));
    }

    private SchemaProjection projection(String subject, RegisteredSchema latest, Schema own) {
        ProjectionKey key = new ProjectionKey(own, latest.id());
        SchemaProjection projection = projections.get(key);
        if (projection == null) {
            try {
                projection = SchemaProjection.between(own, latest.schema());
            } catch (IllegalArgumentException e) {
                throw new SerializationException("The latest schema of subject " + subject + " (version " + latest.version() + ", id "
                        + latest.id() + ") cannot read records of " + own.getFullName() + ": " + e.getMessage(), e);
            }
            projections.put(key, projection);
        }
        return projection;
    }

    private byte[] encode(String topic, T data) {
        return encode(topic, data, new byte[0]);
    }

    /**
     * {@code header} followed by {@code data}'s Avro binary encoding. The buffer and the encoder are the calling thread's,
     * reused from record to record (a Streams serde may be shared by several stream threads); only the result is allocated.
     */
    private byte[] encode(String topic, T data, byte[] header) {
        Buffer out = buffers.get();
        try {
            out.reset();
            out.write(header, 0, header.length);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, out.encoder);
            out.encoder = encoder;
            writerFor(data).write(data, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            // the encoder may hold part of the failed record: the next record starts from a new buffer and encoder
            buffers.remove();
            throw new SerializationException("Avro encoding of " + data.getSchema().getFullName() + " for topic " + topic
                    + " failed: " + e.getMessage(), e);
        }
    }

    private DatumWriter<T> writerFor(T data) {
        Schema schema = data.getSchema();
        Last<T> last = this.last;
        // a topic's records share one schema object: no hashing of the schema for each record
        if (last != null && last.schema() == schema) {
            return last.writer();
        }
        DatumWriter<T> writer = writers.get(schema);
        if (writer == null) {
            // The class's own model carries its logical-type conversions (timestamp-millis <-> Instant).
            writer = new CompiledDatumWriter<>(schema, SpecificData.getForClass(data.getClass()));
            writers.put(schema, writer);
        }
        this.last = new Last<>(schema, writer);
        return writer;
    }

    /** The writer of the schema used last. */
    private record Last<T>(Schema schema, DatumWriter<T> writer) {
    }

    private static byte[] frame(int schemaId, byte[] avro) {
        byte[] framed = new byte[WireFormat.HEADER_LENGTH + avro.length];
        System.arraycopy(WireFormat.header(schemaId), 0, framed, 0, WireFormat.HEADER_LENGTH);
        System.arraycopy(avro, 0, framed, WireFormat.HEADER_LENGTH, avro.length);
        return framed;
    }

    private record ProjectionKey(Schema own, int latestId) {
    }

    /**
     * A thread's output buffer, without the lock {@link ByteArrayOutputStream} takes per write, and the encoder that writes into
     * it ({@link EncoderFactory#binaryEncoder(java.io.OutputStream, BinaryEncoder)} reconfigures it for each record).
     */
    private static final class Buffer extends ByteArrayOutputStream {

        private BinaryEncoder encoder;

        Buffer() {
            super(1024);
        }

        @Override
        public void reset() {
            if (buf.length > MAX_KEPT_BUFFER) {
                buf = new byte[1024];
            }
            count = 0;
        }

        @Override
        public void write(int b) {
            if (count == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        @Override
        public byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }
    }
}
