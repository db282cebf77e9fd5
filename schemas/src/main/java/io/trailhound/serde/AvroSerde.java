package io.trailhound.serde;

import java.util.Map;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An {@link AvroSerializer} and {@link AvroDeserializer} pair for Kafka Streams and for building topics; construct it with a
 * shared {@link SchemaRegistryClient} so every serde of an application uses one cache.
 *
 * @param <T> the record type
 */
public class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;
    private final Class<T> type;
    private SchemaRegistryClient client;

    /** Reads into the class named by each writer schema; for {@code default.value.serde} by class name. */
    public AvroSerde() {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>();
        this.type = null;
    }

    /** Reads into {@code type}; {@link #configure} creates the registry client. */
    public AvroSerde(Class<T> type) {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>(type);
        this.type = type;
    }

    /** Reads into {@code type}, sharing {@code client}; call {@link #configure} for the serde settings or keep the defaults. */
    public AvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.serializer = new AvroSerializer<>(client);
        this.deserializer = new AvroDeserializer<>(type, client);
        this.type = type;
        this.client = client;
    }

    /** A ready-to-use serde for {@code type} sharing {@code client}. */
    public AvroSerde(Class<T> type, SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this(type, client);
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // One client (and cache) for both directions, unless one was passed in.
        if (client == null) {
            client = SchemaRegistryClient.create(configs);
        }
        serializer.useClientIfAbsent(client);
        deserializer.useClientIfAbsent(client);
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    /** The specific record class this serde reads into, when it was given one. */
    public Optional<Class<T>> recordType() {
        return Optional.ofNullable(type);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
